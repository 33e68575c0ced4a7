import type { SandboxClock } from '../clock.js';
import type { AppAssignments } from './app-assignments.js';
import type { AppStore } from './apps.js';
import type { DeviceStore } from './devices.js';
import type { FactorStore } from './factors.js';
import type { GroupStore } from './groups.js';
import type { LogStore } from './logs.js';
import type { RoleStore } from './roles.js';
import type { UserTypeStore } from './user-types.js';
import type { UserStore } from './users.js';

/** Everything the routes and the admin layer share: the stores, the clock and the System Log. */
export interface OrgState {
  readonly clock: SandboxClock;
  readonly epochMs: number;
  readonly users: UserStore;
  readonly groups: GroupStore;
  readonly apps: AppStore;
  readonly assignments: AppAssignments;
  readonly devices: DeviceStore;
  readonly roles: RoleStore;
  readonly factors: FactorStore;
  readonly userTypes: UserTypeStore;
  readonly logs: LogStore;
}
