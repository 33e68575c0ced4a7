/** An encoder worker that dies at the first row group (as an out-of-memory or native crash would). */
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', (message: { op: string }) => {
  if (message.op === 'rowGroup') process.exit(70);
});
