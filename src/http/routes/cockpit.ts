import { z } from 'zod';
import { ledgerKinds, type LedgerKind } from '../../services/ledgers.ts';
import { route } from '../route.ts';
import { sendFile } from '../send-file.ts';

const roundQuery = z.strictObject({ roundId: z.string().min(1).max(40, '轮次编号过长').optional() });
const kindParams = z.strictObject({ kind: z.enum(ledgerKinds, { message: `台账类型应为 ${ledgerKinds.join('、')} 之一` }) });
const search = z.string().max(100, '搜索内容不超过 100 字').optional();
const ledgerQuery = z.strictObject({
  q: search,
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** What leaders and the office look at: the cockpit, the ledgers and their export, and the public report. */
export const cockpitRoutes = [
  route({
    method: 'get',
    path: '/api/cockpit',
    summary: 'Indicators of one round (default: the latest computed) by region with levels, county history, loop counts; department counts are its own',
    access: 'authenticated',
    scope: 'own-department',
    query: roundQuery,
    handler: ({ actor, query, services }) => services.cockpit.overview(actor, query.roundId),
  }),
  route({
    method: 'get',
    path: '/api/ledgers/:kind',
    summary: 'One ledger, searched and paged on the server; a department sees its own rows only',
    access: 'authenticated',
    scope: 'own-department',
    params: kindParams,
    query: ledgerQuery,
    handler: ({ actor, params, query, services }) => services.ledgers.page(actor, params.kind as LedgerKind, query),
  }),
  route({
    method: 'get',
    path: '/api/ledgers/:kind/export',
    summary: 'The searched ledger as .xlsx (formulas neutralised); a department exports its own rows only',
    access: 'authenticated',
    scope: 'own-department',
    params: kindParams,
    query: z.strictObject({ q: search }),
    raw: true,
    handler: async ({ actor, params, query, services, res }) =>
      sendFile(res, { ...(await services.ledgers.exportXlsx(actor, params.kind as LedgerKind, query.q)), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
  }),
  route({
    method: 'get',
    path: '/api/public/report',
    summary: 'The latest published annual report (第十七条): aggregates only, no login',
    access: 'public',
    scope: 'none',
    handler: ({ services }) => services.publicReport.latest(),
  }),
  route({
    method: 'get',
    path: '/api/public/listings',
    summary: '挂牌督办公示 (DOMAIN.md §4.5): every listing with its unit, matter, deadline and 摘牌, no login',
    access: 'public',
    scope: 'none',
    handler: ({ services }) => services.publicReport.listings(),
  }),
];
