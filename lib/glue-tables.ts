/**
 * A Glue database and one table per Okta object some flow writes, so Athena can query right after the first run.
 * Partition projection on `dt` (no crawler, no MSCK REPAIR): each day's location is <prefix>/<Object>/dt=<day>/;
 * Athena lists that location as a prefix, so the run_id=… sub-folders below it are read too. Files whose names start
 * with "_" (the `_manifest.json` of each run) are ignored by Athena.
 */
import { Annotations, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Config, FlowConfig } from '../lambdas/flow/config/index.js';
import { defaultFields, getObjectDef, isQueryParameterField, resolveField } from '../lambdas/okta/catalog/index.js';
import type { FieldDef, ObjectDef, OktaObjectName } from '../lambdas/okta/catalog/types.js';
import { glueStorageShape } from './glue-columns.js';

/**
 * Glue table name of an object, plural snake_case: `User` → `users`, `UserType` → `user_types`. Plural also keeps
 * clear of SQL keywords (`user`, `group`) that Athena would make you quote.
 */
export function tableNameOf(object: OktaObjectName): string {
  return `${object.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}s`;
}

/** Glue database name of a stack: lower-case letters, digits and underscores. */
export function databaseNameOf(stackName: string): string {
  return stackName.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/**
 * The fields of an object's table: every field any flow of that object writes, in catalog order (the order the
 * encoders use). A flow without `fields` writes the catalog defaults.
 */
export function tableFields(def: ObjectDef, flows: readonly FlowConfig[]): FieldDef[] {
  const chosen = new Set<string>();
  for (const flow of flows) {
    const fields =
      flow.fields === undefined
        ? defaultFields(def)
        : flow.fields.map((name) => resolveField(def, name)).filter((f): f is FieldDef => f !== undefined);
    for (const f of fields) if (!isQueryParameterField(def, f)) chosen.add(f.column);
  }
  return def.fields.filter((f) => chosen.has(f.column));
}

export class GlueTables extends Construct {
  readonly database: glue.CfnDatabase;
  readonly databaseName: string;
  readonly tables: ReadonlyMap<OktaObjectName, glue.CfnTable>;

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

    const tables = new Map<OktaObjectName, glue.CfnTable>();
    this.tables = tables;
    if (config.output.encryption.clientSide) {
      // Envelope-encrypted files are opaque to Athena: tables over them would only return errors.
      Annotations.of(this).addWarningV2(
        'okta-flow:glue-client-side',
        'output.encryption.clientSide is on: Athena cannot read client-side encrypted files, so no Glue tables are created (decrypt with okta-flow before querying).',
      );
      return;
    }
    const objects = [...new Set(config.flows.map((f) => f.object))];
    for (const object of objects) {
      const def = getObjectDef(object);
      const shape = glueStorageShape(
        tableFields(
          def,
          config.flows.filter((f) => f.object === object),
        ),
        format,
      );
      const location = `s3://${bucket.bucketName}/${prefix}/${object}/`;
      const table = new glue.CfnTable(this, `Table-${object}`, {
        catalogId: stack.account,
        databaseName: this.databaseName,
        tableInput: {
          name: tableNameOf(object),
          description: `${def.label} records copied by okta-flow (${format}); one folder per run under each dt=…`,
          tableType: 'EXTERNAL_TABLE',
          partitionKeys: [{ name: 'dt', type: 'string', comment: 'UTC day of the run (yyyy-MM-dd)' }],
          parameters: {
            ...shape.tableParameters,
            EXTERNAL: 'TRUE',
            'projection.enabled': 'true',
            'projection.dt.type': 'date',
            'projection.dt.format': 'yyyy-MM-dd',
            'projection.dt.range': `${props.firstDay},NOW`,
            'projection.dt.interval': '1',
            'projection.dt.interval.unit': 'DAYS',
            'storage.location.template': `${location}dt=\${dt}/`,
          },
          storageDescriptor: {
            location,
            columns: shape.columns.map((c) => ({ ...c })),
            inputFormat: shape.inputFormat,
            outputFormat: shape.outputFormat,
            serdeInfo: { serializationLibrary: shape.serializationLibrary, parameters: shape.serdeParameters },
          },
        },
      });
      table.addResourceDependency(this.database);
      tables.set(object, table);
    }
  }
}
