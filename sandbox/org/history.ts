import type { GroupStore } from './groups.js';
import type { LogDraft, LogParty } from './logs.js';
import { DAY, MINUTE } from './time.js';
import type { UserStore } from './users.js';

/** At most this many recent users contribute generated history (keeps the 1M-user org's log small). */
const MAX_HISTORY_USERS = 2000;

/**
 * System Log history for the 90 days before the epoch: the newest users' creation, activation or deactivation, and
 * their first group membership. Generated only when the log is first read.
 */
export function* generateHistory(users: UserStore, groups: GroupStore, epochMs: number): Iterable<LogDraft> {
  const from = epochMs - 90 * DAY;
  const party = (u: number): LogParty => {
    const { firstName, lastName } = users.names(u);
    return {
      id: users.ids.idOf(u),
      type: 'User',
      alternateId: users.login(u),
      displayName: `${firstName} ${lastName}`,
    };
  };
  let emitted = 0;
  for (let u = users.generatedCount - 1; u >= 0 && emitted < MAX_HISTORY_USERS; u--) {
    const createdMs = users.createdMs(u);
    if (createdMs < from) break;
    emitted++;
    const target = party(u);
    yield {
      eventType: 'user.lifecycle.create',
      displayMessage: 'Create okta user',
      publishedMs: createdMs,
      targets: [target],
    };
    const status = users.status(u);
    if (status === 'DEPROVISIONED') {
      yield {
        eventType: 'user.lifecycle.deactivate',
        displayMessage: 'Deactivate Okta user',
        publishedMs: users.lastUpdatedMs(u),
        targets: [target],
      };
    } else if (status !== 'STAGED' && status !== 'PROVISIONED') {
      yield {
        eventType: 'user.lifecycle.activate',
        displayMessage: 'Activate Okta user',
        publishedMs: createdMs + MINUTE,
        targets: [target],
      };
    }
    for (let g = 1; g < Math.min(groups.size, 20); g++) {
      if (groups.type(g) !== 'OKTA_GROUP' || !groups.isMember(g, u)) continue;
      yield {
        eventType: 'group.user_membership.add',
        displayMessage: 'Add user to group membership',
        publishedMs: createdMs + 2 * MINUTE,
        targets: [
          target,
          {
            id: groups.ids.idOf(g),
            type: 'UserGroup',
            alternateId: 'unknown',
            displayName: String(groups.data(g).profile.name),
          },
        ],
      };
      break;
    }
  }
}
