/**
 * Where run events go: EventBridge in the cloud (source `okta-flow`, detail-types Run Started / Completed / Failed),
 * memory for the CLI and tests. The runner only knows this interface.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { type RunEventDetails, type RunEventKind, runEventEntry } from '../events.js';

export interface EventSink {
  publish<K extends RunEventKind>(kind: K, detail: RunEventDetails[K]): Promise<void>;
}

/** A run event EventBridge refused (PutEvents answers 200 with per-entry failures, so they must be checked). */
export class EventPublishError extends Error {
  override readonly name = 'EventPublishError';
}

export class EventBridgeEventSink implements EventSink {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName?: string,
  ) {}

  async publish<K extends RunEventKind>(kind: K, detail: RunEventDetails[K]): Promise<void> {
    const out = await this.client.send(
      new PutEventsCommand({ Entries: [runEventEntry(kind, detail, this.eventBusName)] }),
    );
    if ((out.FailedEntryCount ?? 0) > 0) {
      const entry = out.Entries?.[0];
      throw new EventPublishError(
        `EventBridge refused the ${kind} event of run ${detail.runId}: ${entry?.ErrorCode ?? 'unknown'} ` +
          `${entry?.ErrorMessage ?? ''}. Check the event bus name and the function's events:PutEvents permission.`,
      );
    }
  }
}

export interface RecordedRunEvent {
  readonly kind: RunEventKind;
  readonly detail: RunEventDetails[RunEventKind];
}

/** Keeps events in memory (validated like the EventBridge ones), for the CLI summary and tests. */
export class MemoryEventSink implements EventSink {
  readonly events: RecordedRunEvent[] = [];

  async publish<K extends RunEventKind>(kind: K, detail: RunEventDetails[K]): Promise<void> {
    runEventEntry(kind, detail);
    this.events.push({ kind, detail });
  }

  ofKind<K extends RunEventKind>(kind: K): RunEventDetails[K][] {
    return this.events.filter((e) => e.kind === kind).map((e) => e.detail as RunEventDetails[K]);
  }
}
