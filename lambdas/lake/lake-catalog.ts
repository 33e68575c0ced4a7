/** Where the lake's tables and views are registered for readers other than okta-flow (Glue, for Athena). */
import type { OktaObjectName } from '../okta/catalog/types.js';
import type { OutputFormat } from '../output/encoders/types.js';
import type { LakeColumnsDoc } from './lake-columns.js';

export interface LakeCatalog {
  /**
   * Makes the object's tables and views describe `columns` (the union of every committed run's columns):
   * idempotent, so any later commit repairs what an earlier one could not do.
   */
  sync(input: {
    readonly object: OktaObjectName;
    readonly format: OutputFormat;
    readonly columns: LakeColumnsDoc;
  }): Promise<void>;
}
