import { z } from 'zod';
import { route } from '../route.ts';

const XML_MAX = 240 * 1024;
const checkBody = z.strictObject({ xml: z.string().min(1, '流程图不能为空').max(XML_MAX, '流程图过大') });
const deployBody = z.strictObject({
  name: z.string().regex(/^[\w\u4e00-\u9fa5.-]{1,96}\.bpmn$/, '文件名须以 .bpmn 结尾，只含字母、数字、汉字、下划线、点和连字符'),
  xml: z.string().min(1, '流程图不能为空').max(XML_MAX, '流程图过大'),
});

/**
 * Deploying is remote code execution on the engine (QUALITY.md §5.2): admins only, linted
 * first, refused on lint errors, audit-logged with the XML's SHA-256.
 */
export const deployRoutes = [
  route({
    method: 'post',
    path: '/api/admin/deployments/check',
    summary: 'Lint a diagram and diff it against the deployed version; changes nothing',
    access: ['admin'],
    scope: 'none',
    body: checkBody,
    handler: ({ body, services }) => services.deployments.check(body.xml),
  }),
  route({
    method: 'post',
    path: '/api/admin/deployments',
    summary: 'Deploy a diagram as a new process version (refused on lint errors; audited)',
    access: ['admin'],
    scope: 'none',
    body: deployBody,
    status: 201,
    handler: ({ actor, body, services }) => services.deployments.deploy(actor, body),
  }),
];
