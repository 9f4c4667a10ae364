import { compareIndicatorCodes } from '../indicators/labels.ts';
import { stageLabels, stageOf, type EscalationRules, type ItemSnapshot, type Stage } from './escalation.ts';
import { isHighRisk, levelRank, type RiskLevel } from './outcomes.ts';
import { CHINA_DEADLINE_CLOCK, countWorkingDays, instantMs, toLocalDate, type DeadlineClock, type WorkCalendar } from './working-days.ts';

/**
 * The joint meeting's agenda (第九条, 第十条): (一) the current high-risk indicators and their
 * domains, (二) the departments' opinions that came late, have not come, or were returned, and
 * (三) the supervision items that are overdue or escalated, so the meeting re-assesses the risk
 * and coordinates across departments where one problem has several owners.
 */

export interface IndicatorStatus {
  indicatorId: string;
  indicatorName: string;
  regionId: string;
  regionName: string;
  level: RiskLevel;
  /** Year-on-year change as a share (0.3 = +30 %), when known. */
  yoyChange?: number | null;
  ownerDepartmentIds: readonly string[];
}

export interface NoticeStatus {
  noticeId: string;
  noticeNumber: string;
  departmentId: string;
  dueDate: string;
  /** When the first opinion came; null when none has. */
  firstSubmittedAt: string | null;
  returnedCount: number;
}

export interface ItemStatus extends ItemSnapshot {
  itemId: string;
  itemNumber: string;
  title: string;
  leadDepartmentId: string;
  coDepartmentIds: readonly string[];
}

export type AgendaSection = 'high_risk_indicators' | 'opinions' | 'overdue_items';

export const agendaSectionTitles: Readonly<Record<AgendaSection, string>> = {
  high_risk_indicators: '一、高风险指标所涉领域基本情况及风险等级再评估',
  opinions: '二、工作意见反馈情况（逾期、未反馈、退回修改）',
  overdue_items: '三、逾期及办理不力的督办事项',
};

export interface AgendaEntry {
  section: AgendaSection;
  /** The indicator × region, notice or item id. */
  refId: string;
  title: string;
  /** Why it is on the agenda, in Chinese, for the agenda document. */
  reason: string;
  departmentIds: string[];
  /** More than one unit owns it: for 跨部门统筹协调 (第十条(三)). */
  crossDepartment: boolean;
}

export interface Agenda {
  sections: { section: AgendaSection; title: string; entries: AgendaEntry[] }[];
  total: number;
}

export interface AgendaInput {
  now: string;
  indicators: readonly IndicatorStatus[];
  notices: readonly NoticeStatus[];
  items: readonly ItemStatus[];
}

const LEVEL_LABEL: Readonly<Record<RiskLevel, string>> = { low: '低', medium: '中', high: '高', critical: '极高' };
const ESCALATED: ReadonlySet<Stage> = new Set<Stage>(['yellow_card', 'red_card', 'interview', 'listed']);

function percent(share: number): string {
  const p = Math.round(share * 1000) / 10;
  return `${p > 0 ? '+' : ''}${p}%`;
}

export function selectAgenda(
  input: AgendaInput,
  rules: Pick<EscalationRules, 'reminderLeadWorkingDays'>,
  cal: WorkCalendar,
  clock: DeadlineClock = CHINA_DEADLINE_CLOCK,
): Agenda {
  const today = toLocalDate(input.now, clock.utcOffsetMinutes);
  const lateDays = (due: string, at: string) => countWorkingDays(cal, toLocalDate(due, clock.utcOffsetMinutes), toLocalDate(at, clock.utcOffsetMinutes));

  const indicators = input.indicators
    .filter((i) => isHighRisk(i.level))
    .sort(
      (a, b) =>
        levelRank(b.level) - levelRank(a.level) ||
        (b.yoyChange ?? -Infinity) - (a.yoyChange ?? -Infinity) ||
        compareIndicatorCodes(a.indicatorId, b.indicatorId) ||
        a.regionId.localeCompare(b.regionId),
    )
    .map((i): AgendaEntry => ({
      section: 'high_risk_indicators',
      refId: `${i.indicatorId}@${i.regionId}`,
      title: `${i.indicatorName}（${i.regionName}）`,
      reason: `风险等级：${LEVEL_LABEL[i.level]}${i.yoyChange != null ? `，同比${percent(i.yoyChange)}` : ''}`,
      departmentIds: [...i.ownerDepartmentIds],
      crossDepartment: i.ownerDepartmentIds.length > 1,
    }));

  const opinions: (AgendaEntry & { weight: number })[] = [];
  for (const n of input.notices) {
    const reasons: string[] = [];
    let weight = 0;
    if (n.firstSubmittedAt === null) {
      if (instantMs(input.now) > instantMs(n.dueDate)) {
        const days = lateDays(n.dueDate, input.now);
        reasons.push(`逾期未反馈工作意见${days > 0 ? `（已逾期${days}个工作日）` : ''}`);
        weight += 1000 + days;
      }
    } else if (instantMs(n.firstSubmittedAt) > instantMs(n.dueDate)) {
      const days = lateDays(n.dueDate, n.firstSubmittedAt);
      reasons.push(`工作意见逾期${days > 0 ? `${days}个工作日` : ''}反馈`);
      weight += 100 + days;
    }
    if (n.returnedCount > 0) {
      reasons.push(`工作意见被退回修改${n.returnedCount}次`);
      weight += 10 * n.returnedCount;
    }
    if (reasons.length === 0) continue;
    opinions.push({
      section: 'opinions',
      refId: n.noticeId,
      title: `风险提示函 ${n.noticeNumber}`,
      reason: reasons.join('；'),
      departmentIds: [n.departmentId],
      crossDepartment: false,
      weight,
    });
  }
  opinions.sort((a, b) => b.weight - a.weight || a.refId.localeCompare(b.refId));

  const items: (AgendaEntry & { days: number; rank: number })[] = [];
  for (const it of input.items) {
    const stage = stageOf(it, input.now, rules, cal, clock);
    if (stage === 'closed') continue;
    const open = !it.submittedAt;
    const overdue = open && instantMs(input.now) > instantMs(it.deadline);
    if (!overdue && !ESCALATED.has(stage)) continue;
    const days = overdue ? Math.max(0, countWorkingDays(cal, toLocalDate(it.deadline, clock.utcOffsetMinutes), today)) : 0;
    const parts = [overdue ? `已逾期${days}个工作日` : '未逾期', `当前：${stageLabels[stage]}`];
    items.push({
      section: 'overdue_items',
      refId: it.itemId,
      title: `${it.itemNumber} ${it.title}`,
      reason: parts.join('，'),
      departmentIds: [it.leadDepartmentId, ...it.coDepartmentIds],
      crossDepartment: it.coDepartmentIds.length > 0,
      days,
      rank: ['yellow_card', 'red_card', 'interview', 'listed'].indexOf(stage),
    });
  }
  items.sort((a, b) => b.rank - a.rank || b.days - a.days || a.refId.localeCompare(b.refId));

  const strip = <T extends AgendaEntry>({ section, refId, title, reason, departmentIds, crossDepartment }: T): AgendaEntry => ({
    section,
    refId,
    title,
    reason,
    departmentIds,
    crossDepartment,
  });
  const sections = [
    { section: 'high_risk_indicators' as const, entries: indicators },
    { section: 'opinions' as const, entries: opinions.map(strip) },
    { section: 'overdue_items' as const, entries: items.map(strip) },
  ].map((s) => ({ ...s, title: agendaSectionTitles[s.section] }));
  return { sections, total: sections.reduce((n, s) => n + s.entries.length, 0) };
}
