/**
 * One plan row: its schema per action (zod), so a bad row is named by row, field and reason. Empty values (CSV's
 * empty cells, JSON nulls from `okta-flow query --json`) mean "absent".
 */
import { z } from 'zod';
import { ACTION_NAMES, ACTIONS, type ActionName, isActionName, type TargetField } from './actions.js';
import type { RowProblem } from './errors.js';

export interface PlanRow {
  /** 1-based position of the action in the plan. */
  readonly row: number;
  readonly action: ActionName;
  readonly user?: string;
  readonly group?: string;
  readonly app?: string;
  readonly profile?: Readonly<Record<string, unknown>>;
  readonly allowAdmin?: boolean;
}

/** Profile attributes a plan may never carry: credentials do not belong in plans, audits or dry-run output. */
const FORBIDDEN_PROFILE_KEYS = ['password', 'credentials', 'recovery_question', 'secret'];

const reference = (field: TargetField, action: ActionName) =>
  z
    .string({
      error: `required by ${action}: the ${field}'s ${field === 'user' ? 'id or login' : field === 'group' ? 'id or name' : 'id or label'}`,
    })
    .trim()
    .min(1, 'must not be empty')
    .max(1024);
const profile = z
  .record(z.string(), z.unknown(), { error: 'required: a JSON object of profile attributes' })
  .refine((p) => Object.keys(p).length > 0, 'must set at least one attribute')
  .superRefine((p, ctx) => {
    for (const key of Object.keys(p)) {
      if (FORBIDDEN_PROFILE_KEYS.includes(key.toLowerCase())) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'credentials are never accepted in a plan' });
      }
    }
  });

const USER_PROFILE_REQUIRED = ['login', 'email', 'firstName', 'lastName'] as const;

function schemaFor(action: ActionName) {
  const def = ACTIONS[action];
  const shape: Record<string, z.ZodType> = {
    action: z.literal(action),
    allowAdmin: z.boolean({ error: 'must be true or false' }).optional(),
  };
  for (const t of ['user', 'group', 'app'] as const satisfies readonly TargetField[]) {
    shape[t] = def.targets.includes(t)
      ? reference(t, action)
      : z.never({ error: `${action} does not use ${t}: leave it empty` }).optional();
  }
  let p: z.ZodType = profile;
  if (action === 'create-user') {
    p = profile.superRefine((v, ctx) => {
      for (const key of USER_PROFILE_REQUIRED) {
        if (typeof v[key] !== 'string' || (v[key] as string).trim() === '') {
          ctx.addIssue({ code: 'custom', path: [key], message: 'required (a non-empty string) to create a user' });
        }
      }
    });
  } else if (action === 'create-group') {
    p = profile.superRefine((v, ctx) => {
      if (typeof v.name !== 'string' || v.name.trim() === '') {
        ctx.addIssue({ code: 'custom', path: ['name'], message: 'required (a non-empty string) to create a group' });
      }
    });
  }
  shape.profile =
    def.profile === 'required'
      ? p
      : def.profile === 'optional'
        ? p.optional()
        : z.never({ error: `${action} does not use profile: leave it empty` }).optional();
  return z.strictObject(shape);
}

const SCHEMAS = Object.fromEntries(ACTION_NAMES.map((a) => [a, schemaFor(a)])) as Record<
  ActionName,
  ReturnType<typeof schemaFor>
>;

/** Drops absent values (undefined, null, '') so CSV cells and query NULLs read as "not given". */
function present(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

/** Validates one raw row (already decoded from JSON or CSV) into a PlanRow, or the problems it has. */
export function validateRow(rowNumber: number, raw: unknown): { row: PlanRow } | { problems: RowProblem[] } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { problems: [{ row: rowNumber, field: '(row)', reason: 'must be a JSON object' }] };
  }
  const values = present(raw as Record<string, unknown>);
  const action = values.action;
  if (typeof action !== 'string') {
    return { problems: [{ row: rowNumber, field: 'action', reason: 'required: one of the actions in the README' }] };
  }
  if (!isActionName(action)) {
    return {
      problems: [
        {
          row: rowNumber,
          field: 'action',
          reason: `unknown action ${JSON.stringify(action)} (one of ${ACTION_NAMES.join(', ')})`,
        },
      ],
    };
  }
  const parsed = SCHEMAS[action].safeParse(values);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => ({
        row: rowNumber,
        field: issue.path.map(String).join('.') || '(row)',
        reason: issue.code === 'unrecognized_keys' ? `unknown column(s) ${issue.keys.join(', ')}` : issue.message,
      })),
    };
  }
  const data = parsed.data as Record<string, unknown>;
  return {
    row: {
      row: rowNumber,
      action,
      ...(typeof data.user === 'string' ? { user: data.user } : {}),
      ...(typeof data.group === 'string' ? { group: data.group } : {}),
      ...(typeof data.app === 'string' ? { app: data.app } : {}),
      ...(data.profile !== undefined ? { profile: data.profile as Record<string, unknown> } : {}),
      ...(data.allowAdmin !== undefined ? { allowAdmin: data.allowAdmin as boolean } : {}),
    },
  };
}
