import { z } from 'zod';
import { orderReasons } from '../../domain/loop/escalation-orders.ts';
import { route } from '../route.ts';

const itemId = z.strictObject({ id: z.uuid('督办事项编号格式错误') });
const progress = z.strictObject({ content: z.string().trim().min(1, '请填写进展情况').max(5000, '进展情况不超过 5000 字') });
const extension = z.strictObject({
  reason: z.string().trim().min(1, '请说明延期理由').max(2000, '延期理由不超过 2000 字'),
  requestedDeadline: z.iso.date('日期格式应为 YYYY-MM-DD'),
});

const evidence = z.string().trim().min(1, '请写明依据和事实').max(2000, '依据和事实不超过 2000 字');
const escalationOrder = z.strictObject({
  step: z.enum(['interview', 'listing'], { message: '决定事项应为约谈（interview）或挂牌督办（listing）' }),
  reason: z.enum(orderReasons, { message: '请选择第十五条所列事由' }),
  evidence,
  // Set when the order accepts a prompt of the data: the prompt is then decided with it.
  promptKey: z.string().min(1).max(200).optional(),
});
/** A 约谈 of the unit itself: only the 约谈 reasons of 第十五条 (the service names a 挂牌 reason as misplaced). */
const unitInterviewOrder = z.strictObject({
  reason: z.enum(orderReasons, { message: '请选择第十五条所列事由' }),
  evidence,
  promptKey: z.string().min(1).max(200).optional(),
});
const promptDismissal = z.strictObject({
  promptKey: z.string().min(1, '缺少建议编号').max(200),
  note: z.string().trim().max(500, '说明不超过 500 字').optional(),
});

/** A lead unit's messages to its running supervision item (progress, extension); the office's view of who reported; a leader's 约谈/挂牌 orders. */
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
  route({
    method: 'get',
    path: '/api/escalation-orders',
    summary: '约谈 and 挂牌督办 by decision (第十五条): the prompts the data raise, the items an order can go to, the orders and dismissals on record',
    access: ['peace_office', 'leader'],
    scope: 'none',
    handler: ({ services }) => services.escalationOrders.board(),
  }),
  route({
    method: 'post',
    path: '/api/items/:id/escalation-orders',
    summary: 'A leader orders 约谈 of the lead unit\'s principal or 挂牌督办 of an item in handling, with the policy\'s reason and the evidence (accepting a prompt when promptKey is set)',
    access: ['leader'],
    scope: 'none',
    params: itemId,
    body: escalationOrder,
    status: 201,
    handler: ({ actor, params, body, services }) => services.escalationOrders.order(actor, { itemId: params.id, ...body }),
  }),
  route({
    method: 'post',
    path: '/api/departments/:id/interview-orders',
    summary: 'A leader orders the 约谈 of a unit\'s principal without an item (第十五条), e.g. a township prompted by its 信访/舆情; started as a unit-interview; audited',
    access: ['leader'],
    scope: 'none',
    params: z.strictObject({ id: z.string().min(1).max(40, '单位编号过长') }),
    body: unitInterviewOrder,
    status: 201,
    handler: ({ actor, params, body, services }) => services.escalationOrders.orderUnitInterview(actor, { departmentId: params.id, ...body }),
  }),
  route({
    method: 'post',
    path: '/api/escalation-prompts/dismissal',
    summary: 'A leader dismisses a 建议约谈/挂牌 prompt, with a note; audited',
    access: ['leader'],
    scope: 'none',
    body: promptDismissal,
    handler: ({ actor, body, services }) => services.escalationOrders.dismissPrompt(actor, body),
  }),
];
