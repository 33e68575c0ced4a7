import { createLocalStore } from './local-store.js';
import { createS3Store } from './s3-store.js';
import type { ObjectStore, OutputTarget } from './types.js';

export function storeFor(target: OutputTarget): ObjectStore {
  return target.kind === 's3' ? createS3Store(target) : createLocalStore(target);
}
