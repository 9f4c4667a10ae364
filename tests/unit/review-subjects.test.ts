import { describe, expect, it } from 'vitest';
import { opinionSummary, reportSummary, type DisplayNames } from '../../src/domain/loop/review-subjects.ts';

const names: DisplayNames = {
  units: new Map([
    ['finance', '县金融工作局'],
    ['court', '县人民法院'],
    ['yuantan', '源潭镇人民政府'],
    ['binhe', '滨河街道办事处'],
  ]),
  indicators: new Map([
    ['B2', '民间借贷纠纷'],
    ['C10', '劳动争议'],
    ['C2', '婚姻家庭纠纷'],
  ]),
};

describe('what a review decides on', () => {
  it('when the office reviews a late second opinion, then it reads the unit, the notice, the analysis and each measure by name and Beijing date', () => {
    const summary = opinionSummary(
      {
        departmentId: 'finance',
        noticeNumber: '唐平安提〔2025〕3号',
        version: 2,
        late: true,
        analysis: '民间借贷纠纷集中于源潭镇。',
        problems: '  ',
        measures: [
          { content: '开展非法集资排查', ownerName: '王科长', responsibleDepartmentId: 'finance', deadline: '2025-09-30', indicatorIds: ['C10', 'B2', 'C2'], townships: ['yuantan', 'binhe'] },
          // An instant late in the Beijing day: the day is the Beijing one, not UTC's.
          { content: '宣传防范知识', ownerName: '李干事', responsibleDepartmentId: 'unknown-unit', deadline: '2025-10-31T16:30:00Z', indicatorIds: [], townships: [] },
        ],
      },
      names,
    );
    expect(summary).toEqual({
      unit: '县金融工作局',
      noticeNumber: '唐平安提〔2025〕3号',
      submission: '第2稿（逾期报送）',
      analysis: '民间借贷纠纷集中于源潭镇。',
      problems: '（未填写）',
      measures: [
        { seq: 1, content: '开展非法集资排查', owner: '王科长', department: '县金融工作局', deadline: '2025-09-30', indicators: '民间借贷纠纷（B2）、婚姻家庭纠纷（C2）、劳动争议（C10）', townships: '源潭镇、滨河街道' },
        { seq: 2, content: '宣传防范知识', owner: '李干事', department: 'unknown-unit', deadline: '2025-11-01', indicators: '—', townships: '全县' },
      ],
    });
  });

  it('when the court reviews a report, then the high and critical cells are listed worst first in code order, the county before townships, with no count', () => {
    const summary = reportSummary(
      {
        period: { kind: 'half_year', year: 2025 },
        revision: 3,
        results: [
          { indicatorId: 'C10', region: 'yuantan', level: 'high' },
          { indicatorId: 'C2', region: 'binhe', level: 'high' },
          { indicatorId: 'B2', region: 'yuantan', level: 'critical' },
          { indicatorId: 'C2', region: 'county', level: 'high' },
          { indicatorId: 'B2', region: 'binhe', level: 'medium' },
          { indicatorId: 'C10', region: 'county', level: 'low' },
        ],
        recipients: [{ departmentId: 'finance' }, { departmentId: 'yuantan' }],
      },
      names,
    );
    expect(summary).toEqual({
      period: '2025年上半年',
      revision: '第3稿',
      headline: '高风险及以上 4 项，拟向 2 个单位发出风险提示函',
      highIndicators: [
        { indicator: '民间借贷纠纷（B2）', region: '源潭镇', level: '重大风险' },
        { indicator: '婚姻家庭纠纷（C2）', region: '全县', level: '高风险' },
        { indicator: '婚姻家庭纠纷（C2）', region: '滨河街道', level: '高风险' },
        { indicator: '劳动争议（C10）', region: '源潭镇', level: '高风险' },
      ],
      noticeUnits: '县金融工作局、源潭镇人民政府',
    });
  });

  it('when no cell is high, then the report says no notice goes out', () => {
    const summary = reportSummary({ period: { kind: 'annual', year: 2024 }, revision: 1, results: [{ indicatorId: 'B2', region: 'county', level: 'medium' }], recipients: [] }, names);
    expect(summary.headline).toBe('本期无高风险指标，不发风险提示函');
    expect(summary.highIndicators).toEqual([]);
    expect(summary.noticeUnits).toBe('（无）');
    expect(summary.period).toBe('2024年度');
  });
});
