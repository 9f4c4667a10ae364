import type { Request } from 'express';
import { z } from 'zod';
import { sideTables } from '../../domain/cases/side-tables.ts';
import { uploadFileName } from '../file-name.ts';
import { route } from '../route.ts';

const uploadQuery = z.strictObject({
  fileName: uploadFileName,
  format: z.enum(['csv', 'xlsx', 'json'], { message: '文件格式应为 csv、xlsx 或 json' }),
  encoding: z.enum(['utf-8', 'gb18030'], { message: '编码应为 utf-8 或 gb18030（含 GBK）' }).optional(),
});

const declaredBytes = (req: Request) => (req.headers['content-length'] ? Number(req.headers['content-length']) : undefined);

/** Data uploads (the court's data team): the request body is the file itself, streamed. */
export const importRoutes = [
  route({
    method: 'post',
    path: '/api/imports/cases',
    summary: 'Import a case-record file (CSV UTF-8/GBK, XLSX, JSON): all or nothing, personal data masked; bad rows listed with line, column and reason',
    access: ['court_analyst', 'admin'],
    scope: 'none',
    query: uploadQuery,
    status: 201,
    handler: ({ actor, query, services, req }) => services.imports.importCases(actor, req, { ...query, declaredBytes: declaredBytes(req) }),
  }),
  ...Object.values(sideTables).map((table) =>
    route({
      method: 'post',
      path: `/api/imports/${table.name}`,
      summary: `Import the ${table.table} side table (CSV UTF-8/GBK, XLSX, JSON): all or nothing, keyed by ${table.key.join(' and ')}; bad rows listed with line, column and reason`,
      access: ['court_analyst', 'admin'],
      scope: 'none',
      query: uploadQuery,
      status: 201,
      handler: ({ actor, query, services, req }) => services.imports.importSideTable(actor, table.name, req, { ...query, declaredBytes: declaredBytes(req) }),
    }),
  ),
];
