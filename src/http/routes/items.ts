import { z } from 'zod';
import { route } from '../route.ts';

const itemId = z.strictObject({ id: z.uuid('督办事项编号格式错误') });
const progress = z.strictObject({ content: z.string().trim().min(1, '请填写进展情况').max(5000, '进展情况不超过 5000 字') });
const extension = z.strictObject({
  reason: z.string().trim().min(1, '请说明延期理由').max(2000, '延期理由不超过 2000 字'),
  requestedDeadline: z.iso.date('日期格式应为 YYYY-MM-DD'),
});

/** A lead unit's messages to its running supervision item: progress at any time, extension before the deadline; the office's view of who reported. */
export const itemRoutes = [
  route({
    method: 'get',
    path: '/api/items/major-progress',
    summary: 'Major items in handling with their latest progress report (第十三条): who has not reported, and when each last did',
    access: ['peace_office', 'leader'],
    scope: 'none',
    handler: ({ services }) => services.itemRequests.majorProgress(),
  }),
  route({
    method: 'post',
    path: '/api/items/:id/progress',
    summary: 'The lead unit reports progress on its item (any time while it is handled); foreign items are 404',
    access: ['department'],
    scope: 'own-department',
    params: itemId,
    body: progress,
    handler: ({ actor, params, body, services }) => services.itemRequests.reportProgress(actor, params.id, body),
  }),
  route({
    method: 'post',
    path: '/api/items/:id/extension',
    summary: 'The lead unit asks for a later deadline before the current one passes; the office and a leader decide; foreign items are 404',
    access: ['department'],
    scope: 'own-department',
    params: itemId,
    body: extension,
    handler: ({ actor, params, body, services }) => services.itemRequests.requestExtension(actor, params.id, body),
  }),
];
