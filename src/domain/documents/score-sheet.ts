import { Checks } from './checks.ts';
import { chineseDate, decimal, numericDate } from './format.ts';
import type { Organs, UnitRef } from './inputs.ts';
import { labelAnnexes, type Block, type Cell, type OfficialDocument } from './model.ts';
import { assertNoPersonalData } from './privacy.ts';

/**
 * 考核扣分表: each unit's deductions in the annual 平安建设考核 (policy 第十八条, 第十九条;
 * DOMAIN.md §4.6 default scoring). The points are computed elsewhere (scoring rules are config);
 * this sheet only lays them out, one column per category, with a detail annex naming the
 * evidence (item and notice numbers). Counts are of work items, printed exactly.
 */
export interface ScoreCategory {
  /** Key used in the entries, e.g. "late_report". */
  key: string;
  /** Column header, short: "迟报". */
  label: string;
  /** Rule as printed in the legend: "每件扣1分". */
  rule: string;
  /** Bonus categories add points (指标改善两级 +1). */
  bonus?: boolean;
}

export interface ScoreSheetInput {
  /** Optional 文号 of the 考核通报 the sheet belongs to (series `scoreSheet`). */
  number?: string;
  issuedOn: string;
  organs: Organs;
  year: number;
  /** Points every unit starts from (default 100). */
  basePoints?: number;
  categories: ScoreCategory[];
  units: {
    unit: UnitRef;
    entries: { category: string; count: number; points: number; evidence: string[] }[];
  }[];
}

export interface UnitScore {
  unit: UnitRef;
  deducted: number;
  added: number;
  score: number;
}

/** Totals per unit: points in entries are magnitudes; the category says whether they add or deduct. */
export function unitScores(input: Pick<ScoreSheetInput, 'basePoints' | 'categories' | 'units'>): UnitScore[] {
  const base = input.basePoints ?? 100;
  const bonus = new Set(input.categories.filter((c) => c.bonus).map((c) => c.key));
  return input.units.map(({ unit, entries }) => {
    const added = round2(entries.filter((e) => bonus.has(e.category)).reduce((s, e) => s + e.points, 0));
    const deducted = round2(entries.filter((e) => !bonus.has(e.category)).reduce((s, e) => s + e.points, 0));
    return { unit, deducted, added, score: round2(base - deducted + added) };
  });
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export function buildScoreSheet(input: ScoreSheetInput): OfficialDocument {
  const checks = new Checks().date('issuedOn', input.issuedOn).nonEmpty('categories', input.categories).rule(Number.isInteger(input.year), 'year', '年份无效');
  const keys = new Set((input.categories ?? []).map((c) => c.key));
  for (const [i, u] of (input.units ?? []).entries()) {
    for (const [j, e] of u.entries.entries()) {
      checks.rule(keys.has(e.category), `units[${i}].entries[${j}].category`, `未定义的扣分类别：${e.category}`);
      checks.rule(e.points >= 0 && e.count >= 0, `units[${i}].entries[${j}].points`, '分值和件数应为非负数（类别决定加分或扣分）');
    }
  }
  checks.done();

  const { organs } = input;
  const base = input.basePoints ?? 100;
  const scores = unitScores(input);
  const rows: Cell[][] = input.units.map(({ unit, entries }, i) => {
    const score = scores[i]!;
    const perCategory = input.categories.map((c): Cell => {
      const own = entries.filter((e) => e.category === c.key);
      const points = own.reduce((s, e) => s + e.points, 0);
      if (own.length === 0 || points === 0) return '—';
      return `${c.bonus ? '+' : '-'}${decimal(points)}`;
    });
    return [String(i + 1), unit.name, ...perCategory, decimal(score.deducted), decimal(score.added), { text: decimal(score.score), bold: true, ...(score.score < base - 10 ? { tone: 'red' as const } : {}) }];
  });

  const body: Block[] = [
    {
      type: 'paragraph',
      text: `根据基于司法大数据的社会治理风险评估预警化解工作督办事项办理情况，对照考核扣分规则，现将${input.year}年度各单位平安建设考核相关扣分情况汇总如下（基础分${base}分）：`,
    },
    {
      type: 'table',
      title: `${input.year}年度社会治理风险评估预警化解工作考核扣分表`,
      columns: [
        { header: '序号', width: 1, align: 'center' },
        { header: '单位', width: 2.6 },
        ...input.categories.map((c) => ({ header: c.label, width: 1.1, align: 'center' as const })),
        { header: '扣分合计', width: 1.1, align: 'center' },
        { header: '加分合计', width: 1.1, align: 'center' },
        { header: '得分', width: 1, align: 'center' },
      ],
      rows,
      note: `注：${input.categories.map((c) => `${c.label}：${c.rule}`).join('；')}。主办单位承担全部扣分，协办单位减半。件（次）数及依据见附件。`,
    },
  ];

  const detail: Block[] = [];
  for (const { unit, entries } of input.units) {
    if (entries.length === 0) continue;
    detail.push({ type: 'heading', level: 3, text: unit.name });
    detail.push({
      type: 'table',
      columns: [
        { header: '类别', width: 1.8 },
        { header: '件（次）数', width: 1.2, align: 'center' },
        { header: '分值', width: 1, align: 'center' },
        { header: '依据（督办编号、文号）', width: 6 },
      ],
      rows: entries.map((e) => {
        const c = input.categories.find((x) => x.key === e.category)!;
        return [c.label, String(e.count), `${c.bonus ? '+' : '-'}${decimal(e.points)}`, e.evidence.join('；') || '—'];
      }),
    });
  }

  return assertNoPersonalData({
    kind: 'score_sheet',
    header: { style: 'plain' },
    ...(input.number ? { number: input.number } : {}),
    title: `${input.year}年度平安建设考核扣分表`,
    subtitle: '（社会治理风险评估预警化解工作）',
    mainRecipients: [],
    body,
    signature: { organs: [organs.peaceOffice.name], date: chineseDate(input.issuedOn), sealed: true },
    annexes: labelAnnexes(detail.length > 0 ? [{ title: '扣分明细', blocks: detail }] : []),
    copyTo: [],
    imprint: { organ: organs.peaceOffice.name, date: numericDate(input.issuedOn) },
    audience: 'internal',
    meta: { issuedOn: input.issuedOn, to: [organs.politicalLegal.id], cc: [] },
  });
}
