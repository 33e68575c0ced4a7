/**
 * The encoder worker thread (started by encoder-pool.ts): one row-group writer per open file, requests answered
 * in the order they come, encoded bytes transferred back. A failure answers that request with the error's name and
 * message (never a record value: errors of the output layer carry none); the file is dropped.
 */
import { parentPort } from 'node:worker_threads';
import { transferables } from './column-snapshot.js';
import type { FromWorker, ToWorker } from './encoder-messages.js';
import { createRowGroupWriter, type RowGroupWriter } from './row-group-writer.js';

const port = parentPort;
if (port === null) throw new Error('encoder-worker.ts runs as a worker thread (see encoder-pool.ts)');

const files = new Map<number, RowGroupWriter | Error>();

function answer(id: number, file: number, work: (writer: RowGroupWriter) => Uint8Array[]): FromWorker {
  try {
    const writer = files.get(file);
    if (writer === undefined) throw new Error(`encoder worker: file ${file} is not open`);
    if (writer instanceof Error) throw writer;
    return { id, chunks: work(writer) };
  } catch (cause) {
    files.delete(file);
    const error = cause instanceof Error ? cause : new Error(String(cause));
    return { id, error: { name: error.name, message: error.message } };
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.op) {
    case 'open':
      try {
        files.set(message.file, createRowGroupWriter(message.spec));
      } catch (cause) {
        files.set(message.file, cause instanceof Error ? cause : new Error(String(cause)));
      }
      return;
    case 'drop':
      files.delete(message.file);
      return;
    case 'rowGroup':
    case 'finish': {
      const reply =
        message.op === 'rowGroup'
          ? answer(message.id, message.file, (w) => w.writeRowGroup(message.snapshots, message.rows))
          : answer(message.id, message.file, (w) => {
              const chunks = w.finish();
              files.delete(message.file);
              return chunks;
            });
      if (!('chunks' in reply)) {
        port.postMessage(reply);
        return;
      }
      // The writer keeps no view of a row group's buffers (statistics are copied out): hand them back for reuse.
      const spent = message.op === 'rowGroup' ? message.snapshots : [];
      const transfer = new Set<ArrayBuffer>(transferables(spent));
      for (const c of reply.chunks) if (c.buffer instanceof ArrayBuffer) transfer.add(c.buffer);
      port.postMessage({ ...reply, spent }, [...transfer]);
      return;
    }
  }
});
