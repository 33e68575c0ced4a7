/**
 * One event per attempted action (its outcome record): EventBridge in the cloud (source `okta-flow`, detail-type
 * `Apply Action`), memory for the CLI and tests. Records carry no secrets (plans cannot hold credentials).
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { AuditRecord } from './audit.js';

export const APPLY_EVENT_SOURCE = 'okta-flow';
export const APPLY_EVENT_DETAIL_TYPE = 'Apply Action';

export interface ApplyEventSink {
  publish(record: AuditRecord): Promise<void>;
}

export class ApplyEventPublishError extends Error {
  override readonly name = 'ApplyEventPublishError';
}

export class EventBridgeApplyEvents implements ApplyEventSink {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName?: string,
  ) {}

  async publish(record: AuditRecord): Promise<void> {
    const out = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: APPLY_EVENT_SOURCE,
            DetailType: APPLY_EVENT_DETAIL_TYPE,
            Detail: JSON.stringify(record),
            ...(this.eventBusName ? { EventBusName: this.eventBusName } : {}),
          },
        ],
      }),
    );
    if ((out.FailedEntryCount ?? 0) > 0) {
      const entry = out.Entries?.[0];
      throw new ApplyEventPublishError(
        `EventBridge refused the Apply Action event of row ${record.row}: ${entry?.ErrorCode ?? 'unknown'} ` +
          `${entry?.ErrorMessage ?? ''}. Check the event bus name and the function's events:PutEvents permission.`,
      );
    }
  }
}

export class MemoryApplyEvents implements ApplyEventSink {
  readonly records: AuditRecord[] = [];
  async publish(record: AuditRecord): Promise<void> {
    this.records.push(record);
  }
}
