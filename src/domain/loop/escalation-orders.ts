/**
 * 约谈 and 挂牌督办 by decision (第十五条): beside the timer ladder, a county leader may order the
 * interview of a unit's principal or the listing of an item at any time, for one of the reasons the
 * policy names; and the office is prompted when the data suggest it ("建议约谈/挂牌"), with the
 * figures, for a leader to accept or dismiss. This module is the vocabulary and the prompt rules;
 * src/services/loop/escalation-orders.ts records the decisions and tells the item's process.
 */

export type OrderedStep = 'interview' | 'listing';

/** The reasons of 第十五条, each belonging to the step the clause attaches it to. */
export const ORDER_REASONS = {
  duty_unfulfilled: { step: 'interview', label: '未履行社会治理相关职责' },
  work_ineffective: { step: 'interview', label: '社会治理工作不力' },
  public_outcry: { step: 'interview', label: '群众反映强烈' },
  safety_work_lax: { step: 'listing', label: '平安建设工作落实不到位' },
  major_hazard: { step: 'listing', label: '存在重大安全风险隐患' },
} as const satisfies Record<string, { step: OrderedStep; label: string }>;

export type OrderReason = keyof typeof ORDER_REASONS;
export const orderReasons = Object.keys(ORDER_REASONS) as [OrderReason, ...OrderReason[]];
export const STEP_LABELS: Record<OrderedStep, string> = { interview: '约谈主要负责人', listing: '挂牌督办' };

/** The lines past which the office is prompted; configuration (ESCALATION_PROMPT_LINES) overrides each. */
export interface PromptLines {
  /** 红牌 a unit's items received in the last twelve months (DOMAIN.md §4.4: three 红牌 → 约谈主要负责人). */
  redCardsForInterview: number;
  /** A unit's items overdue at the same time. */
  overdueItemsForInterview: number;
  /** A township's 信访件数 in one month (side table township_signal). */
  townshipPetitionsPerMonth: number;
  /** A township's 舆情条数 in one month. */
  townshipOpinionsPerMonth: number;
}

export const DEFAULT_PROMPT_LINES: PromptLines = {
  redCardsForInterview: 3,
  overdueItemsForInterview: 3,
  townshipPetitionsPerMonth: 10,
  townshipOpinionsPerMonth: 3,
};

/** A unit's record as the prompts read it. */
export interface UnitRecord {
  departmentId: string;
  /** 红牌 of its items in the twelve months up to now. */
  redCardsLastYear: number;
  /** Its items in handling past their deadline. */
  overdueItems: number;
}

/** One township's month of the side table. */
export interface TownshipSignal {
  township: string;
  /** YYYY-MM. */
  month: string;
  petitions: number;
  opinions: number;
}

/** A 重大 item in handling that has been carded red or further, not listed yet. */
export interface MajorItemPastRedCard {
  itemId: string;
  departmentId: string;
  title: string;
}

export interface EscalationPrompt {
  /** Stable per matter and period: a decision on it holds until the period changes. */
  key: string;
  step: OrderedStep;
  reason: OrderReason;
  departmentId: string;
  /** Set when the prompt is about one item (挂牌); a unit's prompt lets the leader choose the item. */
  itemId: string | null;
  /** The figures behind it, in Chinese, as the office reads them. */
  figures: string;
}

/**
 * The prompts the data suggest now. A unit's record is looked at per month (its key carries the
 * month, so a dismissed prompt comes back next month if the record is still past the line); a
 * township's signals per month of data; a 重大 item once.
 */
export function escalationPrompts(input: {
  /** YYYY-MM of today (Beijing). */
  month: string;
  lines: PromptLines;
  units: readonly UnitRecord[];
  /** Each township's latest month of data. */
  signals: readonly TownshipSignal[];
  majorItems: readonly MajorItemPastRedCard[];
}): EscalationPrompt[] {
  const { lines } = input;
  const prompts: EscalationPrompt[] = [];
  for (const u of input.units) {
    const past: string[] = [];
    if (u.redCardsLastYear >= lines.redCardsForInterview) past.push(`近十二个月督办事项被亮红牌 ${u.redCardsLastYear} 次（提示线 ${lines.redCardsForInterview} 次）`);
    if (u.overdueItems >= lines.overdueItemsForInterview) past.push(`目前逾期未办结督办事项 ${u.overdueItems} 件（提示线 ${lines.overdueItemsForInterview} 件）`);
    if (past.length > 0) {
      prompts.push({ key: `record:${u.departmentId}:${input.month}`, step: 'interview', reason: 'work_ineffective', departmentId: u.departmentId, itemId: null, figures: past.join('；') });
    }
  }
  for (const s of input.signals) {
    const past: string[] = [];
    if (s.petitions >= lines.townshipPetitionsPerMonth) past.push(`${monthText(s.month)}信访 ${s.petitions} 件（提示线 ${lines.townshipPetitionsPerMonth} 件）`);
    if (s.opinions >= lines.townshipOpinionsPerMonth) past.push(`${monthText(s.month)}舆情 ${s.opinions} 条（提示线 ${lines.townshipOpinionsPerMonth} 条）`);
    if (past.length > 0) {
      prompts.push({ key: `signals:${s.township}:${s.month}`, step: 'interview', reason: 'public_outcry', departmentId: s.township, itemId: null, figures: past.join('；') });
    }
  }
  for (const i of input.majorItems) {
    prompts.push({
      key: `major:${i.itemId}`,
      step: 'listing',
      reason: 'major_hazard',
      departmentId: i.departmentId,
      itemId: i.itemId,
      figures: `重大事项「${i.title}」已亮红牌仍未办结`,
    });
  }
  return prompts;
}

// What the office and leaders see on the 约谈与挂牌 screen (GET /api/escalation-orders).

export interface ItemInHandling {
  id: string;
  number: string | null;
  title: string;
  departmentId: string;
  departmentName: string;
  deadline: string;
  stage: string;
  /** Steps this item can still be ordered to (its process runs each once). */
  openSteps: OrderedStep[];
}

export interface PromptView extends EscalationPrompt {
  departmentName: string;
  stepLabel: string;
  reasonLabel: string;
}

export interface OrderView {
  id: string;
  /** Null for a 约谈 of the unit itself (unit-interview), ordered without an item. */
  itemId: string | null;
  itemNumber: string | null;
  itemTitle: string | null;
  departmentName: string;
  step: OrderedStep;
  stepLabel: string;
  reasonLabel: string;
  evidence: string;
  orderedBy: string;
  orderedAt: string;
  fromPrompt: boolean;
}

export interface DismissedPromptView {
  promptKey: string;
  departmentName: string;
  stepLabel: string;
  reasonLabel: string;
  figures: string;
  note: string | null;
  decidedBy: string;
  decidedAt: string;
}

export interface EscalationBoard {
  prompts: PromptView[];
  items: ItemInHandling[];
  orders: OrderView[];
  dismissed: DismissedPromptView[];
}

const monthText = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
