/** Errors of the state store. Messages say what happened and what to do; none carries secrets. */

/** A conditional write lost a race: someone else changed the object since it was read. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  readonly key: string;

  constructor(key: string, what: string, options?: { cause?: unknown }) {
    super(
      `${what} changed since it was read (${key}): another run or process wrote it first. Re-read it and retry; ` +
        'if two runs of one flow are racing, only the lease holder may commit.',
      options,
    );
    this.key = key;
  }
}

/** Another run holds the flow's lease: the second run fails fast instead of committing twice. */
export class LeaseHeldError extends Error {
  override readonly name = 'LeaseHeldError';
  readonly flow: string;
  readonly holderRunId: string;
  readonly since: string;
  readonly until: string;

  constructor(args: { flow: string; holderRunId: string; since: string; until: string }) {
    super(
      `Flow "${args.flow}" is already running: run ${args.holderRunId} holds its lease since ${args.since} until ` +
        `${args.until}. Wait for that run to finish (its lease is renewed while it works), or stop it; if it crashed, ` +
        `its lease expires at ${args.until} and the next run takes over. Two runs of one flow never both commit.`,
    );
    this.flow = args.flow;
    this.holderRunId = args.holderRunId;
    this.since = args.since;
    this.until = args.until;
  }
}

/** A run's lease was taken over (it expired and another run acquired it): this run must stop without committing. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  readonly flow: string;
  readonly runId: string;

  constructor(flow: string, runId: string, detail: string, options?: { cause?: unknown }) {
    super(
      `Run ${runId} of flow "${flow}" no longer holds the flow's lease (${detail}). It must stop without committing; ` +
        'start the flow again once the current run has finished. A longer lease TTL avoids this for slow steps.',
      options,
    );
    this.flow = flow;
    this.runId = runId;
  }
}

/** A state object exists but is not what okta-flow wrote (hand-edited, truncated, or from a newer version). */
export class StateCorruptError extends Error {
  override readonly name = 'StateCorruptError';
  readonly key: string;

  constructor(key: string, detail: string, options?: { cause?: unknown }) {
    super(
      `State object ${key} is unreadable: ${detail}. Restore it from the bucket's previous version (versioning is on), ` +
        'or delete it and run the flow with {"fullResync": true} to rebuild the state.',
      options,
    );
    this.key = key;
  }
}

/** A flow, run or slice name that cannot be part of a state key. */
export class InvalidStateKeyError extends Error {
  override readonly name = 'InvalidStateKeyError';

  constructor(what: string, value: string) {
    super(`${what} ${JSON.stringify(value)} cannot name state: use 1-128 of A-Z a-z 0-9 . _ = -`);
  }
}

/**
 * S3 refused a state read with 403. For a key that does not exist yet (the first run of a flow), S3 answers 403
 * instead of 404 to a caller without s3:ListBucket on the bucket, so the message names both permissions.
 */
export class StateAccessDeniedError extends Error {
  override readonly name = 'StateAccessDeniedError';
  readonly bucket: string;
  readonly key: string;

  constructor(bucket: string, key: string, options?: { cause?: unknown }) {
    super(
      `S3 denied reading state object s3://${bucket}/${key} (403 AccessDenied). The role needs s3:GetObject on ` +
        `arn:aws:s3:::${bucket}/${key} and s3:ListBucket on arn:aws:s3:::${bucket} without an s3:prefix condition: ` +
        'without ListBucket, S3 answers 403 instead of 404 for a key that does not exist yet (a first run). The ' +
        'stack grants both; for an imported bucket also check its bucket policy and the KMS key (kms:Decrypt).',
      options,
    );
    this.bucket = bucket;
    this.key = key;
  }
}
