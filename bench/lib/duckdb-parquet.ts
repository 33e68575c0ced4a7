/**
 * The DuckDB baseline of the encoder comparison (bench only, not a product path): cells appended to an in-memory
 * DuckDB table with its appender, then `COPY … TO '<file>.parquet' (FORMAT parquet, COMPRESSION snappy)`. Cells
 * come from the same compiled readers as okta-flow's writer, so only encoding differs. Timestamps are TIMESTAMPTZ
 * (DuckDB writes them as UTC microseconds); nested columns are JSON text (a baseline for flat User columns).
 */
import { type DuckDBAppender, DuckDBInstance, timestampTZValue } from '@duckdb/node-api';
import type { OktaRecord } from '../../lambdas/okta/types.js';
import { type CellReader, compileCellReader } from '../../lambdas/output/cell-reader.js';
import { type Cell, type ColumnSpec, cellToJson, isScalar } from '../../lambdas/output/columns.js';

const SQL_TYPE = {
  string: 'VARCHAR',
  json: 'VARCHAR',
  int64: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMPTZ',
};

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

export interface DuckDbParquetSink {
  append(records: readonly OktaRecord[]): void;
  /** Flushes the appender and COPYs the table to `file`; returns the rows copied. */
  finish(file: string): Promise<number>;
}

export async function createDuckDbParquetSink(columns: readonly ColumnSpec[]): Promise<DuckDbParquetSink> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const ddl = columns.map((c) => `${quote(c.name)} ${isScalar(c.type) ? SQL_TYPE[c.type] : 'VARCHAR'}`).join(', ');
  await connection.run(`CREATE TABLE t (${ddl})`);
  const appender: DuckDBAppender = await connection.createAppender('t');
  const readers: CellReader[] = columns.map(compileCellReader);
  const appendCell = (column: ColumnSpec, cell: Cell): void => {
    if (cell === null) appender.appendNull();
    else if (!isScalar(column.type)) appender.appendVarchar(cellToJson(column.type, cell));
    else if (column.type === 'string' || column.type === 'json') appender.appendVarchar(cell as string);
    else if (column.type === 'int64') appender.appendBigInt(cell as bigint);
    else if (column.type === 'double') appender.appendDouble(cell as number);
    else if (column.type === 'boolean') appender.appendBoolean(cell as boolean);
    else appender.appendTimestampTZ(timestampTZValue(BigInt(cell as number) * 1000n));
  };
  let rows = 0;
  return {
    append(records) {
      for (const record of records) {
        for (let i = 0; i < columns.length; i++) {
          appendCell(columns[i] as ColumnSpec, (readers[i] as CellReader)(record));
        }
        appender.endRow();
        rows++;
      }
    },
    async finish(file) {
      appender.flushSync();
      appender.closeSync();
      const path = file.replaceAll("'", "''");
      await connection.run(`COPY t TO '${path}' (FORMAT parquet, COMPRESSION snappy)`);
      connection.closeSync();
      instance.closeSync();
      return rows;
    },
  };
}
