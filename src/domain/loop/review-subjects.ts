import { COUNTY } from '../indicators/evaluate.ts';
import { compareIndicatorCodes, indicatorLabel, indicatorLabels } from '../indicators/labels.ts';
import { toLocalDate } from './working-days.ts';
import { levelName, levelRank, periodLabel, type Period, type RiskLevel } from '../documents/format.ts';

/**
 * What a review or approval decides on (issue 21 point 1), as the variable its Camunda Form shows:
 * the form reads it with templating and a table, so our inbox and the engine's Tasklist show the
 * same subject. Names, not ids; dates as the clerk writes them; nothing the form would have to
 * compute. Counts are not carried: the leader's form must not show a small cell (第二十条).
 */

/** Units and indicators by name (src/services/display-names.ts). */
export interface DisplayNames {
  units: ReadonlyMap<string, string>;
  indicators: ReadonlyMap<string, string>;
}

const unitName = (id: string, names: DisplayNames) => (names.units.get(id) ?? id).replace(/(人民政府|办事处)$/, '');

export interface OpinionMeasure {
  content: string;
  ownerName: string;
  responsibleDepartmentId: string;
  /** YYYY-MM-DD, or an ISO instant whose Beijing day is meant. */
  deadline: string;
  indicatorIds: readonly string[];
  townships: readonly string[];
}

export interface OpinionSummary {
  unit: string;
  noticeNumber: string;
  /** 第2稿（逾期报送） */
  submission: string;
  analysis: string;
  problems: string;
  measures: { seq: number; content: string; owner: string; department: string; deadline: string; indicators: string; townships: string }[];
}

/** The 工作意见 under the office's review (第八条: 分析研判、具体措施、责任人和责任部门、完成时限). */
export function opinionSummary(
  opinion: { departmentId: string; noticeNumber: string | null; version: number; late: boolean; analysis: string; problems?: string | null; measures: readonly OpinionMeasure[] },
  names: DisplayNames,
): OpinionSummary {
  return {
    unit: names.units.get(opinion.departmentId) ?? opinion.departmentId,
    noticeNumber: opinion.noticeNumber ?? '（未编号）',
    submission: `第${opinion.version}稿（${opinion.late ? '逾期报送' : '按期报送'}）`,
    analysis: opinion.analysis,
    problems: opinion.problems?.trim() || '（未填写）',
    measures: opinion.measures.map((m, i) => ({
      seq: i + 1,
      content: m.content,
      owner: m.ownerName,
      department: names.units.get(m.responsibleDepartmentId) ?? m.responsibleDepartmentId,
      deadline: /^\d{4}-\d{2}-\d{2}$/.test(m.deadline) ? m.deadline : toLocalDate(m.deadline),
      indicators: indicatorLabels(m.indicatorIds, names.indicators).join('、') || '—',
      townships: m.townships.map((t) => unitName(t, names)).join('、') || '全县',
    })),
  };
}

export interface ReportSummary {
  period: string;
  revision: string;
  /** 高风险以上 12 项（涉及 5 个单位） */
  headline: string;
  highIndicators: { indicator: string; region: string; level: string }[];
  noticeUnits: string;
}

/** The 评估报告 before the court's review and the leader's approval: which cells are high and who gets a notice. */
export function reportSummary(
  report: {
    period: Period;
    revision: number;
    results: readonly { indicatorId: string; region: string; level: RiskLevel }[];
    recipients: readonly { departmentId: string }[];
  },
  names: DisplayNames,
): ReportSummary {
  const high = report.results
    .filter((r) => levelRank(r.level) >= levelRank('high'))
    .sort((a, b) => levelRank(b.level) - levelRank(a.level) || compareIndicatorCodes(a.indicatorId, b.indicatorId) || regionOrder(a.region, b.region));
  const units = report.recipients.map((r) => names.units.get(r.departmentId) ?? r.departmentId);
  return {
    period: periodLabel(report.period),
    revision: `第${report.revision}稿`,
    headline: high.length === 0 ? '本期无高风险指标，不发风险提示函' : `高风险及以上 ${high.length} 项，拟向 ${units.length} 个单位发出风险提示函`,
    highIndicators: high.map((r) => ({
      indicator: indicatorLabel(r.indicatorId, names.indicators),
      region: r.region === COUNTY ? '全县' : unitName(r.region, names),
      level: levelName(r.level),
    })),
    noticeUnits: units.join('、') || '（无）',
  };
}

/** The county first, then townships by id. */
const regionOrder = (a: string, b: string) => (a === b ? 0 : a === COUNTY ? -1 : b === COUNTY ? 1 : a < b ? -1 : 1);
