/**
 * The engine's identity as the app's users and units say it should be (issue 18): every unit is an
 * engine group (a task's candidate group is a unit id or a role name), every role is a group, and
 * every enabled user is an engine user with the same user name, member of its unit, its roles and —
 * for the app's administrators — the engine's own administrators' group. Pure: the service reads
 * both sides and applies the repairs (src/services/engine-identity.ts).
 */

/** The engine's administrators' group: Cockpit, Admin, every resource. */
export const ENGINE_ADMIN_GROUP = 'operaton-admin';

/** Role names as engine groups, with the names Tasklist and Admin show. */
export const ROLE_GROUP_NAMES: Readonly<Record<string, string>> = {
  court_analyst: '法院数据分析',
  leader: '县领导',
  peace_office: '平安办',
  department: '责任单位',
  admin: '系统管理员',
  auditor: '纪检审计',
};

/** A candidate group as people read it (issue 21): its unit's name, else its role's, never the id where a name exists. */
export function groupName(groupId: string, unitNames: ReadonlyMap<string, string>): string {
  return unitNames.get(groupId) ?? ROLE_GROUP_NAMES[groupId] ?? groupId;
}

export interface AppUnit {
  id: string;
  name: string;
}

export interface AppUser {
  username: string;
  displayName: string;
  departmentId: string | null;
  roles: readonly string[];
  email: string | null;
  disabled: boolean;
}

export interface EngineGroup {
  id: string;
  name: string;
  type: 'unit' | 'role';
}

export interface EngineUser {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
}

export interface EngineIdentity {
  groups: EngineGroup[];
  users: EngineUser[];
  /** userId → group ids. */
  memberships: ReadonlyMap<string, readonly string[]>;
}

export type IdentityRepair =
  | { kind: 'createGroup' | 'updateGroup'; group: EngineGroup }
  | { kind: 'createUser' | 'updateUser'; user: EngineUser }
  | { kind: 'deleteUser'; userId: string }
  | { kind: 'addMember' | 'removeMember'; userId: string; groupId: string };

/** The engine user of an app user: its name first, its unit (or first role) where Tasklist shows a last name. */
export function engineUserOf(user: AppUser, units: ReadonlyMap<string, string>): EngineUser {
  const unit = user.departmentId ? units.get(user.departmentId) : undefined;
  return { id: user.username, firstName: user.displayName, lastName: unit ?? ROLE_GROUP_NAMES[user.roles[0] ?? ''] ?? '', email: user.email ?? '' };
}

/** The groups an app user belongs to in the engine; none when disabled. */
export function engineGroupsOf(user: AppUser): string[] {
  if (user.disabled) return [];
  const groups = new Set<string>(user.roles);
  if (user.departmentId) groups.add(user.departmentId);
  if (user.roles.includes('admin')) groups.add(ENGINE_ADMIN_GROUP);
  return [...groups].sort();
}

/** The identity the engine should have: one group per unit and per role, one user per enabled app user. */
export function desiredIdentity(units: readonly AppUnit[], users: readonly AppUser[]): EngineIdentity {
  const unitNames = new Map(units.map((u) => [u.id, u.name]));
  const enabled = users.filter((u) => !u.disabled);
  return {
    groups: [
      ...units.map((u): EngineGroup => ({ id: u.id, name: u.name, type: 'unit' })),
      ...Object.entries(ROLE_GROUP_NAMES).map(([id, name]): EngineGroup => ({ id, name, type: 'role' })),
    ],
    users: enabled.map((u) => engineUserOf(u, unitNames)),
    memberships: new Map(enabled.map((u) => [u.username, engineGroupsOf(u)])),
  };
}

/**
 * What to do to the engine so that it matches `desired`. Users the app does not know are deleted,
 * except `reserved` ones (the engine's own administrator and the app's service account); groups
 * are created and renamed, never deleted (history and authorizations still name old units), and
 * the engine's administrators' group is never touched but through memberships.
 */
export function identityRepairs(desired: EngineIdentity, actual: EngineIdentity, reserved: ReadonlySet<string>): IdentityRepair[] {
  const repairs: IdentityRepair[] = [];
  const actualGroups = new Map(actual.groups.map((g) => [g.id, g]));
  for (const group of desired.groups) {
    const present = actualGroups.get(group.id);
    if (!present) repairs.push({ kind: 'createGroup', group });
    else if (present.name !== group.name || present.type !== group.type) repairs.push({ kind: 'updateGroup', group });
  }
  const actualUsers = new Map(actual.users.map((u) => [u.id, u]));
  const desiredIds = new Set(desired.users.map((u) => u.id));
  for (const user of desired.users) {
    const present = actualUsers.get(user.id);
    if (!present) repairs.push({ kind: 'createUser', user });
    else if (present.firstName !== user.firstName || present.lastName !== user.lastName || present.email !== user.email) repairs.push({ kind: 'updateUser', user });
    const want = new Set(desired.memberships.get(user.id) ?? []);
    const have = new Set(present ? (actual.memberships.get(user.id) ?? []) : []);
    for (const groupId of [...want].sort()) if (!have.has(groupId)) repairs.push({ kind: 'addMember', userId: user.id, groupId });
    for (const groupId of [...have].sort()) if (!want.has(groupId)) repairs.push({ kind: 'removeMember', userId: user.id, groupId });
  }
  for (const user of actual.users) {
    if (!desiredIds.has(user.id) && !reserved.has(user.id)) repairs.push({ kind: 'deleteUser', userId: user.id });
  }
  return repairs;
}
