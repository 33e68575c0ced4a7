/**
 * EventBridge Scheduler schedule expressions, checked at synth time so a typo fails `cdk synth` instead of the
 * deployment: `rate(value unit)`, `cron(minutes hours day-of-month month day-of-week year)` and `at(yyyy-mm-ddThh:mm:ss)`.
 * Returns what is wrong, or null when the expression is valid.
 */

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.*)\)$/;
const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Special characters allowed besides `, - * /`. */
  readonly extra: RegExp | null;
}

const CRON_FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59, extra: null },
  { name: 'hours', min: 0, max: 23, extra: null },
  { name: 'day-of-month', min: 1, max: 31, extra: /^(\?|L|L-\d{1,2}|\d{1,2}W|LW)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS, extra: null },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, extra: /^(\?|L|[1-7]L|[A-Z]{3}L|[1-7]#[1-5]|[A-Z]{3}#[1-5])$/ },
  { name: 'year', min: 1970, max: 2199, extra: null },
];

export function scheduleExpressionProblem(expression: string): string | null {
  if (expression.startsWith('rate(')) return rateProblem(expression);
  if (expression.startsWith('cron(')) return cronProblem(expression);
  if (expression.startsWith('at(')) return atProblem(expression);
  return `${JSON.stringify(expression)} is not a schedule expression (use rate(…), cron(…) or at(…))`;
}

function rateProblem(expression: string): string | null {
  const match = RATE.exec(expression);
  if (!match) return `${JSON.stringify(expression)} is not a rate expression: write rate(<positive integer> <unit>)`;
  const value = Number(match[1]);
  const unit = match[2] ?? '';
  if (value < 1) return `${JSON.stringify(expression)}: the rate must be at least 1`;
  // Scheduler rejects "rate(1 hours)" and "rate(2 hour)": the unit's number must agree with the value.
  const plural = unit.endsWith('s');
  if (value === 1 && plural)
    return `${JSON.stringify(expression)}: use the singular unit for 1 (rate(1 ${unit.slice(0, -1)}))`;
  if (value > 1 && !plural)
    return `${JSON.stringify(expression)}: use the plural unit for ${value} (rate(${value} ${unit}s))`;
  return null;
}

function cronProblem(expression: string): string | null {
  const body = CRON.exec(expression)?.[1]?.trim() ?? '';
  const parts = body.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 6) {
    return `${JSON.stringify(expression)} has ${parts.length} fields; a cron expression has 6: minutes hours day-of-month month day-of-week year`;
  }
  for (const [i, field] of CRON_FIELDS.entries()) {
    const problem = cronFieldProblem(parts[i] ?? '', field);
    if (problem) return `${JSON.stringify(expression)}: ${problem}`;
  }
  const dayOfMonth = parts[2];
  const dayOfWeek = parts[4];
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
    return `${JSON.stringify(expression)}: exactly one of day-of-month and day-of-week must be "?"`;
  }
  return null;
}

function cronFieldProblem(value: string, field: CronField): string | null {
  for (const item of value.split(',')) {
    if (item === '*') continue;
    if (field.extra?.test(item.toUpperCase())) {
      if (item.includes('#') || item.endsWith('L') || item.endsWith('W')) {
        const number = Number.parseInt(item, 10);
        if (!Number.isNaN(number) && (number < field.min || number > field.max)) {
          return `${field.name} value ${JSON.stringify(item)} is out of range ${field.min}-${field.max}`;
        }
      }
      continue;
    }
    const [range, step, ...rest] = item.split('/');
    if (rest.length > 0 || range === undefined) return `${field.name} value ${JSON.stringify(item)} is not valid`;
    if (step !== undefined && !/^\d+$/.test(step)) {
      return `${field.name} step ${JSON.stringify(step)} is not a positive integer`;
    }
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `${field.name} value ${JSON.stringify(item)} is not valid`;
    for (const bound of bounds) {
      const number = cronValue(bound, field);
      if (number === null) {
        return `${field.name} value ${JSON.stringify(item)} is not valid (allowed: ${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names.at(-1)}` : ''}, with , - * /${field.extra ? ' ? L W #' : ''})`;
      }
    }
  }
  return null;
}

function cronValue(text: string, field: CronField): number | null {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(text)) return null;
  const number = Number(text);
  return number >= field.min && number <= field.max ? number : null;
}

function atProblem(expression: string): string | null {
  const match = AT.exec(expression);
  if (!match) return `${JSON.stringify(expression)} is not an at expression: write at(yyyy-mm-ddThh:mm:ss)`;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const date = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second));
  if (date.getUTCMonth() + 1 !== month || date.getUTCDate() !== day || (hour ?? 0) > 23 || (minute ?? 0) > 59) {
    return `${JSON.stringify(expression)} is not a real date and time`;
  }
  return null;
}
