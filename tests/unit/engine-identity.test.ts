import { describe, expect, it } from 'vitest';
import { desiredIdentity, engineGroupsOf, groupName, identityRepairs, ROLE_GROUP_NAMES, type AppUser, type EngineIdentity } from '../../src/domain/identity/engine-identity.ts';
import { roleNames } from '../../web-modeler-assets/app/role-names.ts';

const units = [
  { id: 'jrj', name: '县金融工作局' },
  { id: 'pab', name: '县平安办' },
];
const user = (o: Partial<AppUser> & { username: string }): AppUser => ({ displayName: o.username, departmentId: null, roles: ['department'], email: null, disabled: false, ...o });
const reserved = new Set(['risk-loop-service', 'engine-admin']);
const empty: EngineIdentity = { groups: [], users: [], memberships: new Map() };

describe('engine identity from the app’s users and units', () => {
  it('when a department clerk is enabled, then it belongs to its unit and its role; an app admin also to the engine admins', () => {
    expect(engineGroupsOf(user({ username: 'wu', departmentId: 'jrj' }))).toEqual(['department', 'jrj']);
    expect(engineGroupsOf(user({ username: 'root', roles: ['admin'] }))).toEqual(['admin', 'operaton-admin']);
    expect(engineGroupsOf(user({ username: 'wu', departmentId: 'jrj', disabled: true }))).toEqual([]);
  });

  it('when a task names its candidate groups, then units and roles read by their Chinese names', () => {
    const unitNames = new Map(units.map((u) => [u.id, u.name]));
    expect(['jrj', 'peace_office', 'court_analyst', 'leader', 'unknown-group'].map((g) => groupName(g, unitNames))).toEqual(['县金融工作局', '平安办', '法院数据分析', '县领导', 'unknown-group']);
  });

  it('when a role is named, then the web app and the engine’s groups (Tasklist, Admin) call it the same', () => {
    expect(roleNames).toEqual(ROLE_GROUP_NAMES);
  });

  it('when the engine is empty, then every unit and role becomes a group and every enabled user a member of its groups', () => {
    const desired = desiredIdentity(units, [user({ username: 'wu', displayName: '吴科长', departmentId: 'jrj', email: 'wu@jrj.example' }), user({ username: 'gone', departmentId: 'jrj', disabled: true })]);
    const repairs = identityRepairs(desired, empty, reserved);
    expect(repairs.filter((r) => r.kind === 'createGroup').map((r) => r.kind === 'createGroup' && r.group.id)).toEqual([
      'jrj',
      'pab',
      'court_analyst',
      'leader',
      'peace_office',
      'department',
      'admin',
      'auditor',
    ]);
    expect(repairs.filter((r) => r.kind !== 'createGroup')).toEqual([
      { kind: 'createUser', user: { id: 'wu', firstName: '吴科长', lastName: '县金融工作局', email: 'wu@jrj.example' } },
      { kind: 'addMember', userId: 'wu', groupId: 'department' },
      { kind: 'addMember', userId: 'wu', groupId: 'jrj' },
    ]);
  });

  it('when the engine drifted, then a renamed unit, a moved user, a stray user and a disabled user are repaired, reserved accounts left alone', () => {
    const desired = desiredIdentity(units, [user({ username: 'wu', displayName: '吴科长', departmentId: 'pab', roles: ['peace_office'] }), user({ username: 'zhao', disabled: true, departmentId: 'jrj' })]);
    const groups = desired.groups.map((g) => (g.id === 'jrj' ? { ...g, name: '金融办' } : g));
    const actual: EngineIdentity = {
      groups,
      users: [
        { id: 'wu', firstName: '吴科长', lastName: '县平安办', email: '' },
        { id: 'zhao', firstName: 'zhao', lastName: '县金融工作局', email: '' },
        { id: 'stray', firstName: 'x', lastName: 'y', email: '' },
        { id: 'engine-admin', firstName: 'risk-loop', lastName: 'Admin', email: '' },
        { id: 'risk-loop-service', firstName: 'risk-loop', lastName: 'service', email: '' },
      ],
      memberships: new Map([
        ['wu', ['department', 'jrj']],
        ['zhao', ['department', 'jrj']],
        ['engine-admin', ['operaton-admin']],
      ]),
    };
    expect(identityRepairs(desired, actual, reserved)).toEqual([
      { kind: 'updateGroup', group: { id: 'jrj', name: '县金融工作局', type: 'unit' } },
      { kind: 'addMember', userId: 'wu', groupId: 'pab' },
      { kind: 'addMember', userId: 'wu', groupId: 'peace_office' },
      { kind: 'removeMember', userId: 'wu', groupId: 'department' },
      { kind: 'removeMember', userId: 'wu', groupId: 'jrj' },
      { kind: 'deleteUser', userId: 'zhao' },
      { kind: 'deleteUser', userId: 'stray' },
    ]);
  });

  it('when the engine is in step, then there is nothing to repair', () => {
    const desired = desiredIdentity(units, [user({ username: 'wu', departmentId: 'jrj' })]);
    expect(identityRepairs(desired, desired, reserved)).toEqual([]);
  });
});
