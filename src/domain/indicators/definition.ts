import { z } from 'zod';

/**
 * An indicator definition is data (DOMAIN.md §2): which case rows it counts, how a value is
 * formed, how a value turns into a risk level, who owns it. Definitions are versioned in the
 * database and edited by admins; `compile.ts` turns the formula into SQL aggregates and
 * `levels.ts` judges the values, so nothing here is code per indicator.
 */

/** Case columns a filter may test (DOMAIN.md §3). */
export const caseFields = [
  'case_type',
  'procedure',
  'type_code',
  'cause',
  'admin_sector',
  'township',
  'plaintiff_types',
  'defendant_types',
  'defendant_agency',
  'closing_method',
  'outcome',
  'gov_lost',
  'leader_appeared',
  'defendant_age_band',
  'appealed',
  'appeal_result',
  'retrial_result',
  'pre_mediation',
  'series_id',
] as const;
export type CaseField = (typeof caseFields)[number];

const arrayFields = new Set<CaseField>(['plaintiff_types', 'defendant_types']);
const boolFields = new Set<CaseField>(['gov_lost', 'leader_appeared', 'appealed']);
export const isArrayField = (f: CaseField) => arrayFields.has(f);
export const isBoolField = (f: CaseField) => boolFields.has(f);

const text = z.string().min(1).max(100);

export const filterSchema = z.union([
  z.strictObject({ field: z.enum(caseFields), in: z.array(text).min(1) }),
  z.strictObject({ field: z.enum(caseFields), notIn: z.array(text).min(1) }),
  /** Multi-valued columns: true when any listed value is present. */
  z.strictObject({ field: z.enum(caseFields), any: z.array(text).min(1) }),
  z.strictObject({ field: z.enum(caseFields), is: z.boolean() }),
  /** Pending cases older than N days at the end of the period (E4). */
  z.strictObject({ ageOverDays: z.number().int().positive() }),
  /** Closed on or before the statutory deadline (E2). */
  z.strictObject({ closedWithinDeadline: z.literal(true) }),
]);
export type Filter = z.infer<typeof filterSchema>;

/**
 * Which cases of a period count: filed in it (new), closed in it, or pending at its end.
 * Township side-table signals (信访、舆情) are their own basis.
 */
export const basisSchema = z.enum(['new', 'closed', 'pending', 'signals']);
export type Basis = z.infer<typeof basisSchema>;

export const aggregateSchema = z.strictObject({
  agg: z.enum(['count', 'sum', 'mean_days']),
  /** Summed column for `sum`. */
  field: z.enum(['claim_amount', 'enforced_amount', 'petition_count', 'party_count']).optional(),
  basis: basisSchema,
  filters: z.array(filterSchema).default([]),
});
export type Aggregate = z.infer<typeof aggregateSchema>;

/** value = num, or num ÷ den × scale. `n` (the small-number guard's count) is the row count of den, else of num. */
export const formulaSchema = z.strictObject({
  num: aggregateSchema,
  den: aggregateSchema.optional(),
  scale: z.number().positive().default(1),
});
export type Formula = z.infer<typeof formulaSchema>;

export const levelSchema = z.enum(['low', 'medium', 'high', 'critical']);
export type Level = z.infer<typeof levelSchema>;

/**
 * How a value becomes a level. `default`: the YoY / ratio-to-base bands of DOMAIN.md §2.1.
 * `absolute`: fixed thresholds on the value (percentages for shares); `lower` means lower is riskier.
 */
export const bandsSchema = z.union([
  z.strictObject({
    kind: z.literal('default'),
    medium: z.strictObject({ yoy: z.number(), ratio: z.number() }).default({ yoy: 0.1, ratio: 1.1 }),
    high: z.strictObject({ yoy: z.number(), ratio: z.number() }).default({ yoy: 0.3, ratio: 1.3 }),
    critical: z.strictObject({ yoy: z.number(), ratio: z.number() }).default({ yoy: 0.5, ratio: 1.5 }),
  }),
  z.strictObject({
    kind: z.literal('absolute'),
    direction: z.enum(['higher', 'lower']),
    medium: z.number().optional(),
    high: z.number().optional(),
    critical: z.number().optional(),
  }),
]);
export type Bands = z.infer<typeof bandsSchema>;

/** Extra rules that raise the level to at least `floor` (hard triggers and per-indicator rules). */
export const floorRuleSchema = z.union([
  z.strictObject({ when: z.literal('value_gte'), value: z.number(), floor: levelSchema, scope: z.enum(['county', 'township', 'any']).default('any') }),
  z.strictObject({ when: z.literal('rate_gt'), value: z.number(), floor: levelSchema }),
  z.strictObject({ when: z.literal('yoy_rise'), minN: z.number().int().nonnegative(), floor: levelSchema }),
  z.strictObject({ when: z.literal('ratio_gte'), value: z.number(), floor: levelSchema, scope: z.enum(['county', 'township', 'any']).default('township') }),
  /**
   * Many cases or plaintiffs against one defendant or in one series (A3, B2, B5, B7): the largest group of `key`
   * among the counted rows. `count: 'plaintiffs'` sums 当事人人数 (party_count, 1 where blank: a case has a
   * plaintiff) — DOMAIN.md's "≥10 worker-plaintiffs" — and by series a case outside any series is a group of its own.
   */
  z.strictObject({
    when: z.literal('max_per_key_gte'),
    key: z.enum(['defendant_key', 'series_id']),
    count: z.enum(['cases', 'plaintiffs']).default('cases'),
    value: z.number().int().positive(),
    floor: levelSchema,
  }),
]);
export type FloorRule = z.infer<typeof floorRuleSchema>;

export const definitionSchema = z.strictObject({
  id: z.string().regex(/^[A-Z][0-9]{1,2}$/, '指标编号应为字母加数字，如 B2'),
  domain: z.enum(['法治政府建设', '经济发展运行', '平安社会诚信体系建设', '生态文明建设', '审判工作现代化建设', '审判质量监督建设']),
  name: z.string().min(2).max(60),
  /** count → 件 (rate per 10k also computed); share → %, absolute bands in percent; ratio/days/amount as printed. */
  unit: z.enum(['count', 'share', 'ratio', 'days', 'amount', 'per100']),
  formula: formulaSchema,
  bands: bandsSchema,
  floors: z.array(floorRuleSchema).default([]),
  /** Small-number guard: below this many cases the level is capped at medium. */
  minN: z.number().int().nonnegative().default(10),
  /** Department ids; the first is the lead owner. */
  owners: z.array(z.string().min(1)).min(1),
  coOwners: z.array(z.string().min(1)).default([]),
  /** Townships at high or critical also receive the notice (相关乡镇). */
  routeToTownships: z.boolean().default(false),
  enabled: z.boolean().default(true),
  /** How it is computed, in words, for the report's annex. */
  description: z.string().min(1),
});
export type IndicatorDefinition = z.infer<typeof definitionSchema>;

export interface VersionedDefinition extends IndicatorDefinition {
  version: number;
}
