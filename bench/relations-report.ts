/** The result of bench/relations.ts and its section of BENCHMARKS.md. */
import { markdownTable } from './lib/markdown-table.js';

export interface RelationsReport {
  readonly users: number;
  readonly groups: number;
  readonly full: {
    readonly requests: number;
    /** Group pages at the run's page size (1000) + Σ ceil(members / 1000) over non-empty groups. */
    readonly minimum: number;
    /** The same with Okta's largest group page (10,000). */
    readonly minimumAtMaxPage: number;
    readonly nonEmptyGroups: number;
    readonly records: number;
    readonly seconds: number;
  };
  /** A non-empty group deleted between two incremental runs: the next run's requests and tombstones. */
  readonly groupDeleted?: {
    readonly members: number;
    readonly requests: number;
    /** The id listing of every group + the (empty) changed-groups page. */
    readonly minimum: number;
    readonly tombstones: number;
  };
  /** Per k: requests, and the minimum (id pages + 1 groups page + the member pages of the k changed groups). */
  readonly incremental: readonly {
    readonly k: number;
    readonly requests: number;
    readonly minimum: number;
    readonly records: number;
  }[];
  readonly rateShare: {
    readonly share: number;
    readonly allowedPerMinute: number;
    readonly perMinute: readonly number[];
    readonly busiest60s: number;
    readonly throttled: number;
    readonly seconds: number;
  };
}

const ratio = (a: number, b: number): string => (b === 0 ? '-' : `${(a / b).toFixed(3)}×`);

export function renderRelations(r: RelationsReport): string {
  const full = markdownTable(
    [
      'org',
      'non-empty groups',
      'pairs',
      'requests',
      'minimum (1000-group pages)',
      'ratio',
      'minimum (10,000)',
      'ratio',
      's',
    ],
    [
      [
        `${r.users.toLocaleString('en-US')} users, ${r.groups.toLocaleString('en-US')} groups`,
        r.full.nonEmptyGroups,
        r.full.records,
        r.full.requests,
        r.full.minimum,
        ratio(r.full.requests, r.full.minimum),
        r.full.minimumAtMaxPage,
        ratio(r.full.requests, r.full.minimumAtMaxPage),
        r.full.seconds.toFixed(1),
      ],
    ],
  );
  const incremental = markdownTable(
    [
      'changed groups k',
      'requests',
      'expected (id pages + 1 + member pages of the k groups, +1 member each)',
      'pairs re-read',
    ],
    r.incremental.map((x) => [x.k, x.requests, x.minimum, x.records]),
  );
  const busiest = Math.max(0, ...r.rateShare.perMinute.slice(0, -1));
  const rate = markdownTable(
    ['share', 'allowed/min', 'requests per minute', 'busiest full minute', 'busiest 60 s', '429s'],
    [
      [
        r.rateShare.share,
        r.rateShare.allowedPerMinute,
        r.rateShare.perMinute.join(', '),
        `${busiest} (${r.rateShare.allowedPerMinute === 0 ? '-' : `${Math.round((100 * busiest) / r.rateShare.allowedPerMinute)}%`})`,
        r.rateShare.busiest60s,
        r.rateShare.throttled,
      ],
    ],
  );
  return [
    'Full GroupMember run (rate limits off): requests against the minimum, group pages + Σ ceil(members / 1000) over non-empty groups.',
    '',
    full,
    '',
    'Incremental GroupMember run after adding one user to k groups (`filter=lastMembershipUpdated`, overlap 0): requests ∝ k, ' +
      'plus the id listing of every group (which still exist). ' +
      'The expectation assumes every add is new; where the user already was a member the add changes nothing (no ' +
      'lastMembershipUpdated bump), so a run can cost less than expected, never more.',
    '',
    incremental,
    '',
    ...(r.groupDeleted === undefined
      ? []
      : [
          'A non-empty group deleted between two incremental runs: the next incremental run lists every group id ' +
            '(`limit=10000`, ceil(groups / 10,000) requests) and tombstones the pairs of groups that vanished.',
          '',
          markdownTable(
            ['members of the deleted group', 'requests', 'expected (id pages + 1 groups page)', 'tombstones'],
            [[r.groupDeleted.members, r.groupDeleted.requests, r.groupDeleted.minimum, r.groupDeleted.tombstones]],
          ),
          '',
        ]),
    `Full GroupMember run with Okta's limits on (groups bucket ${Math.round(r.rateShare.allowedPerMinute / r.rateShare.share)}/min) at the default share, stopped after ${r.rateShare.seconds.toFixed(0)} s (the last minute is partial).`,
    '',
    rate,
    '',
    `Command: \`npx tsx bench/relations.ts --users ${r.users} --groups ${r.groups}\`. Shared 2-core machine (other helpers' work ran at the same time).`,
  ].join('\n');
}
