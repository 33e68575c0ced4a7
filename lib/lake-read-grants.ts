/**
 * Read access to the lake for roles that are not okta-flow's own (analysts, BI tools, Athena users): explicit
 * actions only, on the folders readers need — per object its data (`<prefix>/<Object>/`) and tombstones
 * (`<prefix>/<Object>_deletes/`), and the commit records (`<prefix>/_commits/`) — never the run state under
 * `<prefix>/_state/` (leases, checkpoints, snapshots). KMS Decrypt on the data key; Glue reads of the database and
 * each of its tables and views by name; optionally Athena queries in one workgroup.
 *
 * The folder wildcards are cdk-nag IAM5 findings on the grantee's policy; they are acknowledged on the grantee with
 * the reason, as the construct's own are, so a user's nag-gated app stays clean.
 */
import { Arn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Config } from '../lambdas/flow/config/index.js';
import { commitsRoot } from '../lambdas/lake/commit-log.js';
import type { GlueTables } from './glue-tables.js';
import { acknowledgeWildcardResource } from './nag.js';

export interface GrantReadLakeOptions {
  /** An Athena workgroup the grantee may run queries in (its result location is granted separately, by you). */
  readonly workGroup?: string;
}

/** Folders (no trailing slash) holding what readers of the lake read, for the objects the config's flows write. */
export function lakeReadFolders(config: Config): { readonly objects: string[]; readonly commits: string } {
  const root = config.output.prefix.replace(/^\/+|\/+$/g, '');
  const under = (folder: string) => [root, folder].filter((s) => s !== '').join('/');
  const objects = [...new Set(config.flows.map((f) => f.object))];
  return {
    objects: objects.flatMap((object) => [under(object), under(`${object}_deletes`)]),
    commits: commitsRoot(config.output.prefix),
  };
}

export class LakeReadGrants {
  constructor(private readonly props: { config: Config; bucket: s3.IBucket; key: kms.IKey; glue: GlueTables }) {}

  /** S3 (data, tombstones, commit records) + KMS + Glue (+ Athena with a workgroup). */
  lake(grantee: iam.IGrantable, options: { workGroup?: string }): iam.Grant[] {
    const grants = [...this.data(grantee)];
    const catalog = this.catalog(grantee);
    if (catalog) grants.push(catalog);
    if (options.workGroup !== undefined) grants.push(this.athena(grantee, options.workGroup));
    return grants;
  }

  data(grantee: iam.IGrantable): iam.Grant[] {
    const { bucket, key, config } = this.props;
    const folders = lakeReadFolders(config);
    const all = [...folders.objects, folders.commits];
    const objectArns = all.map((folder) => bucket.arnForObjects(`${folder}/*`));
    const read = iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: objectArns });
    // Athena and `okta-flow query` list a table's folder (and the commit records) before reading it.
    const list = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': all.flatMap((folder) => [folder, `${folder}/*`]) } },
    });
    const location = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetBucketLocation'],
      resourceArns: [bucket.bucketArn],
    });
    const decrypt = key.grantDecrypt(grantee);
    const principal = grantee.grantPrincipal;
    if (Construct.isConstruct(principal)) {
      for (const arn of objectArns) {
        acknowledgeWildcardResource(
          principal,
          arn,
          'okta-flow lake files: keys are <folder>/dt=<day>/run_id=<run>/part-N (or <run>.json commit records), ' +
            'unknown until run time; read-only, limited to the folders readers need (not the run state).',
        );
      }
    }
    return [read, list, location, decrypt];
  }

  catalog(grantee: iam.IGrantable): iam.Grant | undefined {
    const { glue } = this.props;
    if (!glue.registered) return undefined;
    const stack = Stack.of(glue);
    const arn = (resource: string, resourceName?: string) =>
      Arn.format({ service: 'glue', resource, ...(resourceName ? { resourceName } : {}) }, stack);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables'],
      resourceArns: [
        arn('catalog'),
        arn('database', glue.databaseName),
        ...[...glue.tables.keys()].sort().map((name) => arn('table', `${glue.databaseName}/${name}`)),
      ],
    });
  }

  athena(grantee: iam.IGrantable, workGroup: string): iam.Grant {
    const stack = Stack.of(this.props.glue);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'athena:GetWorkGroup',
        'athena:StartQueryExecution',
        'athena:GetQueryExecution',
        'athena:GetQueryResults',
        'athena:StopQueryExecution',
      ],
      resourceArns: [Arn.format({ service: 'athena', resource: 'workgroup', resourceName: workGroup }, stack)],
    });
  }
}
