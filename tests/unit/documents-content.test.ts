import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertNoPersonalData,
  buildAssessmentReport,
  buildInterviewNotice,
  buildInterviewRecord,
  buildListingRecord,
  buildMeetingAgenda,
  buildMeetingMinutes,
  buildPublicReport,
  buildRectificationOrder,
  buildRiskNotice,
  buildScoreSheet,
  buildSupervisionBulletin,
  buildSupervisionNotice,
  buildUrgeNotice,
  buildWarningCard,
  buildSeminarInvitation,
  buildListingNotice,
  buildTopicReport,
  documentText,
  findPersonalData,
  renderPlainText,
  SUPPRESSION_NOTE,
  townshipHeatGrid,
  unitScores,
  type Block,
  type IndicatorFigure,
  type OfficialDocument,
} from '../../src/domain/documents/index.ts';
import { ValidationError } from '../../src/shared/errors.ts';
import * as fx from '../fixtures/documents.ts';

const text = (doc: OfficialDocument): string => documentText(doc);
const tables = (blocks: readonly Block[]) => blocks.filter((b) => b.type === 'table');
const charts = (blocks: readonly Block[]) => blocks.flatMap((b) => (b.type === 'chart' ? [b.chart] : []));

/** A digit 0–4 printed as a count of cases ("3件", "2名") outside an ordinal or a larger number. */
const SMALL_COUNT = /(?<![0-9.第<])[0-4]\s*(件|名|人|起|户)/;

describe('风险提示函', () => {
  const doc = buildRiskNotice(fx.riskNoticeInput());

  it('when built, then it follows DOMAIN.md §4.1: court red header, 文号, 内部, 主送 the department, 抄送 政法委 and 平安办', () => {
    expect(doc.header).toEqual({ style: 'red', organ: '唐河县人民法院' });
    expect(doc.title).toBe('风险提示函');
    expect(doc.number).toBe('唐法风〔2026〕3号');
    expect(doc.classification).toBe('内部');
    expect(doc.mainRecipients).toEqual(['唐河县人力资源和社会保障局']);
    expect(doc.copyTo).toEqual(['中共唐河县委政法委员会', '唐河县平安建设领导小组办公室']);
    expect(doc.meta).toEqual({ issuedOn: '2026-07-24', to: ['rsj'], cc: ['zfw', 'pab'] });
    expect(doc.signature).toEqual({ organs: ['唐河县人民法院'], date: '二〇二六年七月二十四日', sealed: true });
  });

  it('when built, then the basis, indicator block, analysis, suggestions and 第八条 feedback items are all there in order', () => {
    const t = text(doc);
    const order = [
      '根据《基于司法大数据的唐河法院经济社会运行情况评估报告（2026年上半年）》，经县委、县政府领导批准',
      '一、风险指标情况',
      'B3 追索劳动报酬纠纷收案数',
      '二、风险表现与成因分析',
      '三、工作建议',
      '四、反馈要求',
      '15个工作日内（2026年8月14日前）',
      '（一）分析研判情况',
      '（二）具体的工作措施',
      '（三）责任人和责任部门',
      '（四）完成时限',
    ];
    let at = -1;
    for (const phrase of order) {
      const next = t.indexOf(phrase, at + 1);
      expect(next, phrase).toBeGreaterThan(at);
      at = next;
    }
    expect(t).toContain('报送唐河县平安建设领导小组办公室');
  });

  it('when built, then the key figures, level and colour, township top 5 and a trend chart are present', () => {
    const t = text(doc);
    expect(t).toContain('412件');
    expect(t).toContain('261件');
    expect(t).toContain('上升57.9%');
    expect(t).toContain('重大风险（红色）');
    const towns = tables(doc.body).find((b) => b.type === 'table' && b.title?.includes('乡镇'));
    expect(towns && towns.type === 'table' ? towns.rows.length : 0).toBe(5);
    expect(charts(doc.body).map((c) => c.type)).toEqual(['trend']);
  });

  it('when the analysis mentions 3 workers, then the letter says "<5" (small-cell suppression in free text)', () => {
    expect(text(doc)).toContain('涉 <5 名劳动者');
    expect(text(doc)).not.toMatch(SMALL_COUNT);
  });

  it('when built, then the annex holds the indicator definition and the data cut-off', () => {
    expect(doc.annexes.map((a) => [a.label, a.title])).toEqual([['附件', '指标定义与数据说明']]);
    expect(text(doc)).toContain('数据截止日期：2026年6月30日');
    expect(doc.contact?.phone).toBe('0377-68912345');
  });

  it('when an indicator is not high or critical, then no notice is built for it', () => {
    expect(() => buildRiskNotice(fx.riskNoticeInput({ indicators: [fx.figures[3]!] }))).toThrow(ValidationError);
  });

  it('when required fields are missing, then every problem is reported at once', () => {
    try {
      buildRiskNotice(fx.riskNoticeInput({ number: '', suggestions: [], feedback: { workingDays: 0, dueDate: '2026-13-01' } }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).problems.map((p) => p.field).sort()).toEqual(['feedback.dueDate', 'feedback.workingDays', 'number', 'suggestions']);
    }
  });

  it('when the analysis text carries an ID number or a phone number, then the letter is refused', () => {
    expect(() => buildRiskNotice(fx.riskNoticeInput({ patterns: ['当事人身份证号411328199001011234涉案'] }))).toThrow(/身份证/);
    expect(() => buildRiskNotice(fx.riskNoticeInput({ patterns: ['联系电话13812345678'] }))).toThrow(/手机/);
    expect(() => buildRiskNotice(fx.riskNoticeInput({ patterns: ['见(2026)豫1328民初1234号案'] }))).toThrow(/案号/);
  });
});

describe('评估报告', () => {
  const half = buildAssessmentReport(fx.assessmentReportInput());

  it('when built for a half year, then it is addressed to 县委、县政府、县委政法委 and carries all three chart kinds', () => {
    expect(half.title).toBe('基于司法大数据的唐河法院经济社会运行情况评估报告');
    expect(half.subtitle).toBe('（2026年上半年）');
    expect(half.number).toBe('唐法评〔2026〕2号');
    expect(half.mainRecipients).toEqual(['县委', '县政府', '县委政法委']);
    expect(charts(half.body).map((c) => c.type)).toEqual(['level_bars', 'trend', 'trend', 'trend', 'heat_grid']);
  });

  it('when built, then totals, level counts and every indicator appear with suppressed small cells', () => {
    const t = text(half);
    expect(t).toContain('新收刑事、民事、行政、执行等各类案件12209件，同比上升2.2%（另有国家赔偿案件少于5件，未计入合计）');
    expect(t).toContain('重大风险1项、高风险2项、中风险1项、低风险3项');
    expect(t).toMatch(/国家赔偿 <5件 <5件 基数<5，不作同比/);
    expect(t).toContain('C2 涉未成年人犯罪案件数 <5件 <5件 基数<5，不作同比');
    expect(t).not.toMatch(SMALL_COUNT);
  });

  it('when the heat grid is drawn, then only indicators with township data are columns and small cells print "<5"', () => {
    const grid = charts(half.body).find((c) => c.type === 'heat_grid');
    expect(grid?.type === 'heat_grid' && grid.columns).toEqual(['B3 追索劳动报酬纠纷收案数', 'A1 一审行政案件收案数']);
    const labels = grid?.type === 'heat_grid' ? grid.cells.flat().map((c) => c.label) : [];
    expect(labels).toHaveLength(46);
    expect(labels.every((l) => l === '<5' || l === '*' || Number(l) >= 5)).toBe(true);
  });

  it('when a township column has a single "<5", then the next smallest cell is withheld too so it cannot be derived', () => {
    const figure: IndicatorFigure = {
      ...fx.figures[0]!,
      townships: [{ name: '甲镇', count: 3 }, { name: '乙镇', count: 7 }, { name: '丙镇', count: 40 }],
    };
    const grid = townshipHeatGrid('t', ['甲镇', '乙镇', '丙镇'], [figure]);
    expect(grid.cells.map((r) => r[0]!.label)).toEqual(['<5', '*', '40']);
    const two = townshipHeatGrid('t', ['甲镇', '乙镇', '丙镇'], [{ ...figure, townships: [{ name: '甲镇', count: 3 }, { name: '乙镇', count: 1 }, { name: '丙镇', count: 40 }] }]);
    expect(two.cells.map((r) => r[0]!.label)).toEqual(['<5', '<5', '40']);
  });

  it('when the report is annual, then it must carry the evaluation of last year and shows it', () => {
    expect(() => buildAssessmentReport(fx.assessmentReportInput({ period: { kind: 'annual', year: 2026 } }))).toThrow(ValidationError);
    const annual = buildAssessmentReport(
      fx.assessmentReportInput({
        period: { kind: 'annual', year: 2026 },
        evaluation: { year: 2025, outcomes: fx.publicReportInput().outcomes },
      }),
    );
    expect(annual.subtitle).toBe('（2026年度）');
    expect(text(annual)).toContain('2025年度高风险指标成效评价');
    expect(text(annual)).toContain('风险已化解1项，有所好转0项，无明显变化0项，有所加剧1项');
  });

  it('when built, then it ends with 数据说明: rows imported, the period covered, comparable years, refused files, gaps and the coverage grid', () => {
    const headings = half.body.filter((b) => b.type === 'heading' && b.level === 1).map((b) => (b.type === 'heading' ? b.text : ''));
    expect(headings.at(-1)).toBe('六、数据说明');
    const section = half.body.slice(half.body.findIndex((b) => b.type === 'heading' && b.text === '六、数据说明') + 1);
    expect(section.filter((b) => b.type === 'paragraph').map((b) => (b.type === 'paragraph' ? b.text : ''))).toEqual([
      '本报告所用案件数据共导入文件5个、读取数据36518行，立案日期覆盖2024年1月2日至2026年6月30日。',
      '同比和近三年均值仅使用数据完整导入的2025年上半年、2024年上半年；2023年上半年的案件数据未完整导入，未纳入比较，也不视为零。',
      '2026年上半年无数据的月份——源潭镇：5月至6月。仅部分日期有数据的月份——张店镇：6月。相关乡镇（街道）在这些月份的数值偏低，不代表没有案件。',
      SUPPRESSION_NOTE,
    ]);
    const [refused, grid] = tables(section);
    expect(refused).toMatchObject({
      title: '表2  本期以来被拒绝导入的文件（共1个，均未导入任何数据）',
      rows: [['2026年3月2日', '2026年2月案件.csv', '3', '第3行·立案日期：日期晚于今天（北京时间）']],
    });
    expect(grid?.type === 'table' && grid.title).toBe('表3  2026年上半年案件数据覆盖情况');
    expect(grid?.type === 'table' && grid.columns.map((c) => c.header)).toEqual(['乡镇（街道）', '1月', '2月', '3月', '4月', '5月', '6月']);
    const row = (name: string) => (grid?.type === 'table' ? grid.rows.find((r) => r[0] === name)!.map((c) => (typeof c === 'string' ? c : `${c.text}/${c.tone}`)) : []);
    expect(row('源潭镇')).toEqual(['源潭镇', '有/green', '有/green', '有/green', '有/green', '无/grey', '无/grey']);
    expect(row('张店镇')).toEqual(['张店镇', '有/green', '有/green', '有/green', '有/green', '有/green', '部分/yellow']);
    expect(grid?.type === 'table' && grid.rows).toHaveLength(23);
  });

  it('when the data has no gap, no refusal and no comparable year, then 数据说明 says so in words', () => {
    const complete = { ...fx.dataQuality.coverage, status: fx.dataQuality.coverage.status.map((r) => r.map(() => 'covered' as const)) };
    const report = buildAssessmentReport(
      fx.assessmentReportInput({
        dataQuality: { ...fx.dataQuality, refusals: [], coverage: complete, comparisons: fx.dataQuality.comparisons.map((c) => ({ ...c, comparable: false })) },
      }),
    );
    const t = text(report);
    expect(t).toContain('2025年上半年、2024年上半年、2023年上半年的案件数据均未完整导入，本期指标无可比历史数据，不作同比和基准比较，仅按阈值判定；未导入的数据不视为零。');
    expect(t).toContain('本期以来没有因数据有误被拒绝导入的文件。');
    expect(t).toContain('2026年上半年各乡镇（街道）各月均已导入案件数据，无数据缺口。');
    const allMissing = buildAssessmentReport(fx.assessmentReportInput({ dataQuality: { ...fx.dataQuality, coverage: { ...complete, status: complete.status.map((r) => r.map((_, m) => (m >= 4 ? 'none' : 'covered'))) } } }));
    expect(text(allMissing)).toContain('2026年上半年无数据的月份——全县各乡镇（街道）：5月至6月。');
  });

  it('when a refused upload’s reason names a 案号, then the report still builds and quotes the reason without it', () => {
    const reason = '第7行·案号：案号重复：（2026）豫1328民初1024号 又见于第3行';
    const report = buildAssessmentReport(
      fx.assessmentReportInput({ dataQuality: { ...fx.dataQuality, refusals: [{ refusedOn: '2026-03-02', fileName: '重复.csv', problemCount: 1, reason }] } }),
    );
    expect(text(report)).toContain('第7行·案号：案号重复：〔略〕 又见于第3行');
    expect(text(report)).not.toContain('1024号');
  });

  it('when random counts are reported, then no count below 5 is ever printed', () => {
    const arbitraryFigure = fc.record({ value: fc.nat({ max: 30 }), previous: fc.nat({ max: 30 }), town: fc.nat({ max: 12 }) }).map(
      ({ value, previous, town }): IndicatorFigure => ({
        ...fx.figures[0]!,
        level: 'high',
        value,
        previous,
        basisCount: value,
        previousBasisCount: previous,
        base: { label: '县近三年同期均值', value: previous },
        townships: [{ name: '源潭镇', count: town, level: 'high' }, { name: '张店镇', count: value, level: 'medium' }],
        trend: [{ label: '2025年上半年', value: previous, basisCount: previous }, { label: '2026年上半年', value, basisCount: value }],
      }),
    );
    fc.assert(
      fc.property(arbitraryFigure, fc.nat({ max: 9 }), (figure, cases) => {
        const report = buildAssessmentReport(fx.assessmentReportInput({ figures: [figure], caseTotals: [{ type: '行政', count: cases, previous: cases + 1 }] }));
        const notice = buildRiskNotice(fx.riskNoticeInput({ indicators: [figure] }));
        for (const doc of [report, notice]) {
          const t = text(doc);
          if (SMALL_COUNT.test(t)) return false;
          for (const chart of charts([...doc.body, ...doc.annexes.flatMap((a) => a.blocks)])) {
            if (chart.type === 'trend' && chart.series.some((s) => s.values.some((v) => v !== null && v < 5))) return false;
          }
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });
});

describe('督办事项通知书', () => {
  const doc = buildSupervisionNotice(fx.supervisionNoticeInput());

  it('when built, then 主送 is the lead unit, 抄送 the co-units, and the registration sheet is complete', () => {
    expect(doc.header).toEqual({ style: 'red', organ: '唐河县平安建设领导小组办公室' });
    expect(doc.number).toBe('唐平督〔2026〕第015号');
    expect(doc.mainRecipients).toEqual(['唐河县人力资源和社会保障局']);
    expect(doc.copyTo).toEqual(['唐河县住房和城乡建设局', '唐河县公安局']);
    expect(doc.meta).toMatchObject({ to: ['rsj'], cc: ['zjj', 'gaj'] });
    const sheet = doc.body[0];
    expect(sheet?.type === 'fields' && sheet.rows.map((r) => r.label)).toEqual(['督办编号', '事项名称', '督查内容', '任务来源', '收文时间', '承办单位', '办复要求', '办理时限', '关联指标', '签发']);
    expect(text(doc)).toContain('主办：唐河县人力资源和社会保障局；协办：唐河县住房和城乡建设局、唐河县公安局');
    expect(text(doc)).toContain('《风险提示函》（唐法风〔2026〕3号）');
  });

  it('when built, then the feedback rules of DOMAIN.md §4.2 and the major-matter rule are spelled out', () => {
    const t = text(doc);
    expect(t).toContain('2026年12月20日前');
    expect(t).toContain('办理结果由主办单位统一报送');
    expect(t).toContain('一事一文');
    expect(t).toContain('加盖公章');
    expect(t).toContain('不得直接报送领导同志个人');
    expect(t).toContain('应在办理时限届满前书面报告阶段性进展情况');
    expect(t).toContain('经督办人员审核、领导审批后方可延期');
    expect(t).toContain('须随时报告进展情况和办理结果');
  });

  it('when built, then a receipt to sign comes with it, with blanks to fill', () => {
    expect(doc.receipt?.title).toBe('督办事项通知书回执');
    const fields = doc.receipt?.blocks[0];
    expect(fields?.type === 'fields' && fields.rows.filter((r) => r.value === '').map((r) => r.label)).toEqual(['签收人', '签收时间', '责任部门及责任人', '联系电话', '备注']);
  });

  it('when a co-unit is the lead unit, or the deadline precedes the notice, then it is refused', () => {
    const input = fx.supervisionNoticeInput();
    expect(() => buildSupervisionNotice({ ...input, item: { ...input.item, coUnits: [input.item.lead] } })).toThrow(/协办单位/);
    expect(() => buildSupervisionNotice({ ...input, item: { ...input.item, deadline: '2026-08-01' } })).toThrow(/办理时限/);
  });
});

describe('催办通知书', () => {
  it('when an item is overdue, then the notice names the days, the new deadline, the 通报批评 rule and copies the 分管领导', () => {
    const doc = buildUrgeNotice(fx.urgeNoticeInput());
    expect(doc.title).toBe('催办通知书');
    expect(doc.subtitle).toBe('（第1次催办·橙色）');
    expect(doc.number).toBe('唐平催〔2026〕第007号');
    expect(doc.copyTo).toEqual(['县政府分管副县长']);
    expect(doc.meta).toMatchObject({ to: ['rsj'], ccLeadersOf: ['rsj'] });
    const t = text(doc);
    expect(t).toContain('截至2026年12月21日已逾期1日');
    expect(t).toContain('也未在期限届满前报告进展情况或申请延期');
    expect(t).toContain('于2026年12月28日前');
    expect(t).toContain('5个工作日后仍未办结的，将予以书面通报批评');
  });

  it('when sent before the deadline has passed, then it is refused', () => {
    expect(() => buildUrgeNotice(fx.urgeNoticeInput({ issuedOn: '2026-12-20' }))).toThrow(/届满后/);
  });
});

describe('黄牌/红牌通报', () => {
  it('when an item is carded red, then the 通报 names the overdue days, announces the 约谈 and the deduction, and goes to the unit cc its leader and the 政法委', () => {
    const doc = buildWarningCard(fx.warningCardInput());
    expect(doc.title).toBe('关于给予唐河县人力资源和社会保障局督办红牌警示的通报');
    expect(doc.number).toBe('唐平警〔2026〕第003号');
    expect(doc.meta).toMatchObject({ to: ['rsj'], cc: ['zfw'], ccLeadersOf: ['rsj'] });
    const t = text(doc);
    expect(t).toContain('经临期提醒、到期催办和黄牌警示，截至2027年1月11日已逾期22日仍未办结');
    expect(t).toContain('将按程序约谈唐河县人力资源和社会保障局主要负责人，并在年度平安建设考核中扣分');
  });

  it('when an item is carded yellow, then the 通报 warns of the 红牌 to come; issued before the deadline passed, it is refused', () => {
    const t = text(buildWarningCard(fx.warningCardInput({ card: 'yellow_card' })));
    expect(t).toContain('经临期提醒、到期催办，截至');
    expect(t).toContain('仍未办结的，将给予红牌警示，约谈单位主要负责人');
    expect(() => buildWarningCard(fx.warningCardInput({ issuedOn: '2026-12-20' }))).toThrow(/届满后/);
  });
});

describe('挂牌督办通知书', () => {
  it('when an item is listed, then the notice under the 挂牌编号 names the problem, the deadline, the plan due and the 公示, to the unit cc its leader; a deadline beyond a year is refused', () => {
    const doc = buildListingNotice(fx.listingNoticeInput());
    expect([doc.title, doc.number]).toEqual(['挂牌督办通知书', '唐平挂〔2026〕第001号']);
    expect(doc.meta).toMatchObject({ to: ['zjj'], cc: ['zfw'], ccLeadersOf: ['zjj'] });
    const t = text(doc);
    expect(t).toContain('实行县级挂牌督办，挂牌编号为唐平挂〔2026〕第001号');
    expect(t).toContain('二、整改期限：2027年4月12日前完成整改。');
    expect(t).toContain('于2026年10月19日前报送');
    expect(t).toContain('挂牌督办和摘牌情况向社会公示');
    // A problem typed with its own full stop is closed once.
    expect(text(buildListingNotice(fx.listingNoticeInput({ problem: '深基坑支护不达标。' })))).toContain('一、存在的问题：深基坑支护不达标。\n二、');
    expect(() => buildListingNotice(fx.listingNoticeInput({ deadline: '2027-11-01' }))).toThrow(/不超过1年/);
  });
});

describe('成效研讨会邀请函', () => {
  it('when the office invites experts, then the letter names each by organisation, the day, the place and the topics, and is refused for a day already past', () => {
    const doc = buildSeminarInvitation(fx.seminarInvitationInput());
    expect(doc.title).toBe('关于邀请出席2026年度县域社会治理成效研讨会的函');
    expect(doc.mainRecipients).toEqual(['最高人民法院中国司法大数据研究院', '郑州大学法学院']);
    const t = text(doc);
    expect(t).toContain('一、时间：2027年3月12日。');
    expect(t).toContain('三、研讨议题：1. 民间借贷风险防控成效；2. 欠薪治理长效机制。');
    expect(() => buildSeminarInvitation(fx.seminarInvitationInput({ date: '2027-02-01' }))).toThrow(/研讨会日期不能早于发函日期/);
  });
});

describe('督办事项专报', () => {
  const doc = buildSupervisionBulletin(fx.bulletinInput());

  it('when built, then it has the bulletin masthead, issue number and goes to the committee head and the group members', () => {
    expect(doc.header).toEqual({ style: 'bulletin', masthead: '督办事项专报', issue: '2026年第11期', organ: '唐河县平安建设领导小组办公室', date: '2026年12月5日' });
    expect(doc.reportTo).toEqual(['县委政法委主要负责同志']);
    expect(doc.sendTo).toEqual(['县平安建设领导小组成员']);
    expect(doc.meta.to).toEqual(['zfw']);
  });

  it('when built, then the five parts of DOMAIN.md §4.3 carry the totals, lights, overdue items, experience and proposals', () => {
    const t = text(doc);
    expect(t).toContain('共登记立项社会治理风险督办事项24件，已办结13件，正在办理8件，逾期未办结3件，按期办结率75.0%');
    expect(t).toContain('亮红灯2个、亮黄灯1个、亮绿灯1个');
    for (const heading of ['一、总体情况', '二、各单位办理情况', '三、逾期及办理不力事项', '四、典型经验', '五、下一步建议']) expect(t).toContain(heading);
    expect(t).toContain('建议对唐河县人力资源和社会保障局主要负责人进行约谈');
    const lights = tables(doc.body)[0];
    expect(lights?.type === 'table' && lights.rows.map((r) => (typeof r[7] === 'string' ? r[7] : r[7]!.tone))).toEqual(['red', 'red', 'yellow', 'green']);
    expect(doc.annexes[0]?.title).toBe('督办事项台账');
  });

  it('when the totals do not add up, then the bulletin is refused', () => {
    expect(() => buildSupervisionBulletin(fx.bulletinInput({ totals: { registered: 10, closed: 1, inProgress: 1, overdue: 1, closedOnTime: 1 } }))).toThrow(ValidationError);
  });
});

describe('约谈', () => {
  it('when the notice is built, then it has reason, time, place, interviewers, purpose, requirements and contact', () => {
    const doc = buildInterviewNotice(fx.interviewNoticeInput());
    expect(doc.title).toBe('约谈通知书');
    expect(doc.number).toBe('唐平约〔2026〕第002号');
    expect(doc.mainRecipients).toEqual(['唐河县人力资源和社会保障局']);
    const t = text(doc);
    for (const phrase of ['第十五条', '一、约谈事由', '二、约谈时间：2026年12月11日（星期五）上午9:30', '三、约谈地点：县委政法委三楼会议室', '四、约谈人员', '五、约谈目的', '不得委托他人代为参加', '1. 督办事项办理情况书面报告', '15个工作日内']) {
      expect(t).toContain(phrase);
    }
    expect(doc.contact?.office).toBe('唐河县平安建设领导小组办公室督查科');
  });

  it('when the record is built, then it follows the procedure and has signature lines', () => {
    const doc = buildInterviewRecord(fx.interviewRecordInput());
    const t = text(doc);
    const order = ['一、约谈方指出的问题', '二、被约谈方情况说明', '三、整改要求及时限', '整改时限：2027年1月31日前', '四、被约谈方表态', '五、后续要求', '2027年1月4日前'];
    let at = -1;
    for (const phrase of order) {
      const next = t.indexOf(phrase, at + 1);
      expect(next, phrase).toBeGreaterThan(at);
      at = next;
    }
    expect(doc.body.at(-1)).toEqual({ type: 'signature_lines', labels: ['约谈人（签字）：', '被约谈人（签字）：', '记录人（签字）：'] });
  });
});

describe('挂牌督办', () => {
  it('when the order is built, then it lists the 五落实, the deadline, monthly reports, extension and delisting rules', () => {
    const doc = buildRectificationOrder(fx.rectificationOrderInput());
    expect(doc.title).toBe('限期整改指令书');
    const t = text(doc);
    for (const phrase of ['挂牌编号：唐平挂〔2026〕第001号', '存在重大安全风险隐患', '落实责任', '落实措施', '落实资金', '落实时限', '落实预案', '2027年6月30日前完成整改', '每月5日前', '20个工作日前', '10个工作日内', '摘牌销号', '5个工作日内公开']) {
      expect(t).toContain(phrase);
    }
  });

  it('when the deadline is more than a year away, then the order is refused', () => {
    expect(() => buildRectificationOrder(fx.rectificationOrderInput({ deadline: '2027-12-16' }))).toThrow(/不超过1年/);
    expect(() => buildRectificationOrder(fx.rectificationOrderInput({ deadline: '2027-12-15' }))).not.toThrow();
  });

  it('when the record is built, then it shows status, nodes, monthly progress and publication', () => {
    const doc = buildListingRecord(fx.listingRecordInput());
    const t = text(doc);
    expect(t).toContain('当前状态 整改中');
    expect(t).toContain('2027年1月 完成清单，涉及企业9家，已清偿3家。 是');
    expect(t).toContain('挂牌公开日期 2026年12月18日');
    const done = buildListingRecord(fx.listingRecordInput({ acceptance: { on: '2027-06-20', inspectors: ['县平安办', '县人社局'], conclusion: '欠薪清零。', passed: true }, delistedOn: '2027-06-25' }));
    expect(text(done)).toContain('当前状态 已摘牌销号');
  });
});

describe('联席会议', () => {
  it('when the agenda is generated, then it follows the four items of 第十条 with the high-risk indicators and opinions', () => {
    const doc = buildMeetingAgenda(fx.meetingAgendaInput());
    expect(doc.title).toBe('社会治理风险评估预警化解工作联席会议议程');
    const t = text(doc);
    expect(t).toContain('高风险指标3项');
    expect(t).toContain('一、通报高风险指标所涉领域基本情况');
    expect(t).toContain('二、相关单位汇报分析意见，对风险等级进行再评估');
    expect(t).toContain('三、梳理风险问题化解措施');
    expect(t).toContain('四、对相关决策实施后的影响作出预判');
    expect(t).toContain('唐河县司法局（工作意见待审核）');
    expect(doc.meta.to).toEqual(['court', 'sfj', 'rsj', 'zjj']);
  });

  it('when the minutes are written, then re-assessed levels, decisions with lead/co-units and impact are recorded', () => {
    const doc = buildMeetingMinutes(fx.meetingMinutesInput());
    expect(doc.number).toBe('唐平纪〔2026〕2号');
    const t = text(doc);
    expect(t).toContain('A2 行政机关败诉率 高风险（橙色） 中风险（黄色）');
    expect(t).toContain('（一）开展建筑领域欠薪联合执法专项行动由唐河县人力资源和社会保障局牵头，唐河县住房和城乡建设局、唐河县公安局配合，2026年12月20日前完成。');
    expect(t).toContain('三、决策实施影响预判');
    expect(doc.annexes[0]?.title).toBe('议定事项工作任务清单');
    expect(doc.reportTo).toEqual(['县委', '县政府']);
  });
});

describe('考核扣分表', () => {
  it('when scores are laid out, then lead units bear their deductions, bonuses add and the total is 100 − deductions + bonuses', () => {
    const input = fx.scoreSheetInput();
    expect(unitScores(input).map((s) => [s.unit.id, s.deducted, s.added, s.score])).toEqual([
      ['rsj', 10, 0, 90],
      ['jrj', 0, 1, 101],
      ['zjj', 1.5, 0, 98.5],
    ]);
    const doc = buildScoreSheet(input);
    const t = text(doc);
    expect(t).toContain('1 唐河县人力资源和社会保障局 -2 — -3 -2 — -3 — 10 0 90');
    expect(t).toContain('2 唐河县地方金融管理局 — — — — — — +1 0 1 101');
    expect(t).toContain('迟报 2 -2 唐平督〔2026〕第015号；唐平督〔2026〕第021号');
    expect(t).toContain('唐平约〔2026〕第002号');
    expect(doc.annexes[0]?.title).toBe('扣分明细');
  });

  it('when an entry names an unknown category, then the sheet is refused', () => {
    const input = fx.scoreSheetInput();
    expect(() => buildScoreSheet({ ...input, units: [{ unit: { id: 'x', name: '某单位' }, entries: [{ category: 'nope', count: 1, points: 1, evidence: [] }] }] })).toThrow(/未定义的扣分类别/);
  });
});

describe('年度评估报告（公开版）', () => {
  const doc = buildPublicReport(fx.publicReportInput());

  it('when published, then it is public, co-signed by the office and the research institute, with the seminar', () => {
    expect(doc.audience).toBe('public');
    expect(doc.title).toBe('基于司法大数据的唐河经济社会运行情况评估报告');
    expect(doc.signature?.organs).toEqual(['唐河县平安建设领导小组办公室', '最高人民法院中国司法大数据研究院']);
    expect(doc.note).toBe('（此件公开发布）');
    const t = text(doc);
    expect(t).toContain('全年共发出《风险提示函》9份');
    expect(t).toContain('民间借贷纠纷收案数同比下降23.9%');
    expect(t).toContain('2027年2月28日（星期日）下午2:30');
    expect(charts(doc.body).map((c) => c.type)).toEqual(['level_bars', 'trend']);
  });

  it('when published, then it holds aggregates only: no unit scores, no item numbers, no small counts, no personal data', () => {
    const t = text(doc);
    expect(t).not.toMatch(/唐平督|唐平约|扣分|得分/);
    expect(t).not.toMatch(SMALL_COUNT);
    expect(findPersonalData(t)).toEqual([]);
  });
});

describe('专题分析报告', () => {
  const doc = buildTopicReport(fx.topicReportInput());

  it("when built, then it is the court's red-headed report on the topic to 县委、县政府、县委政法委", () => {
    expect(doc.kind).toBe('topic_report');
    expect(doc.title).toBe('关于民间借贷纠纷的专题分析报告');
    expect(doc.subtitle).toBe('（2025年上半年至2026年上半年）');
    expect(doc.mainRecipients).toEqual(['县委', '县政府', '县委政法委']);
    expect(doc.header).toEqual({ style: 'red', organ: '唐河县人民法院' });
  });

  it('when a township has fewer than 5 cases, then its counts print "<5", its line has no point and no text names a count under 5', () => {
    const t = text(doc);
    expect(t).toContain('郭滩镇 <5件 <5件 低风险（蓝色）');
    expect(t).toContain('源潭镇 53件 118件 重大风险（红色）');
    expect(t).not.toMatch(SMALL_COUNT);
    expect(t).toContain('同一出借人涉案 <5 件');
    const [trend] = charts(doc.body);
    expect(trend).toEqual({
      type: 'trend',
      title: '民间借贷纠纷变化趋势',
      unit: '件',
      categories: ['2025年上半年', '2026年上半年'],
      series: [
        { name: '全县', values: [856, 1120] },
        { name: '源潭镇', values: [53, 118] },
        { name: '郭滩镇', values: [null, null] },
      ],
    });
  });

  it('when its latest period is high in the county and a town, then the judgement names both and the notice follows the suggestions', () => {
    const t = text(doc);
    expect(t).toContain('B2 民间借贷纠纷：2026年上半年全县高风险（橙色）；乡镇（街道）中，源潭镇重大风险（红色）。');
    expect(t).toContain('经报请批准后，唐河县人民法院将向上述单位发出《风险提示函》（第七条）。');
  });

  it('when one period only or nothing at risk, then there is no chart and the judgement says so', () => {
    const input = fx.topicReportInput();
    const one = buildTopicReport({
      ...input,
      periods: [input.periods[1]!],
      indicators: input.indicators.map((i) => ({ county: [{ ...i.county[1]!, level: 'medium' }], townships: i.townships.map((x) => ({ name: x.name, figures: [{ ...x.figures[1]!, level: 'low' }] })) })),
      suggestions: [],
    });
    expect(charts(one.body)).toEqual([]);
    expect(text(one)).toContain('2026年上半年，本专题范围内未发现高风险指标。');
    expect(text(one)).not.toContain('风险提示函');
  });

  it("when an indicator lacks a period's figure, then it is refused naming the field", () => {
    const input = fx.topicReportInput();
    expect(() => buildTopicReport({ ...input, indicators: [{ ...input.indicators[0]!, county: [input.indicators[0]!.county[0]!] }] })).toThrow(ValidationError);
  });
});

describe('every document', () => {
  const all = [
    buildRiskNotice(fx.riskNoticeInput()),
    buildAssessmentReport(fx.assessmentReportInput()),
    buildSupervisionNotice(fx.supervisionNoticeInput()),
    buildUrgeNotice(fx.urgeNoticeInput()),
    buildWarningCard(fx.warningCardInput()),
    buildSeminarInvitation(fx.seminarInvitationInput()),
    buildListingNotice(fx.listingNoticeInput()),
    buildSupervisionBulletin(fx.bulletinInput()),
    buildInterviewNotice(fx.interviewNoticeInput()),
    buildInterviewRecord(fx.interviewRecordInput()),
    buildRectificationOrder(fx.rectificationOrderInput()),
    buildListingRecord(fx.listingRecordInput()),
    buildMeetingAgenda(fx.meetingAgendaInput()),
    buildMeetingMinutes(fx.meetingMinutesInput()),
    buildScoreSheet(fx.scoreSheetInput()),
    buildPublicReport(fx.publicReportInput()),
    buildTopicReport(fx.topicReportInput()),
  ];

  it('when built, then the seventeen kinds are all there and each passes the personal-data guard', () => {
    expect(new Set(all.map((d) => d.kind)).size).toBe(17);
    for (const doc of all) {
      expect(() => assertNoPersonalData(doc)).not.toThrow();
      expect(findPersonalData(text(doc)), doc.kind).toEqual([]);
    }
  });

  it('when rendered as plain text, then title, 文号 and recipients appear as in the model', () => {
    for (const doc of all) {
      const plain = renderPlainText(doc);
      expect(plain, doc.kind).toContain(doc.title);
      if (doc.number) expect(plain, doc.kind).toContain(doc.number);
      for (const r of doc.mainRecipients) expect(plain, doc.kind).toContain(r);
      for (const r of doc.copyTo) expect(plain, doc.kind).toContain(r);
    }
  });

  it('when the guard sees a bank card number, then it masks it in the message', () => {
    const doc = buildMeetingAgenda(fx.meetingAgendaInput());
    try {
      assertNoPersonalData({ ...doc, body: [...doc.body, { type: 'paragraph', text: '账户6222021234567890123' }] });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('含银行卡号（622**************23）');
    }
  });
});
