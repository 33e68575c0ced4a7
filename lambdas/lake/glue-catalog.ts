/**
 * The Glue side of the lake catalog: CommitRun calls `sync` before the commit point, and the object's tables and
 * views are (re)registered whenever what Glue holds differs from the definitions for the lake's columns (a new custom
 * attribute, a drifted type, a table removed by hand). Nothing is written when Glue is already current.
 */
import {
  CreateTableCommand,
  EntityNotFoundException,
  GetTableCommand,
  type GlueClient,
  type TableInput,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import type { Config } from '../flow/config/schema.js';
import { getObjectDef } from '../okta/catalog/index.js';
import { configuredColumns, tableColumnsFor } from './configured-columns.js';
import { type GlueTableDefinition, glueDefinitions } from './glue-definitions.js';
import type { LakeCatalog } from './lake-catalog.js';

export interface GlueLakeCatalogOptions {
  readonly client: Pick<GlueClient, 'send'>;
  readonly config: Config;
  readonly databaseName: string;
  readonly bucketName: string;
  readonly firstDay: string;
}

/** A definition in the Glue API's shape. */
export function toTableInput(d: GlueTableDefinition): TableInput {
  return {
    Name: d.name,
    Description: d.description,
    TableType: d.tableType,
    Parameters: { ...d.parameters },
    PartitionKeys: d.partitionKeys.map((c) => ({
      Name: c.name,
      Type: c.type,
      ...(c.comment ? { Comment: c.comment } : {}),
    })),
    StorageDescriptor: {
      ...(d.storageDescriptor.location !== undefined ? { Location: d.storageDescriptor.location } : {}),
      Columns: d.storageDescriptor.columns.map((c) => ({ Name: c.name, Type: c.type })),
      ...(d.storageDescriptor.inputFormat !== undefined ? { InputFormat: d.storageDescriptor.inputFormat } : {}),
      ...(d.storageDescriptor.outputFormat !== undefined ? { OutputFormat: d.storageDescriptor.outputFormat } : {}),
      SerdeInfo: {
        ...(d.storageDescriptor.serdeInfo.serializationLibrary !== undefined
          ? { SerializationLibrary: d.storageDescriptor.serdeInfo.serializationLibrary }
          : {}),
        ...(d.storageDescriptor.serdeInfo.parameters !== undefined
          ? { Parameters: { ...d.storageDescriptor.serdeInfo.parameters } }
          : {}),
      },
    },
    ...(d.viewOriginalText !== undefined ? { ViewOriginalText: d.viewOriginalText } : {}),
    ...(d.viewExpandedText !== undefined ? { ViewExpandedText: d.viewExpandedText } : {}),
  };
}

/** What a reader sees of a table: columns, view text, location and format (Glue adds bookkeeping we ignore). */
function essence(
  t: Pick<TableInput, 'StorageDescriptor' | 'ViewOriginalText' | 'PartitionKeys' | 'TableType'>,
): string {
  return JSON.stringify({
    type: t.TableType,
    columns: (t.StorageDescriptor?.Columns ?? []).map((c) => [c.Name, c.Type]),
    partitions: (t.PartitionKeys ?? []).map((c) => [c.Name, c.Type]),
    location: t.StorageDescriptor?.Location ?? null,
    input: t.StorageDescriptor?.InputFormat ?? null,
    serde: t.StorageDescriptor?.SerdeInfo?.SerializationLibrary ?? null,
    view: t.ViewOriginalText ?? null,
  });
}

export class GlueLakeCatalog implements LakeCatalog {
  constructor(private readonly options: GlueLakeCatalogOptions) {}

  async sync(input: Parameters<LakeCatalog['sync']>[0]): Promise<void> {
    const { config, client, databaseName } = this.options;
    if (input.format === 'csv' || config.output.encryption.clientSide) return;
    const def = getObjectDef(input.object);
    const flows = config.flows.filter((f) => f.object === def.name);
    const records = tableColumnsFor(configuredColumns(def, flows), input.columns.records);
    const definitions = glueDefinitions({
      databaseName,
      bucketName: this.options.bucketName,
      prefix: config.output.prefix,
      def,
      format: input.format,
      firstDay: this.options.firstDay,
      records,
    });
    for (const definition of definitions) {
      const wanted = toTableInput(definition);
      let current: TableInput | null = null;
      try {
        const got = await client.send(new GetTableCommand({ DatabaseName: databaseName, Name: definition.name }));
        current = got.Table ?? null;
      } catch (error) {
        if (!(error instanceof EntityNotFoundException)) throw error;
      }
      if (current === null) {
        await client.send(new CreateTableCommand({ DatabaseName: databaseName, TableInput: wanted }));
      } else if (essence(current) !== essence(wanted)) {
        await client.send(new UpdateTableCommand({ DatabaseName: databaseName, TableInput: wanted }));
      }
    }
  }
}
