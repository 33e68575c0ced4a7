/** A GitHub-flavoured markdown table; numbers are right-aligned. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  const cell = (value: string | number | undefined) =>
    typeof value === 'number' ? value.toLocaleString('en-US') : (value ?? '').replace(/\|/g, '\\|');
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(headers.map((h) => h)),
    line(headers.map((_, i) => (numeric[i] ? '---:' : '---'))),
    ...rows.map((row) => line(headers.map((_, i) => cell(row[i])))),
  ].join('\n');
}
