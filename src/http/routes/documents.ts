import { z } from 'zod';
import { route } from '../route.ts';
import { sendFile } from '../send-file.ts';

const documentId = z.strictObject({ id: z.uuid('文书编号格式错误') });
const fileParams = z.strictObject({ id: z.uuid('文书编号格式错误'), format: z.enum(['docx', 'pdf'], { message: '文件格式应为 docx 或 pdf' }) });
const page = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  unread: z.enum(['true', 'false']).optional(),
});

/** The document inbox: the papers addressed to my unit, opened and downloaded with read receipts. */
export const documentRoutes = [
  route({
    method: 'get',
    path: '/api/documents',
    summary: 'Documents addressed to my department (主送 or 抄送) and public ones, newest first; ?unread=true for unread only',
    access: 'authenticated',
    scope: 'own-department',
    query: page,
    handler: ({ actor, query, services }) => services.documents.list(actor, { limit: query.limit, offset: query.offset, unreadOnly: query.unread === 'true' }),
  }),
  route({
    method: 'get',
    path: '/api/documents/:id',
    summary: 'One document with its text (records my read receipt); the issuing side also sees who read it when; foreign is 404',
    access: 'authenticated',
    scope: 'own-department',
    params: documentId,
    handler: ({ actor, params, services }) => services.documents.get(actor, params.id),
  }),
  route({
    method: 'get',
    path: '/api/documents/:id/file/:format',
    summary: 'Download the .docx or PDF (records my read receipt); foreign is 404',
    access: 'authenticated',
    scope: 'own-department',
    params: fileParams,
    raw: true,
    handler: async ({ actor, params, services, res }) => sendFile(res, await services.documents.file(actor, params.id, params.format)),
  }),
];
