import { describe, expect, it } from 'vitest';
import { scheduleExpressionProblem } from '../../../../lambdas/flow/config/schedule-expression.js';
import { timeZoneProblem } from '../../../../lambdas/flow/config/time-zone.js';

describe('scheduleExpressionProblem', () => {
  it.each([
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(1 hour)',
    'rate(12 hours)',
    'rate(1 day)',
    'rate(7 days)',
    'cron(0 * * * ? *)',
    'cron(0 2 * * ? *)',
    'cron(15 10 ? * MON-FRI *)',
    'cron(0/15 * * * ? *)',
    'cron(0 8 1,15 * ? 2026-2030)',
    'cron(0 18 L * ? *)',
    'cron(0 9 ? * 6L *)',
    'cron(0 9 ? * MON#1 *)',
    'cron(0 9 15W JAN,JUL ? *)',
    'at(2026-12-01T09:00:00)',
  ])('accepts %s', (expression) => {
    expect(scheduleExpressionProblem(expression)).toBeNull();
  });

  it.each([
    ['every hour', '"every hour" is not a schedule expression (use rate(…), cron(…) or at(…))'],
    ['rate(1 hours)', '"rate(1 hours)": use the singular unit for 1 (rate(1 hour))'],
    ['rate(2 hour)', '"rate(2 hour)": use the plural unit for 2 (rate(2 hours))'],
    ['rate(0 minutes)', '"rate(0 minutes)": the rate must be at least 1'],
    ['rate(1 week)', '"rate(1 week)" is not a rate expression: write rate(<positive integer> <unit>)'],
    [
      'cron(0 * * * ?)',
      '"cron(0 * * * ?)" has 5 fields; a cron expression has 6: minutes hours day-of-month month day-of-week year',
    ],
    ['cron(0 * * * * *)', '"cron(0 * * * * *)": exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(0 * ? * ? *)', '"cron(0 * ? * ? *)": exactly one of day-of-month and day-of-week must be "?"'],
    ['cron(60 * * * ? *)', '"cron(60 * * * ? *)": minutes value "60" is not valid (allowed: 0-59, with , - * /)'],
    ['cron(0 24 * * ? *)', '"cron(0 24 * * ? *)": hours value "24" is not valid (allowed: 0-23, with , - * /)'],
    [
      'cron(0 0 ? * FUNDAY *)',
      '"cron(0 0 ? * FUNDAY *)": day-of-week value "FUNDAY" is not valid (allowed: 1-7 or SUN-SAT, with , - * / ? L W #)',
    ],
    ['cron(0/x * * * ? *)', '"cron(0/x * * * ? *)": minutes step "x" is not a positive integer'],
    ['at(2026-02-30T09:00:00)', '"at(2026-02-30T09:00:00)" is not a real date and time'],
    ['at(tomorrow)', '"at(tomorrow)" is not an at expression: write at(yyyy-mm-ddThh:mm:ss)'],
  ])('rejects %s', (expression, message) => {
    expect(scheduleExpressionProblem(expression)).toBe(message);
  });
});

describe('timeZoneProblem', () => {
  it.each(['UTC', 'Europe/Paris', 'America/New_York', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'])(
    'accepts %s',
    (zone) => {
      expect(timeZoneProblem(zone)).toBeNull();
    },
  );

  it.each([
    ['Mars/Olympus', '"Mars/Olympus" is not a known IANA time zone'],
    ['+01:00', '"+01:00" is not an IANA time zone name'],
    ['america/new_york', '"america/new_york" is misspelt: write "America/New_York"'],
  ])('rejects %s', (zone, message) => {
    expect(timeZoneProblem(zone)).toBe(message);
  });
});
