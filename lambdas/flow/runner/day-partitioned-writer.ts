/**
 * An output writer whose files go under the UTC day of each record's event time: `<prefix>/<Object>/dt=<day>/
 * run_id=<runId>/part-<label>-NNNNN.<ext>`, one rolling writer per day (the System Log is partitioned by the day of
 * `published`, so Athena prunes by it). One day's file is open at a time; a record of another day finishes it and opens
 * that day's next part. Part indexes come from one counter for the task, so every part of the task has its own index
 * (the checkpoint relies on it) and a resumed task never collides with its earlier files in any day.
 */
import { readPath } from '../../okta/catalog/index.js';
import { OktaRecordError } from '../../okta/errors.js';
import type { OktaRecord } from '../../okta/types.js';
import {
  createOutputWriter,
  type FileEntry,
  type OutputWriter,
  type OutputWriterOptions,
} from '../../output/writer.js';

export interface DayPartitionedWriterOptions extends Omit<OutputWriterOptions, 'keyPrefix'> {
  /** The run prefix of one day (`dt=YYYY-MM-DD`). */
  readonly keyPrefixFor: (day: string) => string;
  /** Path of the event time in a record, e.g. ['published']. */
  readonly timePath: readonly string[];
  /** For errors: the object the records are of. */
  readonly object: string;
}

/** The UTC day (YYYY-MM-DD) of an ISO-8601 instant, or null when it is not one. */
export function utcDay(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : null;
}

export function createDayPartitionedWriter(options: DayPartitionedWriterOptions): OutputWriter {
  const { keyPrefixFor, timePath, object, ...rest } = options;
  const files: FileEntry[] = [];
  let nextIndex = options.startPartIndex ?? 0;
  let open: { day: string; writer: OutputWriter } | null = null;
  /** Finishes the open day's writer: its files are kept, the part counter moves past them. */
  const closeOpen = async () => {
    if (open === null) return;
    const result = await open.writer.close();
    open = null;
    for (const f of result.files) if (!files.some((x) => x.key === f.key)) files.push(f);
    nextIndex = Math.max(nextIndex, result.nextPartIndex);
  };
  const writerFor = async (day: string): Promise<OutputWriter> => {
    if (open?.day === day) return open.writer;
    await closeOpen();
    const writer = createOutputWriter({ ...rest, keyPrefix: keyPrefixFor(day), startPartIndex: nextIndex });
    open = { day, writer };
    return writer;
  };
  const finish = async () => {
    await closeOpen();
    return { files: [...files], nextPartIndex: nextIndex };
  };
  return {
    async write(records: readonly OktaRecord[]) {
      // Runs of consecutive records of one day (the stream is nearly in published order; a late event opens a file
      // of its own day).
      let start = 0;
      while (start < records.length) {
        const day = dayOf(records[start] as OktaRecord);
        let end = start + 1;
        while (end < records.length && dayOf(records[end] as OktaRecord) === day) end++;
        await (await writerFor(day)).write(records.slice(start, end));
        start = end;
      }
    },
    checkpoint: finish,
    close: finish,
    async abort(reason: string) {
      const current = open;
      open = null;
      if (current !== null) await current.writer.abort(reason).catch(() => undefined);
    },
  };

  function dayOf(record: OktaRecord): string {
    const value = readPath(record, timePath);
    const day = utcDay(value);
    if (day === null) {
      throw new OktaRecordError({
        object,
        recordId: typeof record.uuid === 'string' ? record.uuid : undefined,
        field: timePath.join('.'),
        value,
        problem: 'has an event time that is not an ISO-8601 instant, so it has no day to be partitioned by',
      });
    }
    return day;
  }
}
