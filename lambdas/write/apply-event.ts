/**
 * The ApplyPlan input, `{"plan": "s3://<output bucket>/<prefix>/…", "execute": false}`: validated by the Lambdas and
 * by `okta-flow invoke-apply` before it starts an execution. Kept apart from apply-lambda.ts so the CLI does not load
 * the Lambdas' runtime (Powertools) to check an input.
 */
import { z } from 'zod';

export const applyEventSchema = z.strictObject({
  plan: z.string().regex(/^s3:\/\/[^/]+\/.+/, 'must be s3://<bucket>/<key> of a .jsonl or .csv plan'),
  execute: z.boolean().default(false),
  /** Set by the state machine from the execution name, so the audit names the execution. */
  runId: z.string().min(1).max(128).optional(),
});
export type ApplyEvent = z.infer<typeof applyEventSchema>;
