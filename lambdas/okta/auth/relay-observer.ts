/**
 * Credentials outlive a run step (one provider per Lambda container or CLI process, so refreshes are shared), but
 * what they report — warnings such as a refresh token near its expiry or a rotation conflict, token-endpoint
 * retries and waits — belongs to the step that triggered it: its log, counts and run event. Credentials are built
 * with a RelayObserver; each step's Okta client points it at the step's observer (the latest step wins: a refresh
 * serves every task in the process, and is reported once).
 */
import type { OktaClientObserver } from '../types.js';

export class RelayObserver implements OktaClientObserver {
  #target: OktaClientObserver | undefined;

  /** From now on, forward to `observer` (a step's). */
  relayTo(observer: OktaClientObserver | undefined): void {
    this.#target = observer;
  }

  onRequest(info: Parameters<NonNullable<OktaClientObserver['onRequest']>>[0]): void {
    this.#target?.onRequest?.(info);
  }
  onRateLimitWait(info: Parameters<NonNullable<OktaClientObserver['onRateLimitWait']>>[0]): void {
    this.#target?.onRateLimitWait?.(info);
  }
  onRetry(info: Parameters<NonNullable<OktaClientObserver['onRetry']>>[0]): void {
    this.#target?.onRetry?.(info);
  }
  onWarning(info: Parameters<NonNullable<OktaClientObserver['onWarning']>>[0]): void {
    this.#target?.onWarning?.(info);
  }
}
