/**
 * The Glue database and, per Okta object some flow writes, its lake tables and views (lambdas/lake/): `users` (every
 * committed version), `users_current` (latest committed version per key, tombstoned keys gone), `user_deletes`
 * (committed tombstones), over `_users_parts`, `_user_deletes_parts` and `_users_commits`. Only committed data is
 * readable through the views: a file counts once its run's commit record exists. The definitions come from
 * lambdas/lake/glue-definitions.ts with the columns the config names; CommitRun re-registers them when runs bring
 * more (custom attributes, schema drift).
 *
 * No tables for client-side encrypted output (Athena cannot read it) or for CSV (Athena's CSV SerDe cannot read
 * RFC 4180 CSV back exactly): a synth warning says so.
 */
import { Annotations, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Config } from '../lambdas/flow/config/index.js';
import { configuredColumns, configuredFields } from '../lambdas/lake/configured-columns.js';
import { glueDefinitions } from '../lambdas/lake/glue-definitions.js';
import { lakeTableNames } from '../lambdas/lake/table-names.js';
import { getObjectDef } from '../lambdas/okta/catalog/index.js';
import type { OktaObjectName } from '../lambdas/okta/catalog/types.js';

/** Name of an object's every-version view, plural snake_case: `User` → `users`, `UserType` → `user_types`. */
export function tableNameOf(object: OktaObjectName): string {
  return lakeTableNames(object).history;
}

/** Glue database name of a stack: lower-case letters, digits and underscores. */
export function databaseNameOf(stackName: string): string {
  return stackName.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/** The fields of an object's tables known from the config (see lambdas/lake/configured-columns.ts). */
export const tableFields = configuredFields;

export class GlueTables extends Construct {
  readonly database: glue.CfnDatabase;
  readonly databaseName: string;
  /** Every table and view, by Glue name. */
  readonly tables: ReadonlyMap<string, glue.CfnTable>;
  /** Whether the lake has Glue tables at all (not for CSV or client-side encrypted output). */
  readonly registered: boolean;

  constructor(scope: Construct, id: string, props: { config: Config; bucket: s3.IBucket; firstDay: string }) {
    super(scope, id);
    const stack = Stack.of(this);
    const { config, bucket } = props;
    const { prefix, format } = config.output;
    this.databaseName = databaseNameOf(config.stack.name);
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: { name: this.databaseName, description: `okta-flow exports of ${config.okta.domain}` },
    });

    const tables = new Map<string, glue.CfnTable>();
    this.tables = tables;
    this.registered = false;
    if (config.output.encryption.clientSide) {
      // Envelope-encrypted files are opaque to Athena: tables over them would only return errors.
      Annotations.of(this).addWarningV2(
        'okta-flow:glue-client-side',
        'output.encryption.clientSide is on: Athena cannot read client-side encrypted files, so no Glue tables are created (decrypt with okta-flow before querying).',
      );
      return;
    }
    if (format === 'csv') {
      Annotations.of(this).addWarningV2(
        'okta-flow:glue-csv',
        'output.format is csv: Athena cannot read RFC 4180 CSV back exactly (backslashes, quotes in JSON, line breaks), so no Glue tables are created. Use parquet or jsonl for Athena; `okta-flow query` reads CSV exactly.',
      );
      return;
    }
    this.registered = true;
    const objects = [...new Set(config.flows.map((f) => f.object))];
    for (const object of objects) {
      const def = getObjectDef(object);
      const definitions = glueDefinitions({
        databaseName: this.databaseName,
        bucketName: bucket.bucketName,
        prefix,
        def,
        format,
        firstDay: props.firstDay,
        records: configuredColumns(
          def,
          config.flows.filter((f) => f.object === object),
        ),
      });
      const names = lakeTableNames(object);
      const underlying: glue.CfnTable[] = [];
      for (const definition of definitions) {
        // The every-version view keeps the construct id the object's table always had, so an upgrade updates that
        // Glue table in place (a new id would create a second resource with the same Glue name, and fail).
        const constructId =
          definition.name === names.history ? `Table-${object}` : `Table-${object}-${definition.name}`;
        const table = new glue.CfnTable(this, constructId, {
          catalogId: stack.account,
          databaseName: this.databaseName,
          tableInput: {
            name: definition.name,
            description: definition.description,
            tableType: definition.tableType,
            parameters: { ...definition.parameters },
            partitionKeys: definition.partitionKeys.map((c) => ({ ...c })),
            storageDescriptor: {
              ...definition.storageDescriptor,
              columns: definition.storageDescriptor.columns.map((c) => ({ ...c })),
              serdeInfo: {
                ...definition.storageDescriptor.serdeInfo,
                ...(definition.storageDescriptor.serdeInfo.parameters
                  ? { parameters: { ...definition.storageDescriptor.serdeInfo.parameters } }
                  : {}),
              },
            },
            ...(definition.viewOriginalText !== undefined ? { viewOriginalText: definition.viewOriginalText } : {}),
            ...(definition.viewExpandedText !== undefined ? { viewExpandedText: definition.viewExpandedText } : {}),
          },
        });
        table.addResourceDependency(this.database);
        // Views after the tables they read (Athena resolves them at query time; the order keeps the stack tidy).
        if (definition.tableType === 'VIRTUAL_VIEW') for (const t of underlying) table.addResourceDependency(t);
        else underlying.push(table);
        tables.set(definition.name, table);
      }
    }
  }
}
