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

  it('when the run recorded the rows it saw, then each finding reads as its own sentence', () => {
    const found = { asRunDifferences: 0, todayDifferences: 0, dataUnchanged: true, casesThen: 120, casesNow: 120 };
    expect(reproductionSummary(found)).toBe('复算结果与存档一致：本期涉及的案件数据（共 120 行）未变，各项指标数值和等级相同。');
    expect(reproductionSummary({ ...found, dataUnchanged: false, casesNow: 119, todayDifferences: 2 })).toBe(
      '按计算时的数据版本复算，结果与存档一致。此后数据有过更正（案件数据原 120 行，现 119 行），按现有数据计算有 2 项指标数值或等级与存档不同（见下表）。存档结果保持不变；如需采用更正后的数据，请重新发起评估轮次。',
    );
    expect(reproductionSummary({ ...found, dataUnchanged: false })).toBe(
      '按计算时的数据版本复算，结果与存档一致。此后数据有过更正（案件数据共 120 行），按现有数据计算的各项指标数值和等级与存档相同。',
    );
    expect(reproductionSummary({ ...found, asRunDifferences: 3 })).toBe('按计算时的数据版本复算，有 3 项指标与存档不同，请系统管理员核查计算程序。存档结果保持不变。');
  });

  it("when the run is from before row versions were kept, then the sentence says what today's data shows and why it cannot say more", () => {
    const found = { asRunDifferences: null, todayDifferences: 0, dataUnchanged: true, casesThen: 120, casesNow: 120 };
    expect(reproductionSummary(found)).toBe('复算结果与存档一致：本期涉及的案件数据（共 120 行）未变，各项指标数值和等级相同。');
    expect(reproductionSummary({ ...found, todayDifferences: 1 })).toContain('请系统管理员核查计算程序');
    expect(reproductionSummary({ ...found, dataUnchanged: false, todayDifferences: 2 })).toBe(
      '本期涉及的数据在计算后有过变化（案件数据共 120 行），该批次计算时尚未保存数据版本，无法按原数据复算；按现有数据计算有 2 项指标数值或等级与存档不同（见下表）。存档结果保持不变；如需采用更正后的数据，请重新发起评估轮次。',
    );
    expect(reproductionSummary({ ...found, dataUnchanged: null, casesThen: null, casesNow: 99 })).toContain('未记录数据校验值');
  });
});
