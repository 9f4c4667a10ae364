import { z } from 'zod';
import { traceKinds } from '../../services/loop/trace-view.ts';
import { route } from '../route.ts';

const node = z.strictObject({
  kind: z.enum(traceKinds as [string, ...string[]], { message: '追溯对象类型应为 indicator、notice、opinion、measure、item、escalation、meeting、decision 或 outcome' }),
  id: z.string().min(1).max(200, '编号过长'),
});

/** Traceability: from any record of the loop to the whole chain it belongs to. */
export const traceRoutes = [
  route({
    method: 'get',
    path: '/api/trace/:kind/:id',
    summary: 'The chain indicator → notice → opinion → measure → item → escalation around one record; foreign chains are 404',
    access: 'authenticated',
    scope: 'own-department',
    params: node,
    handler: ({ actor, params, services }) => services.trace.trace(actor, params as { kind: (typeof traceKinds)[number]; id: string }),
  }),
];
