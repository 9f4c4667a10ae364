import { describe, expect, it } from 'vitest';
import { compareRuns, reproductionSummary } from '../../src/domain/indicators/reproduction.ts';

const f = (indicatorId: string, region: string, value: number | null, n: number, level: 'low' | 'medium' | 'high' | 'critical' = 'low') => ({ indicatorId, region, value, n, level });

describe('round reproduction', () => {
  it('when a recomputed run differs in a value, a count or a level, or has a figure the stored one lacks, then exactly those are listed, stored order first', () => {
    const stored = [f('A1', 'county', 10, 10), f('B2', 'county', 5, 5, 'high'), f('B2', 'town-huyang', 2, 2), f('C1', 'county', 0.5, 40)];
    const now = [f('A1', 'county', 10, 10), f('B2', 'county', 4, 4, 'medium'), f('C1', 'county', 0.5, 41), f('D1', 'county', 1, 1)];
    expect(compareRuns(stored, now)).toEqual([
      { indicatorId: 'B2', region: 'county', stored: { value: 5, n: 5, level: 'high' }, recomputed: { value: 4, n: 4, level: 'medium' } },
      { indicatorId: 'B2', region: 'town-huyang', stored: { value: 2, n: 2, level: 'low' }, recomputed: null },
      { indicatorId: 'C1', region: 'county', stored: { value: 0.5, n: 40, level: 'low' }, recomputed: { value: 0.5, n: 41, level: 'low' } },
      { indicatorId: 'D1', region: 'county', stored: null, recomputed: { value: 1, n: 1, level: 'low' } },
    ]);
    expect(compareRuns(stored, [...stored].reverse())).toEqual([]);
  });

  it('each combination of changed data and changed figures reads as its own sentence', () => {
    expect(reproductionSummary({ differences: 0, dataUnchanged: true, casesThen: 120, casesNow: 120 })).toBe('复算结果与存档一致：本期涉及的案件数据（共 120 行）未变，各项指标数值和等级相同。');
    expect(reproductionSummary({ differences: 0, dataUnchanged: false, casesThen: 120, casesNow: 121 })).toBe('本期涉及的数据在计算后有过变化（案件数据原 120 行，现 121 行），但复算的各项指标数值和等级与存档相同。');
    expect(reproductionSummary({ differences: 2, dataUnchanged: false, casesThen: 120, casesNow: 120 })).toContain('（案件数据共 120 行），复算有 2 项指标数值或等级与存档不同。存档结果保持不变');
    expect(reproductionSummary({ differences: 1, dataUnchanged: true, casesThen: 120, casesNow: 120 })).toContain('请系统管理员核查计算程序');
    expect(reproductionSummary({ differences: 0, dataUnchanged: null, casesThen: null, casesNow: 99 })).toContain('未记录数据校验值');
  });
});
