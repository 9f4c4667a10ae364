import { z } from 'zod';
import { route } from '../route.ts';
import { sendFile } from '../send-file.ts';

const taskKey = z.strictObject({ key: z.string().regex(/^\d{1,19}$/, '待办编号格式错误') });
const light = z.enum(['red', 'yellow', 'green'], { message: '状态灯应为 red、yellow 或 green' });
const page = z.strictObject({
  processId: z.string().max(64).optional(),
  light: light.optional(),
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
  route({
    method: 'get',
    path: '/api/tasks/:key/comments',
    summary: 'Comments on a task I may see; a foreign task is 404',
    access: 'authenticated',
    scope: 'own-department',
    params: taskKey,
    handler: ({ actor, params, services }) => services.collaboration.comments(actor, params.key),
  }),
  route({
    method: 'post',
    path: '/api/tasks/:key/comments',
    summary: 'Comment on a task (its candidates, the office and leaders)',
    access: ['court_analyst', 'leader', 'peace_office', 'department'],
    scope: 'own-department',
    params: taskKey,
    body: z.strictObject({ body: z.string().trim().min(1, '请填写意见').max(2000, '意见不超过 2000 字') }),
    status: 201,
    handler: ({ actor, params, body, services }) => services.collaboration.addComment(actor, params.key, body.body),
  }),
  route({
    method: 'get',
    path: '/api/tasks/:key/attachments',
    summary: 'Attachments of a task I may see; a foreign task is 404',
    access: 'authenticated',
    scope: 'own-department',
    params: taskKey,
    handler: ({ actor, params, services }) => services.collaboration.attachments(actor, params.key),
  }),
  route({
    method: 'post',
    path: '/api/tasks/:key/attachments',
    summary: 'Attach a PDF, Word, Excel, JPEG or PNG file (the body is the file; size limit ATTACHMENT_LIMIT_BYTES; checked by its first bytes)',
    access: ['court_analyst', 'leader', 'peace_office', 'department'],
    scope: 'own-department',
    params: taskKey,
    query: z.strictObject({
      fileName: z
        .string()
        .min(1)
        .max(200, '文件名过长')
        // No path (a/b, ..\\x), no characters Windows refuses, no control characters.
        .refine((n) => !/[\\/:*?"<>|]/.test(n) && ![...n].some((c) => c.charCodeAt(0) < 32), '文件名含有不允许的字符'),
    }),
    status: 201,
    handler: ({ actor, params, query, services, req }) =>
      services.collaboration.addAttachment(actor, params.key, query.fileName, req, req.headers['content-length'] ? Number(req.headers['content-length']) : undefined),
  }),
  route({
    method: 'get',
    path: '/api/tasks/:key/attachments/:id',
    summary: 'Download an attachment of a task I may see',
    access: 'authenticated',
    scope: 'own-department',
    params: z.strictObject({ key: taskKey.shape.key, id: z.uuid('附件编号格式错误') }),
    raw: true,
    handler: async ({ actor, params, services, res }) => sendFile(res, await services.collaboration.attachment(actor, params.key, params.id)),
  }),
  route({
    method: 'get',
    path: '/api/filters',
    summary: 'My saved inbox filters',
    access: 'authenticated',
    scope: 'own-user',
    handler: ({ actor, services }) => services.collaboration.filters(actor),
  }),
  route({
    method: 'post',
    path: '/api/filters',
    summary: 'Save (or replace by name) one of my inbox filters',
    access: 'authenticated',
    scope: 'own-user',
    body: z.strictObject({
      name: z.string().trim().min(1, '请填写名称').max(40, '名称不超过 40 字'),
      filter: z.strictObject({ processId: z.string().max(64).optional(), light: light.optional() }),
    }),
    status: 201,
    handler: ({ actor, body, services }) => services.collaboration.saveFilter(actor, body.name, body.filter),
  }),
  route({
    method: 'delete',
    path: '/api/filters/:id',
    summary: 'Delete one of my saved filters; another user\'s is 404',
    access: 'authenticated',
    scope: 'own-user',
    params: z.strictObject({ id: z.uuid('筛选编号格式错误') }),
    handler: async ({ actor, params, services }) => (await services.collaboration.deleteFilter(actor, params.id), { ok: true }),
  }),
  route({
    method: 'get',
    path: '/api/overdue-tasks',
    summary: 'The county\'s overdue unit tasks, for 催办',
    access: ['peace_office', 'leader'],
    scope: 'none',
    handler: ({ services }) => services.collaboration.overdue(),
  }),
  route({
    method: 'post',
    path: '/api/overdue-tasks/urge',
    summary: 'Bulk 催办: one reminder per overdue task and day to the unit holding it',
    access: ['peace_office'],
    scope: 'none',
    body: z.strictObject({ taskKeys: z.array(taskKey.shape.key).min(1, '请选择要催办的待办').max(200, '一次最多催办 200 件') }),
    handler: ({ actor, body, services }) => services.collaboration.urge(actor, body.taskKeys),
  }),
];
