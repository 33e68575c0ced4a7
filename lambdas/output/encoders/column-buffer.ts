/**
 * Compact column-wise buffers of one Parquet row group. Instead of one JS value per cell (a V8 string or heap
 * number plus an array slot: several times the data's size, and invisible to a byte estimate), scalar columns hold
 * their cells in typed arrays: strings as UTF-8 bytes + end offsets, timestamps and doubles as float64, int64 as
 * bigint64, booleans as bytes, each with a null flag. `bytes` is the memory they really take (used, not spare
 * capacity), so row groups are sized from it. The buffers are reused across row groups of a file.
 * Nested columns (typed lists, structs) keep their cells as values, with an estimate that counts V8's overhead.
 */
import type { OktaRecord } from '../../okta/types.js';
import { compileCellReader } from '../cell-reader.js';
import { type Cell, type ColumnSpec, isScalar } from '../columns.js';
import type { ColumnSnapshot } from './column-snapshot.js';

export interface ColumnBuffer {
  push(record: OktaRecord): void;
  /** Bytes held by the cells pushed since the last reset. */
  readonly bytes: number;
  readonly length: number;
  /** The cells pushed since the last reset, as views of the buffer's arrays (valid until the next push/reset). */
  view(): ColumnSnapshot;
  /**
   * Hands the cells over with the arrays that hold them (for a transfer to the encoder worker) and starts again
   * on fresh arrays of the same capacity — or on `spare`'s, a snapshot of this column that the worker has
   * finished with and handed back: the buffer is empty afterwards.
   */
  take(spare?: ColumnSnapshot): ColumnSnapshot;
  reset(): void;
}

/** A private copy when the bytes share their ArrayBuffer with other data (never transfer a shared pool). */
function own(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength ? bytes : bytes.slice();
}

const INITIAL_ROWS = 1024;

function grow<T extends Uint8Array | Float64Array | BigInt64Array | Int32Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  let size = array.length * 2;
  while (size < needed) size *= 2;
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array as never);
  return next;
}

/** string and json columns: UTF-8 bytes of every cell back to back, end offsets, null flags. */
class Utf8Buffer implements ColumnBuffer {
  private data = Buffer.allocUnsafe(64 * 1024);
  private ends = new Int32Array(INITIAL_ROWS);
  private nulls = new Uint8Array(INITIAL_ROWS);
  private used = 0;
  length = 0;
  constructor(private readonly read: (record: OktaRecord) => Cell) {}

  get bytes(): number {
    return this.used + this.length * 5;
  }

  push(record: OktaRecord): void {
    const cell = this.read(record);
    const row = this.length++;
    if (row >= this.ends.length) {
      this.ends = grow(this.ends, row + 1);
      this.nulls = grow(this.nulls, row + 1);
    }
    if (cell === null) {
      this.nulls[row] = 1;
    } else {
      const text = cell as string;
      // UTF-8 takes at most 3 bytes per UTF-16 code unit.
      const worst = this.used + text.length * 3;
      if (worst > this.data.length) {
        let size = this.data.length * 2;
        while (size < worst) size *= 2;
        const next = Buffer.allocUnsafe(size);
        this.data.copy(next, 0, 0, this.used);
        this.data = next;
      }
      this.used += this.data.write(text, this.used, 'utf8');
      this.nulls[row] = 0;
    }
    this.ends[row] = this.used;
  }

  view(): ColumnSnapshot {
    const { length, ends, nulls } = this;
    return { kind: 'utf8', length, data: this.data.subarray(0, this.used), ends, nulls };
  }

  take(spare?: ColumnSnapshot): ColumnSnapshot {
    const { length, ends, nulls } = this;
    const data = own(this.data);
    const taken: ColumnSnapshot = { kind: 'utf8', length, data: data.subarray(0, this.used), ends, nulls };
    if (spare?.kind === 'utf8') {
      this.data = Buffer.from(spare.data.buffer, 0, spare.data.buffer.byteLength);
      this.ends = spare.ends;
      this.nulls = spare.nulls;
    } else {
      this.data = Buffer.allocUnsafe(data.length);
      this.ends = new Int32Array(ends.length);
      this.nulls = new Uint8Array(nulls.length);
    }
    this.reset();
    return taken;
  }

  reset(): void {
    this.used = 0;
    this.length = 0;
  }
}

/** timestamp and double columns: float64 values with null flags. */
class Float64Buffer implements ColumnBuffer {
  private data = new Float64Array(INITIAL_ROWS);
  private nulls = new Uint8Array(INITIAL_ROWS);
  length = 0;
  constructor(private readonly read: (record: OktaRecord) => Cell) {}
  get bytes(): number {
    return this.length * 9;
  }
  push(record: OktaRecord): void {
    const cell = this.read(record);
    const row = this.length++;
    if (row >= this.data.length) {
      this.data = grow(this.data, row + 1);
      this.nulls = grow(this.nulls, row + 1);
    }
    this.nulls[row] = cell === null ? 1 : 0;
    this.data[row] = cell === null ? 0 : (cell as number);
  }
  view(): ColumnSnapshot {
    return { kind: 'float64', length: this.length, data: this.data, nulls: this.nulls };
  }
  take(spare?: ColumnSnapshot): ColumnSnapshot {
    const taken = this.view();
    this.data = spare?.kind === 'float64' ? spare.data : new Float64Array(this.data.length);
    this.nulls = spare?.kind === 'float64' ? spare.nulls : new Uint8Array(this.nulls.length);
    this.reset();
    return taken;
  }
  reset(): void {
    this.length = 0;
  }
}

class Int64Buffer implements ColumnBuffer {
  private data = new BigInt64Array(INITIAL_ROWS);
  private nulls = new Uint8Array(INITIAL_ROWS);
  length = 0;
  constructor(private readonly read: (record: OktaRecord) => Cell) {}
  get bytes(): number {
    return this.length * 9;
  }
  push(record: OktaRecord): void {
    const cell = this.read(record);
    const row = this.length++;
    if (row >= this.data.length) {
      this.data = grow(this.data, row + 1);
      this.nulls = grow(this.nulls, row + 1);
    }
    this.nulls[row] = cell === null ? 1 : 0;
    this.data[row] = cell === null ? 0n : (cell as bigint);
  }
  view(): ColumnSnapshot {
    return { kind: 'int64', length: this.length, data: this.data, nulls: this.nulls };
  }
  take(spare?: ColumnSnapshot): ColumnSnapshot {
    const taken = this.view();
    this.data = spare?.kind === 'int64' ? spare.data : new BigInt64Array(this.data.length);
    this.nulls = spare?.kind === 'int64' ? spare.nulls : new Uint8Array(this.nulls.length);
    this.reset();
    return taken;
  }
  reset(): void {
    this.length = 0;
  }
}

/** 0 false, 1 true, 2 null. */
class BooleanBuffer implements ColumnBuffer {
  private data = new Uint8Array(INITIAL_ROWS);
  length = 0;
  constructor(private readonly read: (record: OktaRecord) => Cell) {}
  get bytes(): number {
    return this.length;
  }
  push(record: OktaRecord): void {
    const cell = this.read(record);
    const row = this.length++;
    if (row >= this.data.length) this.data = grow(this.data, row + 1);
    this.data[row] = cell === null ? 2 : cell === true ? 1 : 0;
  }
  view(): ColumnSnapshot {
    return { kind: 'boolean', length: this.length, data: this.data };
  }
  take(spare?: ColumnSnapshot): ColumnSnapshot {
    const taken = this.view();
    this.data = spare?.kind === 'boolean' ? spare.data : new Uint8Array(this.data.length);
    this.reset();
    return taken;
  }
  reset(): void {
    this.length = 0;
  }
}

/**
 * V8's real footprint of a nested cell, roughly: 8-byte slot per value, 16-byte header + characters per string,
 * 16 bytes per heap number / small bigint, 32 + 8 per element for arrays, 56 + 8 per member for objects.
 */
export function nestedCellBytes(cell: Cell): number {
  if (cell === null || typeof cell === 'boolean') return 8;
  if (typeof cell === 'string') return 24 + cell.length * 2;
  if (typeof cell === 'number' || typeof cell === 'bigint') return 24;
  if (Array.isArray(cell)) return cell.reduce((n: number, c: Cell) => n + nestedCellBytes(c), 40);
  return Object.values(cell).reduce((n: number, c: Cell) => n + nestedCellBytes(c), 64);
}

class NestedBuffer implements ColumnBuffer {
  private cells: Cell[] = [];
  private held = 0;
  constructor(private readonly read: (record: OktaRecord) => Cell) {}
  get length(): number {
    return this.cells.length;
  }
  get bytes(): number {
    return this.held;
  }
  push(record: OktaRecord): void {
    const cell = this.read(record);
    this.cells.push(cell);
    this.held += nestedCellBytes(cell);
  }
  view(): ColumnSnapshot {
    return { kind: 'nested', length: this.cells.length, cells: this.cells };
  }
  take(): ColumnSnapshot {
    const taken = this.view();
    this.reset();
    return taken;
  }
  reset(): void {
    this.cells = [];
    this.held = 0;
  }
}

export function createColumnBuffer(column: ColumnSpec): ColumnBuffer {
  const read = compileCellReader(column);
  if (!isScalar(column.type)) return new NestedBuffer(read);
  switch (column.type) {
    case 'string':
    case 'json':
      return new Utf8Buffer(read);
    case 'timestamp':
    case 'double':
      return new Float64Buffer(read);
    case 'int64':
      return new Int64Buffer(read);
    case 'boolean':
      return new BooleanBuffer(read);
  }
}
