/**
 * The config the Lambdas read from OKTA_FLOW_CONFIG: the validated config (defaults applied) without `$comment`/
 * `$schema` noise, with the credentials secret replaced by its ARN (or name). It holds no secret values; Lambda caps
 * all environment variables of a function at 4 KB together, so an oversized config fails synth with a clear message.
 */
import { Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Config } from '../lambdas/flow/config/index.js';

/** Leaves room for the other variables inside Lambda's 4 KB environment limit. */
export const MAX_RUNTIME_CONFIG_BYTES = 3_300;

export class RuntimeConfigTooLargeError extends Error {
  override readonly name = 'RuntimeConfigTooLargeError';
}

export function runtimeConfigJson(scope: Construct, config: Config, secretId: string): string {
  const stripped = withoutComments({ ...config, okta: { ...config.okta, credentialsSecret: secretId } });
  const json = Stack.of(scope).toJsonString(stripped);
  // Tokens (the secret ARN) render as short placeholders; an ARN is at most ~100 bytes longer.
  const estimate = Buffer.byteLength(JSON.stringify(stripped)) + 100;
  if (estimate > MAX_RUNTIME_CONFIG_BYTES) {
    throw new RuntimeConfigTooLargeError(
      `The okta-flow config is about ${estimate} bytes as JSON, over the ${MAX_RUNTIME_CONFIG_BYTES} bytes that fit ` +
        'in a Lambda environment variable (4 KB for all variables). Split the flows over two stacks ' +
        '(stack.name) or shorten descriptions and field lists.',
    );
  }
  return json;
}

function withoutComments(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutComments);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, v]) => key !== '$comment' && key !== '$schema' && v !== undefined)
      .map(([key, v]) => [key, withoutComments(v)]),
  );
}
