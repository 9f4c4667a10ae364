import { instantMs } from './working-days.ts';

/**
 * Deductions in the county's annual 平安建设考核 for the risk loop (第十八条, 第十九条; DOMAIN.md
 * §4.6 defaults): per unit per year, from a base score, every number from the rules passed in.
 * Each line names the unit, its role (the lead unit bears the full points, co-units the
 * configured fraction), the subject (item, opinion, indicator outcome) and the evidence ids
 * (escalation events, audit events, indicator values) behind it. Each category is capped per
 * unit; lines beyond the cap stay on the sheet with 0 points so the evidence is still shown.
 */

export type ScoringCategory =
  | 'late_report'
  | 'returned'
  | 'overdue_after_urge'
  | 'interview'
  | 'listing_not_removed'
  | 'indicator_still_high'
  | 'indicator_improved';

export const scoringCategoryLabels: Readonly<Record<ScoringCategory, string>> = {
  late_report: '未按时限反馈办理结果',
  returned: '退回重新办理',
  overdue_after_urge: '催办后仍逾期',
  interview: '被约谈',
  listing_not_removed: '挂牌督办未按期摘牌',
  indicator_still_high: '负责指标仍为高风险',
  indicator_improved: '负责指标风险等级下降两级',
};

export interface CategoryRule {
  /** Points per occurrence (a positive number). */
  points: number;
  /** Most points one unit can lose (or gain) in this category in a year. */
  cap: number;
  kind: 'deduction' | 'bonus';
}

export interface ScoringRules {
  baseScore: number;
  /** Share of the points a co-unit bears (DOMAIN.md: half). */
  coUnitFactor: number;
  categories: Readonly<Record<ScoringCategory, CategoryRule>>;
}

/** The shipped defaults (DOMAIN.md §4.6, caps P); configuration passes its own copy. */
export const DEFAULT_SCORING_RULES: ScoringRules = {
  baseScore: 100,
  coUnitFactor: 0.5,
  categories: {
    late_report: { points: 1, cap: 5, kind: 'deduction' },
    returned: { points: 2, cap: 6, kind: 'deduction' },
    overdue_after_urge: { points: 3, cap: 9, kind: 'deduction' },
    interview: { points: 2, cap: 6, kind: 'deduction' },
    listing_not_removed: { points: 5, cap: 10, kind: 'deduction' },
    indicator_still_high: { points: 3, cap: 9, kind: 'deduction' },
    indicator_improved: { points: 1, cap: 3, kind: 'bonus' },
  },
};

export type EvidenceKind =
  | 'supervision_item'
  | 'work_opinion'
  | 'risk_notice'
  | 'escalation_event'
  | 'audit_event'
  | 'interview'
  | 'listing'
  | 'indicator_value'
  | 'outcome';

export interface Evidence {
  kind: EvidenceKind;
  id: string;
}

export type UnitRole = 'lead' | 'co';

/** One thing that counts for (or against) one unit. */
export interface ScoringFinding {
  category: ScoringCategory;
  departmentId: string;
  role: UnitRole;
  /** The item, opinion or indicator outcome it is about. */
  subject: Evidence;
  evidence: readonly Evidence[];
}

export interface ScoreLine extends ScoringFinding {
  /** Signed points: negative for a deduction, positive for a bonus; 0 when the cap was reached. */
  points: number;
  /** Points before the cap. */
  uncappedPoints: number;
}

export interface UnitScore {
  departmentId: string;
  lines: ScoreLine[];
  subtotals: Partial<Record<ScoringCategory, number>>;
  /** Total points lost (positive). */
  deducted: number;
  /** Total bonus points (positive). */
  bonus: number;
  score: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function compareFindings(a: ScoringFinding, b: ScoringFinding): number {
  return a.category.localeCompare(b.category) || a.subject.id.localeCompare(b.subject.id) || a.role.localeCompare(b.role);
}

/** Applies the rules to the findings: one score per unit that has any finding, sorted by department id. */
export function scoreUnits(findings: readonly ScoringFinding[], rules: ScoringRules): UnitScore[] {
  const byUnit = new Map<string, ScoringFinding[]>();
  for (const f of findings) byUnit.set(f.departmentId, [...(byUnit.get(f.departmentId) ?? []), f]);
  const scores: UnitScore[] = [];
  for (const departmentId of [...byUnit.keys()].sort()) {
    const lines: ScoreLine[] = [];
    const used = new Map<ScoringCategory, number>();
    for (const f of [...byUnit.get(departmentId)!].sort(compareFindings)) {
      const rule = rules.categories[f.category];
      const magnitude = round2(rule.points * (f.role === 'lead' ? 1 : rules.coUnitFactor));
      const room = Math.max(0, rule.cap - (used.get(f.category) ?? 0));
      const granted = round2(Math.min(magnitude, room));
      used.set(f.category, round2((used.get(f.category) ?? 0) + granted));
      const sign = rule.kind === 'deduction' ? -1 : 1;
      lines.push({ ...f, points: sign * granted || 0, uncappedPoints: sign * magnitude || 0 });
    }
    const subtotals: Partial<Record<ScoringCategory, number>> = {};
    for (const l of lines) subtotals[l.category] = round2((subtotals[l.category] ?? 0) + l.points);
    const deducted = round2(lines.reduce((s, l) => s + (l.points < 0 ? -l.points : 0), 0));
    const bonus = round2(lines.reduce((s, l) => s + (l.points > 0 ? l.points : 0), 0));
    scores.push({ departmentId, lines, subtotals, deducted, bonus, score: round2(rules.baseScore - deducted + bonus) });
  }
  return scores;
}

// --- deriving findings from the year's records --------------------------------------------------

export interface RecordedEvent {
  id: string;
  kind: 'reminder' | 'urge' | 'yellow_card' | 'red_card' | 'interview' | 'listing' | 'delisting' | 'extension_granted' | 'extension_refused' | 'returned';
  at: string;
}

export interface ItemYearFacts {
  itemId: string;
  leadDepartmentId: string;
  coDepartmentIds: readonly string[];
  /** Final deadline (after extensions). */
  deadline: string;
  /** First submission of the result; null when none came before the cut-off. */
  resultSubmittedAt: string | null;
  events: readonly RecordedEvent[];
  interviewIds: readonly string[];
  listing: { listingId: string; dueDate: string; delistedAt: string | null } | null;
}

export interface OpinionYearFacts {
  noticeId: string;
  departmentId: string;
  dueDate: string;
  /** The first opinion version and when it came; null when none came before the cut-off. */
  firstOpinionId: string | null;
  submittedAt: string | null;
  returnedEventIds: readonly string[];
}

export interface IndicatorYearFacts {
  outcomeId: string;
  indicatorId: string;
  owners: readonly { departmentId: string; role: UnitRole }[];
  /** Still high or critical in the February evaluation. */
  stillHigh: boolean;
  /** Risk levels the indicator fell and that were credited to the units (see outcomes.ts). */
  creditedLevels: number;
  indicatorValueIds: readonly string[];
}

/** A 约谈 a leader ordered of a unit without an item (unit-interview): a deduction of the unit like an item's. */
export interface UnitInterviewYearFacts {
  interviewId: string;
  departmentId: string;
  heldAt: string;
}

export interface YearFacts {
  /** Events and submissions after this instant do not count for the year. */
  cutoff: string;
  items: readonly ItemYearFacts[];
  unitInterviews: readonly UnitInterviewYearFacts[];
  opinions: readonly OpinionYearFacts[];
  indicators: readonly IndicatorYearFacts[];
}

function late(submittedAt: string | null, deadline: string, cutoff: string): boolean {
  const due = instantMs(deadline);
  if (submittedAt === null) return instantMs(cutoff) > due;
  return instantMs(submittedAt) > due;
}

/**
 * What counts in the year: a result or an opinion that came after its deadline (or not at all
 * by the cut-off); each return (退办) of a result or an opinion; an item still overdue N working
 * days after its 催办 (it got a 黄牌); each 约谈; a 挂牌督办 not removed by its deadline; each owned
 * indicator still high in February; each owned indicator that fell two or more credited levels;
 * each 约谈 of a unit a leader ordered without an item.
 * Item findings go to the lead unit and, except 约谈 and 挂牌 (which name the lead unit), to the
 * co-units at their share.
 */
export function findingsFromFacts(facts: YearFacts): ScoringFinding[] {
  const cut = instantMs(facts.cutoff);
  const findings: ScoringFinding[] = [];
  for (const item of facts.items) {
    const subject: Evidence = { kind: 'supervision_item', id: item.itemId };
    const events = item.events.filter((e) => instantMs(e.at) <= cut);
    const shared = (category: ScoringCategory, evidence: Evidence[]) => {
      findings.push({ category, departmentId: item.leadDepartmentId, role: 'lead', subject, evidence });
      for (const co of item.coDepartmentIds) findings.push({ category, departmentId: co, role: 'co', subject, evidence });
    };
    if (late(item.resultSubmittedAt, item.deadline, facts.cutoff)) {
      const urges = events.filter((e) => e.kind === 'urge').map((e): Evidence => ({ kind: 'escalation_event', id: e.id }));
      shared('late_report', [subject, ...urges]);
    }
    for (const e of events.filter((x) => x.kind === 'returned')) shared('returned', [{ kind: 'escalation_event', id: e.id }]);
    const yellow = events.find((e) => e.kind === 'yellow_card');
    if (yellow) {
      const urge = events.filter((e) => e.kind === 'urge' && instantMs(e.at) <= instantMs(yellow.at)).at(-1);
      shared('overdue_after_urge', [
        ...(urge ? [{ kind: 'escalation_event' as const, id: urge.id }] : []),
        { kind: 'escalation_event', id: yellow.id },
      ]);
    }
    for (const interviewId of item.interviewIds) {
      findings.push({ category: 'interview', departmentId: item.leadDepartmentId, role: 'lead', subject, evidence: [{ kind: 'interview', id: interviewId }] });
    }
    const listing = item.listing;
    if (listing && instantMs(listing.dueDate) < cut && (listing.delistedAt === null || instantMs(listing.delistedAt) > instantMs(listing.dueDate))) {
      findings.push({ category: 'listing_not_removed', departmentId: item.leadDepartmentId, role: 'lead', subject, evidence: [{ kind: 'listing', id: listing.listingId }] });
    }
  }
  for (const v of facts.unitInterviews.filter((x) => instantMs(x.heldAt) <= cut)) {
    const evidence: Evidence = { kind: 'interview', id: v.interviewId };
    findings.push({ category: 'interview', departmentId: v.departmentId, role: 'lead', subject: evidence, evidence: [evidence] });
  }
  for (const op of facts.opinions) {
    const subject: Evidence = { kind: 'risk_notice', id: op.noticeId };
    if (late(op.submittedAt, op.dueDate, facts.cutoff)) {
      findings.push({
        category: 'late_report',
        departmentId: op.departmentId,
        role: 'lead',
        subject,
        evidence: op.firstOpinionId ? [subject, { kind: 'work_opinion', id: op.firstOpinionId }] : [subject],
      });
    }
    for (const id of op.returnedEventIds) {
      findings.push({ category: 'returned', departmentId: op.departmentId, role: 'lead', subject, evidence: [{ kind: 'escalation_event', id }] });
    }
  }
  for (const ind of facts.indicators) {
    const subject: Evidence = { kind: 'outcome', id: ind.outcomeId };
    const evidence = ind.indicatorValueIds.map((id): Evidence => ({ kind: 'indicator_value', id }));
    for (const owner of ind.owners) {
      if (ind.stillHigh) findings.push({ category: 'indicator_still_high', departmentId: owner.departmentId, role: owner.role, subject, evidence });
      if (ind.creditedLevels >= 2) findings.push({ category: 'indicator_improved', departmentId: owner.departmentId, role: owner.role, subject, evidence });
    }
  }
  return findings;
}
