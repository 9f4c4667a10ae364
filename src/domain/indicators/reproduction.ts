import type { Level } from './definition.ts';

/**
 * Is a past round still what it was (issue 19 point 9)? A run's figures are stored once and never
 * change; its input data may (a corrected import). A check recomputes the run with the definition
 * versions it used on the rows as it saw them (kept versions, data-sources.ts) — which must give
 * its figures again — and on today's rows, and compares the data's checksum taken at the run with
 * today's: the answer says whether the run stands and what a corrected import would change.
 */

export interface RunFigure {
  indicatorId: string;
  region: string;
  value: number | null;
  n: number;
  level: Level;
}

export interface FigureDifference {
  indicatorId: string;
  region: string;
  stored: Omit<RunFigure, 'indicatorId' | 'region'> | null;
  recomputed: Omit<RunFigure, 'indicatorId' | 'region'> | null;
}

const key = (f: { indicatorId: string; region: string }) => `${f.indicatorId}\u0000${f.region}`;
const figure = ({ value, n, level }: RunFigure) => ({ value, n, level });

/** Every indicator × region whose value, count or level differs, or that is only on one side; in catalogue order of the stored run. */
export function compareRuns(stored: readonly RunFigure[], recomputed: readonly RunFigure[]): FigureDifference[] {
  const now = new Map(recomputed.map((f) => [key(f), f]));
  const differences: FigureDifference[] = [];
  for (const s of stored) {
    const r = now.get(key(s));
    now.delete(key(s));
    if (r && r.value === s.value && r.n === s.n && r.level === s.level) continue;
    differences.push({ indicatorId: s.indicatorId, region: s.region, stored: figure(s), recomputed: r ? figure(r) : null });
  }
  for (const r of now.values()) differences.push({ indicatorId: r.indicatorId, region: r.region, stored: null, recomputed: figure(r) });
  return differences;
}

/**
 * What a check found. `asRunDifferences`: the run recomputed on the rows as it saw them (null for a
 * run stored before row versions were kept: it can only be recomputed on today's data);
 * `todayDifferences`: recomputed on today's rows.
 */
export interface CheckFindings {
  asRunDifferences: number | null;
  todayDifferences: number;
  dataUnchanged: boolean | null;
  casesThen: number | null;
  casesNow: number;
}

/** The answer in Chinese: whether the run is reproduced, whether its data changed since, and what today's data would change. */
export function reproductionSummary(o: CheckFindings): string {
  const cases = o.casesThen === null ? `现 ${o.casesNow} 行` : o.casesThen === o.casesNow ? `共 ${o.casesNow} 行` : `原 ${o.casesThen} 行，现 ${o.casesNow} 行`;
  const today =
    o.todayDifferences === 0
      ? '按现有数据计算的各项指标数值和等级与存档相同。'
      : `按现有数据计算有 ${o.todayDifferences} 项指标数值或等级与存档不同（见下表）。存档结果保持不变；如需采用更正后的数据，请重新发起评估轮次。`;
  if (o.asRunDifferences !== null) {
    if (o.asRunDifferences > 0) return `按计算时的数据版本复算，有 ${o.asRunDifferences} 项指标与存档不同，请系统管理员核查计算程序。存档结果保持不变。`;
    if (o.dataUnchanged) return `复算结果与存档一致：本期涉及的案件数据（${cases}）未变，各项指标数值和等级相同。`;
    return `按计算时的数据版本复算，结果与存档一致。此后数据有过更正（案件数据${cases}），${today}`;
  }
  // A run from before row versions were kept: only today's data can be read.
  if (o.dataUnchanged === null) {
    return o.todayDifferences === 0
      ? `复算结果与存档一致（该批次计算时未记录数据校验值，无法确认数据是否有过更正；案件数据${cases}）。`
      : `复算有 ${o.todayDifferences} 项指标数值或等级与存档不同；该批次计算时未记录数据校验值，无法确认是否因数据更正。存档结果保持不变。`;
  }
  if (o.dataUnchanged) {
    return o.todayDifferences === 0
      ? `复算结果与存档一致：本期涉及的案件数据（${cases}）未变，各项指标数值和等级相同。`
      : `本期涉及的数据未变，但复算有 ${o.todayDifferences} 项指标与存档不同，请系统管理员核查计算程序。存档结果保持不变。`;
  }
  return `本期涉及的数据在计算后有过变化（案件数据${cases}），该批次计算时尚未保存数据版本，无法按原数据复算；${today}`;
}
