/**
 * Reads a plan: JSONL (one JSON object per line, as `okta-flow query --json` prints) or CSV with the header
 * `action,user,group,app,profile,allowAdmin` (any order, profile as JSON). Every row is validated; any problem
 * rejects the whole plan (PlanParseError names each row, field and reason).
 */
import { CsvSyntaxError, parseCsv } from './csv.js';
import { PlanParseError, type RowProblem } from './errors.js';
import { type PlanRow, validateRow } from './plan-row.js';

export type PlanFormat = 'jsonl' | 'csv';

export const PLAN_COLUMNS = ['action', 'user', 'group', 'app', 'profile', 'allowAdmin'] as const;

/** The format a plan file's name says (`.csv` → CSV, anything else JSONL). */
export function planFormatOf(name: string): PlanFormat {
  return /\.csv$/i.test(name) ? 'csv' : 'jsonl';
}

/** Text values as a plan row needs them: profile JSON decoded, allowAdmin "true"/"false" as booleans. */
function normalize(rowNumber: number, raw: Record<string, unknown>, problems: RowProblem[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  if (typeof out.profile === 'string' && out.profile.trim() !== '') {
    try {
      out.profile = JSON.parse(out.profile);
    } catch {
      problems.push({ row: rowNumber, field: 'profile', reason: 'is not JSON (write it as {"attribute": value, …})' });
      delete out.profile;
    }
  }
  if (typeof out.allowAdmin === 'string') {
    const v = out.allowAdmin.trim().toLowerCase();
    if (v === 'true') out.allowAdmin = true;
    else if (v === 'false') out.allowAdmin = false;
    else if (v === '') delete out.allowAdmin;
  }
  return out;
}

function rawRows(text: string, format: PlanFormat): { rows: Record<string, unknown>[]; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const rows: Record<string, unknown>[] = [];
  if (format === 'jsonl') {
    const lines = text.split(/\r?\n/);
    for (const [i, line] of lines.entries()) {
      if (line.trim() === '') continue;
      const rowNumber = rows.length + 1;
      try {
        const value: unknown = JSON.parse(line);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          problems.push({ row: rowNumber, field: '(row)', reason: `line ${i + 1} is not a JSON object` });
          rows.push({});
        } else rows.push(normalize(rowNumber, value as Record<string, unknown>, problems));
      } catch {
        problems.push({ row: rowNumber, field: '(row)', reason: `line ${i + 1} is not JSON` });
        rows.push({});
      }
    }
    return { rows, problems };
  }
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(text);
  } catch (error) {
    const line = error instanceof CsvSyntaxError ? error.line : 0;
    throw new PlanParseError(
      [{ row: 0, field: '(file)', reason: `CSV line ${line}: ${(error as Error).message}` }],
      error,
    );
  }
  const [header, ...data] = records;
  if (header === undefined) return { rows, problems };
  const columns = header.fields.map((c) => c.trim());
  const unknown = columns.filter((c) => !(PLAN_COLUMNS as readonly string[]).includes(c));
  if (!columns.includes('action') || unknown.length > 0) {
    throw new PlanParseError([
      {
        row: 0,
        field: '(header)',
        reason:
          `the CSV header must name the columns ${PLAN_COLUMNS.join(',')} (any order, action required)` +
          (unknown.length ? `; unknown: ${unknown.join(', ')}` : ''),
      },
    ]);
  }
  for (const record of data) {
    const rowNumber = rows.length + 1;
    if (record.fields.length !== columns.length) {
      problems.push({
        row: rowNumber,
        field: '(row)',
        reason: `CSV line ${record.line} has ${record.fields.length} fields, the header ${columns.length}`,
      });
      rows.push({});
      continue;
    }
    const raw = Object.fromEntries(columns.map((c, i) => [c, record.fields[i]]));
    rows.push(normalize(rowNumber, raw, problems));
  }
  return { rows, problems };
}

/** Parses and validates a whole plan. Throws PlanParseError listing every problem; an empty plan is an error too. */
export function parsePlan(text: string, format: PlanFormat): PlanRow[] {
  const { rows, problems } = rawRows(text, format);
  const valid: PlanRow[] = [];
  const failed = new Set(problems.map((p) => p.row));
  for (const [i, raw] of rows.entries()) {
    if (failed.has(i + 1)) continue;
    const result = validateRow(i + 1, raw);
    if ('row' in result) valid.push(result.row);
    else problems.push(...result.problems);
  }
  if (rows.length === 0) {
    throw new PlanParseError([{ row: 0, field: '(file)', reason: 'the plan has no rows' }]);
  }
  if (problems.length > 0) throw new PlanParseError(problems.sort((a, b) => a.row - b.row));
  return valid;
}
