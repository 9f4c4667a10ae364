import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssessmentReport, documentText } from '../../src/domain/documents/index.ts';
import { COUNTY } from '../../src/domain/indicators/evaluate.ts';
import { systemActor } from '../../src/services/actor.ts';
import { assessmentReportInput } from '../../src/services/indicators/report-input.ts';
import { issuerContact, loadOrgans } from '../../src/services/official-documents.ts';
import { uniqueSerialPrefix } from '../support/case-numbers.ts';
import { uniqueSuffix } from '../support/database.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signedInUser } from '../support/users.ts';

const header = '案号,承办法院,案件类型,审判程序,案由,立案日期,乡镇(街道),原告(申请人)类型,被告(被申请人/被执行人)类型,被告人年龄段';
const csv = { 'content-type': 'text/csv' };

/**
 * Issue 17 rules 10, 11 and 13 over the real importer, HTTP and database: 2011 is a year no other
 * data of the test database reaches, so its grid is exactly what these two files make of it.
 */
describe('case-data coverage, comparisons without history and the report data section', () => {
  let system: TestSystem;
  const run = uniqueSerialPrefix();
  let serial = 0;
  /** A juvenile theft case (C4 counts it) filed on `date` in `township`. */
  const row = (date: string, township: string) => `（2011）豫1328刑初${run}${String(++serial).padStart(3, '0')}号,唐河县人民法院,刑事,一审,盗窃罪,${date},${township},检察机关,自然人,16-17`;
  const refusedName = `2011年补录-${uniqueSuffix()}.csv`;

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false });
    const court = (await signedInUser(system, ['court_analyst'], 'court')).client;
    // 4 January 2011 is the first working day after New Year; 31 March a Thursday: January to March complete.
    const first = [row('2011-01-04', '湖阳镇'), row('2011-02-15', '湖阳镇'), row('2011-03-31', '湖阳镇'), row('2011-01-20', '源潭镇'), row('2011-03-02', '源潭镇')];
    // 1 March to Friday 13 May 2011: May only in part.
    const second = [row('2011-03-01', '源潭镇'), row('2011-04-12', '源潭镇'), row('2011-05-13', '张店镇'), row('2011-04-06', '张店镇')];
    for (const [name, rows] of [
      ['2011年一季度.csv', first],
      ['2011年3至5月.csv', second],
    ] as const) {
      const answer = await court.request('POST', `/api/imports/cases?fileName=${encodeURIComponent(name)}&format=csv`, [header, ...rows].join('\n'), csv);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    }
    const refused = await court.request('POST', `/api/imports/cases?fileName=${encodeURIComponent(refusedName)}&format=csv`, [header, row('2011-06-31', '湖阳镇'), row('2011-06-02', '湖阳镇')].join('\n'), csv);
    expect(refused.status).toBe(400);
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('when two files with known date ranges and townships are imported, then the API answers the exact month × township grid, to the court only', async () => {
    const court = (await signedInUser(system, ['court_analyst'], 'court')).client;
    const answer = await court.request('GET', '/api/imports/coverage?from=2010-12&to=2011-06');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const body = answer.body as { months: string[]; townships: { id: string; name: string }[]; status: string[][] };
    expect(body.months).toEqual(['2010-12', '2011-01', '2011-02', '2011-03', '2011-04', '2011-05', '2011-06']);
    expect(body.townships).toHaveLength(23);
    expect(body.townships.slice(4, 8)).toEqual([
      { id: 'town-yuantan', name: '源潭镇' },
      { id: 'town-zhangdian', name: '张店镇' },
      { id: 'town-guotan', name: '郭滩镇' },
      { id: 'town-huyang', name: '湖阳镇' },
    ]);
    const expected: Record<string, string[]> = {
      'town-huyang': ['none', 'covered', 'covered', 'covered', 'none', 'none', 'none'],
      'town-yuantan': ['none', 'covered', 'covered', 'covered', 'covered', 'partial', 'none'],
      'town-zhangdian': ['none', 'none', 'none', 'covered', 'covered', 'partial', 'none'],
    };
    expect(Object.fromEntries(body.townships.map((t, i) => [t.id, body.status[i]]))).toEqual(
      Object.fromEntries(body.townships.map((t) => [t.id, expected[t.id] ?? Array(7).fill('none')])),
    );

    const department = (await signedInUser(system, ['department'], 'rsj')).client;
    expect((await department.request('GET', '/api/imports/coverage')).status).toBe(403);
    const backwards = await court.request('GET', '/api/imports/coverage?from=2011-06&to=2010-12');
    expect([backwards.status, backwards.body.error.problems]).toEqual([400, [{ field: 'to', reason: '结束月份不能早于开始月份' }]]);
  });

  it('when an indicator has no previous-year data, then its level comes from the thresholds alone with the reason 无可比历史数据, and the year-on-year rule does not fire', async () => {
    const { indicators } = system.services;
    const summary = await indicators.computeRound(systemActor, `T-${uniqueSuffix()}`, { start: '2011-01-01', end: '2011-06-30' });
    const c4 = (await indicators.results(summary.runId)).find((r) => r.indicatorId === 'C4' && r.region === COUNTY)!;
    // Nine juvenile cases against no imported 2010: read as 0, "any rise with at least five" made this high.
    expect(c4.n).toBeGreaterThanOrEqual(9);
    expect(c4).toMatchObject({ previous: null, base: null, yoy: null, ratio: null, level: 'low', reason: '无可比历史数据，不作同比和基准比较，仅按阈值判定为低风险' });
    expect(summary.recipients.some((r) => r.indicatorIds.includes('C4'))).toBe(false);
  });

  it('when the report of the period is drafted, then its 数据说明 has the grid, the refused file, the uncovered comparison years, the gaps and no zero for last year', async () => {
    const { db, indicators, config } = system.services;
    const summary = await indicators.computeRound(systemActor, `T-${uniqueSuffix()}`, { start: '2011-01-01', end: '2011-06-30' });
    const definitions = (await indicators.latestDefinitions()).filter((d) => summary.definitions.some((u) => u.id === d.id));
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const input = await assessmentReportInput(db, {
      runId: summary.runId,
      period: { kind: 'half_year', year: 2011, start: '2011-01-01', end: '2011-06-30' },
      definitions,
      results: await indicators.results(summary.runId),
      recipients: summary.recipients,
      previousAnnual: null,
      issuedOn: today,
      organs: await loadOrgans(db),
      contact: issuerContact(config, 'court'),
    });
    const dq = input.dataQuality;
    expect(dq.comparisons).toEqual([
      { label: '2010年上半年', comparable: false },
      { label: '2009年上半年', comparable: false },
      { label: '2008年上半年', comparable: false },
    ]);
    expect(dq.coverage.months).toEqual(['2011-01', '2011-02', '2011-03', '2011-04', '2011-05', '2011-06']);
    const status = Object.fromEntries(dq.coverage.townships.map((t, i) => [t, dq.coverage.status[i]]));
    expect(status['湖阳镇']).toEqual(['covered', 'covered', 'covered', 'none', 'none', 'none']);
    expect(status['源潭镇']).toEqual(['covered', 'covered', 'covered', 'covered', 'partial', 'none']);
    expect(status['张店镇']).toEqual(['none', 'none', 'covered', 'covered', 'partial', 'none']);
    expect(status['郭滩镇']).toEqual(Array(6).fill('none'));
    expect(dq.refusals).toContainEqual({ refusedOn: today, fileName: refusedName, problemCount: 1, reason: '第2行·立案日期：日期无效：2011-06-31（应为 YYYY-MM-DD 的真实日期）' });
    expect(input.caseTotals.find((t) => t.type === '刑事')).toMatchObject({ previous: null });

    const text = documentText(buildAssessmentReport(input));
    expect(text).toContain('2010年上半年、2009年上半年、2008年上半年的案件数据均未完整导入，本期指标无可比历史数据，不作同比和基准比较，仅按阈值判定；未导入的数据不视为零。');
    expect(text).toContain('湖阳镇：4月至6月');
    expect(text).toContain('源潭镇、张店镇：5月');
    expect(text).toContain(`${refusedName} 1 第2行·立案日期：日期无效：2011-06-31（应为 YYYY-MM-DD 的真实日期）`);
  });
});
