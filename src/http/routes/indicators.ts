import { z } from 'zod';
import type { WhatIfChange } from '../../services/indicators/engine.ts';
import { MAX_TOPIC_INDICATORS, MAX_TOPIC_PERIODS, MAX_TOPIC_TOWNSHIPS } from '../../domain/loop/topic-scope.ts';
import { route } from '../route.ts';

const indicatorId = z.strictObject({ id: z.string().regex(/^[A-Z]\d{1,2}$/, '指标编号格式应如 B2') });
const change = z.strictObject({
  indicatorId: z.string().regex(/^[A-Z]\d{1,2}$/, '指标编号格式应如 B2'),
  // Checked against the definition schema by the service, which names the bad field.
  definition: z.strictObject({ bands: z.unknown().optional(), floors: z.unknown().optional(), minN: z.unknown().optional() }),
});

const indicatorCode = z.string().regex(/^[A-Z]\d{1,2}$/, '指标编号格式应如 B2');

/** A 专题分析's scope (issue 19 point 5); the service checks it against the catalogue and the units. */
const topicRequest = z.strictObject({
  subject: z.string().trim().min(2, '请填写专题名称（至少 2 个字）').max(40, '专题名称不超过 40 个字'),
  indicatorIds: z.array(indicatorCode).min(1, '请至少选择一项指标').max(MAX_TOPIC_INDICATORS, `指标不超过 ${MAX_TOPIC_INDICATORS} 项`),
  townshipIds: z.array(z.string().min(1).max(40)).max(MAX_TOPIC_TOWNSHIPS, `乡镇（街道）不超过 ${MAX_TOPIC_TOWNSHIPS} 个，以免由全县合计反推小于 5 的数值`),
  periods: z
    .array(z.strictObject({ kind: z.enum(['half_year', 'annual'], { message: '期间类型应为 half_year（上半年）或 annual（全年）' }), year: z.number().int().min(2000, '年份不早于 2000').max(2100, '年份不晚于 2100') }))
    .min(1, '请至少选择一个分析期间')
    .max(MAX_TOPIC_PERIODS, `分析期间不超过 ${MAX_TOPIC_PERIODS} 个`),
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
  route({
    method: 'get',
    path: '/api/topic-reports',
    summary: '专题分析 composed so far, newest first, with where each stands (court, office and leaders)',
    access: ['court_analyst', 'peace_office', 'leader'],
    scope: 'none',
    handler: ({ services }) => services.topics.list(),
  }),
  route({
    method: 'post',
    path: '/api/topic-reports',
    summary: '专题分析: indicators × townships × periods, run as a round of its own (court review, leader approval, 风险提示函); audited',
    access: ['court_analyst'],
    scope: 'none',
    body: topicRequest,
    status: 202,
    handler: ({ actor, body, services }) => services.topics.compose(actor, body),
  }),
];
