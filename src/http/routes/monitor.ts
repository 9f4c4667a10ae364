import { z } from 'zod';
import { route } from '../route.ts';

const processId = z.strictObject({ id: z.string().regex(/^[A-Za-z_][\w.-]{0,99}$/, '流程编号格式错误') });
const xmlQuery = z.strictObject({ version: z.coerce.number().int().positive().optional() });
const instanceKey = z.strictObject({ key: z.string().regex(/^\d{1,19}$/, '流程实例编号格式错误') });
const instancePage = z.strictObject({
  processId: z.string().max(100).optional(),
  state: z.enum(['ACTIVE', 'COMPLETED', 'TERMINATED']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/**
 * The process monitor. Diagrams are not department data (every user may draw one); instances
 * are: a department user only reaches instances with a task for its department (else 404).
 */
export const monitorRoutes = [
  route({
    method: 'get',
    path: '/api/processes',
    summary: 'Deployed processes with Chinese names and the number of running instances I may see',
    access: 'authenticated',
    scope: 'own-department',
    handler: ({ actor, services }) => services.monitor.processes(actor),
  }),
  route({
    method: 'get',
    path: '/api/processes/:id/xml',
    summary: 'BPMN XML of the deployed version of a process, or of ?version=',
    access: 'authenticated',
    scope: 'none',
    params: processId,
    query: xmlQuery,
    handler: ({ params, query, services }) => services.monitor.processXml(params.id, query.version),
  }),
  route({
    method: 'get',
    path: '/api/instances',
    summary: 'Process instances, newest first, with open tasks, overdue count, incidents and light',
    access: 'authenticated',
    scope: 'own-department',
    query: instancePage,
    handler: ({ actor, query, services }) => services.monitor.list(actor, query),
  }),
  route({
    method: 'get',
    path: '/api/instances/:key',
    summary: 'One instance: element states, open tasks with lights, incidents; a foreign instance is 404',
    access: 'authenticated',
    scope: 'own-department',
    params: instanceKey,
    handler: ({ actor, params, services }) => services.monitor.get(actor, params.key),
  }),
];
