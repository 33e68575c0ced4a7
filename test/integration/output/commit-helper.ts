/** Commits a manifest the way CommitRun does (seal the prefix, then the one commit record), for output-level tests. */
import { type CommitRecord, writeCommit } from '../../../lambdas/lake/commit-log.js';
import { lakeColumnsOf } from '../../../lambdas/lake/lake-columns.js';
import type { ColumnSpec } from '../../../lambdas/output/columns.js';
import { type RunManifest, sealRunFiles } from '../../../lambdas/output/manifest.js';
import type { OutputTarget } from '../../../lambdas/output/sinks/types.js';

export async function commitManifest(
  target: OutputTarget,
  keyPrefix: string,
  manifest: RunManifest,
  columns: readonly ColumnSpec[],
): Promise<string> {
  await sealRunFiles(target, keyPrefix, manifest);
  const record: CommitRecord = {
    commit_version: 1,
    run_id: manifest.runId,
    flow: manifest.flow,
    object: manifest.object,
    dt: keyPrefix.match(/\/dt=(\d{4}-\d{2}-\d{2})\//)?.[1] ?? '1970-01-01',
    committed_at: manifest.finishedAt,
    mode: 'full',
    trigger: 'manual',
    window_from: manifest.window.from ?? null,
    window_to: manifest.window.to ?? manifest.finishedAt,
    records: { manifest, columns: lakeColumnsOf(columns), csvNull: '' },
    deletes: null,
    state: { planVersion: null, watermark: null, records: manifest.totals.records, snapshot: null },
  };
  return writeCommit(target, 'okta', record);
}
