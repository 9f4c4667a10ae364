import type { Request } from 'express';
import { z } from 'zod';
import { TEMPLATE_KINDS } from '../../domain/cases/import-templates.ts';
import { sideTables } from '../../domain/cases/side-tables.ts';
import { MAX_COVERAGE_MONTHS } from '../../services/imports/index.ts';
import { uploadFileName } from '../file-name.ts';
import { sendFile } from '../send-file.ts';
import { route } from '../route.ts';

const uploadQuery = z.strictObject({
  fileName: uploadFileName,
  format: z.enum(['csv', 'xlsx', 'json'], { message: '文件格式应为 csv、xlsx 或 json' }),
  encoding: z.enum(['utf-8', 'gb18030'], { message: '编码应为 utf-8 或 gb18030（含 GBK）' }).optional(),
});

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');
const coverageQuery = z
  .strictObject({ from: month.optional(), to: month.optional() })
  .refine((q) => (q.from === undefined) === (q.to === undefined), { message: '起止月份应同时提供', path: ['to'] })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '结束月份不能早于开始月份', path: ['to'] })
  .refine((q) => !q.from || !q.to || monthIndex(q.to) - monthIndex(q.from) < MAX_COVERAGE_MONTHS, { message: `一次最多查询 ${MAX_COVERAGE_MONTHS} 个月`, path: ['to'] });
const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));

const templateParams = z.strictObject({ kind: z.enum(TEMPLATE_KINDS, { message: `数据类别应为 ${TEMPLATE_KINDS.join('、')} 之一` }) });
const templateQuery = z.strictObject({ format: z.enum(['csv', 'xlsx'], { message: '模板格式应为 csv 或 xlsx' }) });

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
  route({
    method: 'get',
    path: '/api/imports/templates/:kind',
    summary: 'What a file of a data kind must look like: every column with its Chinese and English header, whether required, its format or allowed values, and an example',
    access: ['court_analyst', 'admin'],
    scope: 'none',
    params: templateParams,
    handler: async ({ params, services }) => services.imports.template(params.kind),
  }),
  route({
    method: 'get',
    path: '/api/imports/templates/:kind/file',
    summary: 'The import template of a data kind as CSV (UTF-8 with BOM) or XLSX (a data sheet the importer accepts unchanged, and a guide sheet)',
    access: ['court_analyst', 'admin'],
    scope: 'none',
    params: templateParams,
    query: templateQuery,
    raw: true,
    handler: async ({ params, query, services, res }) => sendFile(res, await services.imports.templateFile(params.kind, query.format)),
  }),
  route({
    method: 'get',
    path: '/api/imports/causes/file',
    summary: 'The 案由 catalogue case rows are checked against, as a CSV (UTF-8 with BOM) in the 案由目录 layout, to extend and import back',
    access: ['court_analyst', 'admin'],
    scope: 'none',
    raw: true,
    handler: async ({ services, res }) => sendFile(res, await services.imports.causeCatalogueFile()),
  }),
  route({
    method: 'get',
    path: '/api/imports/coverage',
    summary: 'Which months of which townships the imported case data covers (covered, partial, none), from the imports\' own filing-date spans and rows per township',
    access: ['court_analyst', 'admin'],
    scope: 'none',
    query: coverageQuery,
    handler: ({ query, services }) => services.imports.coverage(query),
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
