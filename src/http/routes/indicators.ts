import { z } from 'zod';
import type { WhatIfChange } from '../../services/indicators/engine.ts';
import { route } from '../route.ts';

const indicatorId = z.strictObject({ id: z.string().regex(/^[A-Z]\d{1,2}$/, '指标编号格式应如 B2') });
const change = z.strictObject({
  indicatorId: z.string().regex(/^[A-Z]\d{1,2}$/, '指标编号格式应如 B2'),
  // Checked against the definition schema by the service, which names the bad field.
  definition: z.strictObject({ bands: z.unknown().optional(), floors: z.unknown().optional(), minN: z.unknown().optional() }),
});

/** Indicator definitions as versioned data (admins add versions) and the what-if of changed bands before approval. */
export const indicatorRoutes = [
  route({
    method: 'get',
    path: '/api/indicators',
    summary: 'The latest version of every indicator definition (the catalogue is not private)',
    access: 'authenticated',
    scope: 'none',
    handler: ({ services }) => services.indicators.versions(),
  }),
  route({
    method: 'get',
    path: '/api/indicators/:id/versions',
    summary: 'Every version of one definition, newest first',
    access: 'authenticated',
    scope: 'none',
    params: indicatorId,
    handler: ({ params, services }) => services.indicators.versions(params.id),
  }),
  route({
    method: 'post',
    path: '/api/indicators',
    summary: 'A new version of a definition (never an overwrite; past runs keep theirs); audited',
    access: ['admin'],
    scope: 'none',
    body: z.record(z.string(), z.unknown()),
    status: 201,
    handler: ({ actor, body, services }) => services.indicators.saveDefinition(actor, body),
  }),
  route({
    method: 'post',
    path: '/api/rounds/:id/what-if',
    summary: 'Which units would get a notice if some bands, floors or guards changed (nothing is stored)',
    access: ['admin', 'court_analyst', 'peace_office', 'leader'],
    scope: 'none',
    params: z.strictObject({ id: z.string().min(1).max(40, '轮次编号过长') }),
    body: z.strictObject({ changes: z.array(change).min(1, '请至少修改一个指标').max(40) }),
    // The definition schema checks the changed parts and names a bad field.
    handler: ({ actor, params, body, services }) => services.indicators.whatIfForRound(actor, params.id, body.changes as WhatIfChange[]),
  }),
  route({
    method: 'post',
    path: '/api/rounds/:id/verify',
    summary: '复算核对: recomputes a past round with the definition versions it used and compares figure by figure; says whether its data changed since (the stored figures never change); audited',
    access: ['court_analyst'],
    scope: 'none',
    params: z.strictObject({ id: z.string().min(1).max(40, '轮次编号过长') }),
    handler: ({ actor, params, services }) => services.runCheck.checkRound(actor, params.id),
  }),
  route({
    method: 'post',
    path: '/api/rounds',
    summary: 'Start an assessment round by hand (the calendar starts them on their dates); an existing round is 409',
    access: ['court_analyst', 'peace_office'],
    scope: 'none',
    body: z.strictObject({
      roundKind: z.enum(['half_year', 'annual'], { message: '轮次类型应为 half_year（半年）或 annual（年度）' }),
      year: z.number().int().min(2000, '年份不早于 2000').max(2100, '年份不晚于 2100'),
      roundId: z.string().regex(/^\d{4}-(H1|Y)(-[0-9A-Za-z]{1,16})?$/, '轮次编号格式应如 2025-H1、2025-Y 或 2025-H1-补充').optional(),
    }),
    status: 202,
    handler: ({ actor, body, services }) => services.rounds.start(actor, body),
  }),
];
