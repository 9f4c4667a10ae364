import { z } from 'zod';
import { uploadFileName } from '../file-name.ts';
import { route } from '../route.ts';

const uploadQuery = z.strictObject({
  fileName: uploadFileName,
  format: z.enum(['csv', 'xlsx', 'json'], { message: '文件格式应为 csv、xlsx 或 json' }),
  encoding: z.enum(['utf-8', 'gb18030'], { message: '编码应为 utf-8 或 gb18030（含 GBK）' }).optional(),
});

/** Case-data upload (the court's data team): the request body is the file itself, streamed. */
export const importRoutes = [
  route({
    method: 'post',
    path: '/api/imports/cases',
    summary: 'Import a case-record file (CSV UTF-8/GBK, XLSX, JSON): all or nothing, personal data masked; bad rows listed with line, column and reason',
    access: ['court_analyst', 'admin'],
    scope: 'none',
    query: uploadQuery,
    status: 201,
    handler: ({ actor, query, services, req }) =>
      services.imports.importCases(actor, req, { ...query, declaredBytes: req.headers['content-length'] ? Number(req.headers['content-length']) : undefined }),
  }),
];
