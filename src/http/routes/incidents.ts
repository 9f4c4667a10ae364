import { z } from 'zod';
import { route } from '../route.ts';

const incidentKey = z.strictObject({ key: z.string().regex(/^\d{1,19}$/, '故障编号格式错误') });
const retryBody = z.strictObject({ note: z.string().trim().max(500, '处理说明不能超过 500 字').optional() });

/**
 * 故障处理 (src/services/incidents.ts): the office and admins list the loop's open incidents with
 * their reasons in Chinese and retry them after fixing the cause; everyone else is refused (403).
 */
export const incidentRoutes = [
  route({
    method: 'get',
    path: '/api/incidents',
    summary: 'Open incidents (root causes), newest first: the matter, the step, the reason in Chinese, since when',
    access: ['peace_office', 'admin'],
    scope: 'none',
    handler: ({ actor, services }) => services.incidents.list(actor),
  }),
  route({
    method: 'get',
    path: '/api/incidents/count',
    summary: 'Number of open incidents (navigation badge, home page)',
    access: ['peace_office', 'admin'],
    scope: 'none',
    handler: ({ actor, services }) => services.incidents.count(actor),
  }),
  route({
    method: 'post',
    path: '/api/incidents/:key/retry',
    summary: 'Retry the failed step of an incident once its cause is fixed (audited, with an optional note of the fix)',
    access: ['peace_office', 'admin'],
    scope: 'none',
    params: incidentKey,
    body: retryBody,
    handler: ({ actor, params, body, services }) => services.incidents.retry(actor, params.key, body.note),
  }),
];
