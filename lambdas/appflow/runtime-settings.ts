/** ValidateConnectorRuntimeSettings: the `oktaDomain` the user typed, checked with the client's own domain rules. */
import { InvalidOktaDomainError } from '../okta/errors.js';
import type { ConnectorDeps } from './deps.js';
import { InvalidRequestError } from './errors.js';
import { OKTA_DOMAIN_SETTING, oktaOrigin } from './session.js';

/** Problems per setting key; empty when every setting is valid. */
export function validateRuntimeSettings(
  scope: string,
  settings: Readonly<Record<string, string | null>> | null | undefined,
  deps: Pick<ConnectorDeps, 'clientOptions'>,
): Record<string, string> {
  // oktaDomain is a CONNECTOR_PROFILE setting: required there; checked in other scopes only when present.
  if (scope !== 'CONNECTOR_PROFILE' && settings?.[OKTA_DOMAIN_SETTING] == null) return {};
  try {
    oktaOrigin(settings, deps);
    return {};
  } catch (err) {
    if (err instanceof InvalidOktaDomainError || err instanceof InvalidRequestError) {
      return { [OKTA_DOMAIN_SETTING]: err.message };
    }
    throw err;
  }
}
