import type { Expr } from './ast.js';

export interface TimeRange {
  /** Inclusive lower bound in ms, or -Infinity. */
  readonly fromMs: number;
  /** Exclusive upper bound in ms, or +Infinity. */
  readonly untilMs: number;
}

/**
 * The range of `attr` (a millisecond-precision date) that an expression's top-level `and` terms confine it to. Lets
 * a scan skip index spans when the attribute grows with the index (users' `created`): a time-sliced scan then costs
 * its slice, not the whole org. Anything under `or`/`not` is ignored (the range is only ever wider than the truth).
 */
export function dateRange(expr: Expr, attr: string): TimeRange {
  switch (expr.type) {
    case 'and': {
      const left = dateRange(expr.left, attr);
      const right = dateRange(expr.right, attr);
      return { fromMs: Math.max(left.fromMs, right.fromMs), untilMs: Math.min(left.untilMs, right.untilMs) };
    }
    case 'cmp': {
      if (expr.attr !== attr || expr.value.kind !== 'string') break;
      const ms = Date.parse(expr.value.value);
      if (Number.isNaN(ms)) break;
      switch (expr.op) {
        case 'gt':
          return { fromMs: ms + 1, untilMs: Number.POSITIVE_INFINITY };
        case 'ge':
          return { fromMs: ms, untilMs: Number.POSITIVE_INFINITY };
        case 'lt':
          return { fromMs: Number.NEGATIVE_INFINITY, untilMs: ms };
        case 'le':
          return { fromMs: Number.NEGATIVE_INFINITY, untilMs: ms + 1 };
        case 'eq':
          return { fromMs: ms, untilMs: ms + 1 };
        default:
          break;
      }
      break;
    }
    default:
      break;
  }
  return { fromMs: Number.NEGATIVE_INFINITY, untilMs: Number.POSITIVE_INFINITY };
}
