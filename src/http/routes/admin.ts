import { z } from 'zod';
import { ALL_ROLES, type Role } from '../../services/actor.ts';
import { route } from '../route.ts';

const newUser = z.strictObject({
  username: z.string().regex(/^[a-z0-9_.-]{3,64}$/, '只能包含小写字母、数字、下划线、点和连字符，3–64 位'),
  displayName: z.string().min(1).max(64),
  password: z.string().min(12).max(128),
  departmentId: z.string().max(64).nullable(),
  roles: z.array(z.enum(ALL_ROLES as [Role, ...Role[]])).min(1),
  email: z.email().nullable().optional(),
});
const userId = z.strictObject({ id: z.uuid('用户编号格式错误') });
const auditQuery = z.strictObject({
  entityType: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  beforeId: z.coerce.number().int().positive().optional(),
});

export const adminRoutes = [
  route({
    method: 'get',
    path: '/api/departments',
    summary: 'County units (names are public organisational data)',
    access: 'authenticated',
    scope: 'none',
    handler: ({ services }) =>
      services.db.query(`SELECT id, name, kind, email FROM department WHERE active ORDER BY sort_order`),
  }),
  route({
    method: 'get',
    path: '/api/admin/users',
    summary: 'All users',
    access: ['admin', 'auditor'],
    scope: 'none',
    handler: ({ services }) => services.users.list(),
  }),
  route({
    method: 'post',
    path: '/api/admin/users',
    summary: 'Create a user',
    access: ['admin'],
    scope: 'none',
    body: newUser,
    status: 201,
    async handler({ actor, body, services }) {
      const user = await services.users.create(actor, body);
      await services.engineIdentity.afterUsersChanged([{ username: user.username, password: body.password }]);
      return user;
    },
  }),
  route({
    method: 'post',
    path: '/api/admin/users/:id/disable',
    summary: 'Disable a user and end all its sessions',
    access: ['admin'],
    scope: 'none',
    params: userId,
    async handler({ actor, params, services }) {
      const user = await services.users.setDisabled(actor, params.id, true);
      await services.engineIdentity.afterUsersChanged([{ username: user.username }]);
      return user;
    },
  }),
  route({
    method: 'post',
    path: '/api/admin/users/:id/enable',
    summary: 'Enable a user',
    access: ['admin'],
    scope: 'none',
    params: userId,
    async handler({ actor, params, services }) {
      const user = await services.users.setDisabled(actor, params.id, false);
      await services.engineIdentity.afterUsersChanged([{ username: user.username }]);
      return user;
    },
  }),
  route({
    method: 'delete',
    path: '/api/admin/users/:id/mfa',
    summary: 'Remove a user\'s second factor (a lost phone) and end its sessions; its next login sets up a new one',
    access: ['admin'],
    scope: 'none',
    params: userId,
    async handler({ actor, params, services }) {
      await services.mfa.reset(actor, params.id);
      return { ok: true };
    },
  }),
  route({
    method: 'get',
    path: '/api/audit',
    summary: 'The append-only audit log, newest first',
    access: ['admin', 'auditor'],
    scope: 'none',
    query: auditQuery,
    handler: ({ query, services }) =>
      services.db.query(
        `SELECT * FROM audit_log WHERE ($1::text IS NULL OR entity_type = $1) AND ($2::bigint IS NULL OR id < $2)
         ORDER BY id DESC LIMIT $3`,
        [query.entityType ?? null, query.beforeId ?? null, query.limit],
      ),
  }),
  route({
    method: 'get',
    path: '/api/admin/mail',
    summary: 'Development only: what the local mail catcher received, newest first (404 in production)',
    access: ['admin'],
    scope: 'none',
    handler: async ({ services }) => services.devMailbox.list(),
  }),
  route({
    method: 'get',
    path: '/api/admin/departments',
    summary: 'Every unit with its mail addresses and whether it takes part',
    access: ['admin', 'auditor'],
    scope: 'none',
    handler: ({ services }) => services.units.list(),
  }),
  route({
    method: 'patch',
    path: '/api/admin/departments/:id',
    summary: "Change a unit's mail address, its leader's (cc on 催办) or whether it takes part; audited",
    access: ['admin'],
    scope: 'none',
    params: z.strictObject({ id: z.string().min(1).max(64) }),
    body: z.strictObject({
      email: z.email('电子邮箱格式不正确').optional(),
      leaderEmail: z.email('电子邮箱格式不正确').nullable().optional(),
      active: z.boolean().optional(),
    }),
    handler: ({ actor, params, body, services }) => services.units.update(actor, params.id, body),
  }),
  route({
    method: 'get',
    path: '/api/admin/settings',
    summary: 'The effective loop durations, calendar dates and scoring rules (set in the environment)',
    access: ['admin', 'auditor'],
    scope: 'none',
    handler: async ({ services }) => services.units.settings(),
  }),
];
