import { z } from 'zod';
import { route } from '../route.ts';

const taskKey = z.strictObject({ key: z.string().regex(/^\d{1,19}$/, '待办编号格式错误') });
const page = z.strictObject({
  processId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
const completion = z.strictObject({ variables: z.record(z.string().max(64), z.unknown()).default({}) });

/** The inbox: Zeebe user tasks of the caller's candidate groups, read from the exporter's read model. */
export const taskRoutes = [
  route({
    method: 'get',
    path: '/api/tasks',
    summary: 'Open user tasks of my department and roles, earliest due first',
    access: 'authenticated',
    scope: 'own-department',
    query: page,
    handler: ({ actor, query, services }) => services.inbox.list(actor, query),
  }),
  route({
    method: 'get',
    path: '/api/tasks/count',
    summary: 'Badge count of my open tasks',
    access: 'authenticated',
    scope: 'own-department',
    handler: async ({ actor, services }) => ({ count: await services.inbox.count(actor) }),
  }),
  route({
    method: 'get',
    path: '/api/tasks/:key',
    summary: 'One task with its form; a foreign task is 404',
    access: 'authenticated',
    scope: 'own-department',
    params: taskKey,
    handler: ({ actor, params, services }) => services.inbox.get(actor, params.key),
  }),
  route({
    method: 'post',
    path: '/api/tasks/:key/claim',
    summary: 'Claim a task',
    access: ['court_analyst', 'leader', 'peace_office', 'department'],
    scope: 'own-department',
    params: taskKey,
    handler: async ({ actor, params, services }) => (await services.inbox.claim(actor, params.key), { ok: true }),
  }),
  route({
    method: 'post',
    path: '/api/tasks/:key/unclaim',
    summary: 'Give a claimed task back to the group',
    access: ['court_analyst', 'leader', 'peace_office', 'department'],
    scope: 'own-department',
    params: taskKey,
    handler: async ({ actor, params, services }) => (await services.inbox.unclaim(actor, params.key), { ok: true }),
  }),
  route({
    method: 'post',
    path: '/api/tasks/:key/complete',
    summary: 'Complete a task with its form variables',
    access: ['court_analyst', 'leader', 'peace_office', 'department'],
    scope: 'own-department',
    params: taskKey,
    body: completion,
    handler: async ({ actor, params, body, services }) => (await services.inbox.complete(actor, params.key, body.variables), { ok: true }),
  }),
];
