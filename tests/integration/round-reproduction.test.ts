import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunCheck } from '../../src/services/indicators/run-check.ts';
import { systemActor } from '../../src/services/actor.ts';
import { uniqueSerialPrefix } from '../support/case-numbers.ts';
import { uniqueSuffix } from '../support/database.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signedInUser } from '../support/users.ts';

const H1_2012 = { start: '2012-01-01', end: '2012-06-30' };
const header = '案号,承办法院,案件类型,审判程序,案由,立案日期,乡镇(街道),原告(申请人)类型,被告(被申请人/被执行人)类型';

/**
 * 复算核对 (issue 19 point 9): a past round recomputed reproduces its stored figures and says its
 * data is unchanged; after the court re-imports one of its cases with a corrected 立案日期 (moved
 * out of the period) and a corrected 信访 month, the round is still reproduced from the row versions
 * it saw, the check names the figures today's data would change, and the stored figures stay. The round is a half-year of 2012, which no other test's data
 * reaches, so the shared test database's other files neither disturb it nor are disturbed.
 */
describe('round reproduction', () => {
  let system: TestSystem;
  const roundId = `2012-H1-${uniqueSuffix()}`.slice(0, 24);
  const caseNo = `（2012）豫1328民初${uniqueSerialPrefix()}1号`;
  const importCase = (filingDate: string) =>
    system.services.imports.importCases(systemActor, Readable.from([Buffer.from(`${header}\n${caseNo},唐河县人民法院,民事,一审,民间借贷纠纷,${filingDate},湖阳镇,自然人,自然人\n`)]), {
      fileName: `复算核对${filingDate}.csv`,
      format: 'csv',
    });

  /** 湖阳镇's 信访 of March 2012: a side-table row the run reads (C10), corrected after it. */
  const importSignals = (petitions: number) =>
    system.services.imports.importSideTable(systemActor, 'signals', Readable.from([Buffer.from(`乡镇,月份,信访件数,舆情条数\n湖阳镇,2012-03,${petitions},0\n`)]), {
      fileName: `复算核对信访${petitions}.csv`,
      format: 'csv',
    });

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false });
    expect(await importCase('2012-03-10')).toMatchObject({ rowsRead: 1, inserted: 1 });
    expect(await importSignals(6)).toMatchObject({ rowsRead: 1 });
    await system.services.db.query(`INSERT INTO assessment_round (id, kind, period_start, period_end) VALUES ($1, 'half_year', $2, $3)`, [roundId, H1_2012.start, H1_2012.end]);
    const run = await system.services.indicators.computeRound(systemActor, roundId, H1_2012);
    await system.services.db.query(`UPDATE assessment_round SET indicator_run_id = $2 WHERE id = $1`, [roundId, run.runId]);
  });
  afterAll(async () => {
    await system?.stop();
  });

  const check = async (): Promise<RunCheck> => {
    const court = (await signedInUser(system, ['court_analyst'], 'court')).client;
    const res = await court.request('POST', `/api/rounds/${encodeURIComponent(roundId)}/verify`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as RunCheck;
  };

  it('when the court checks a past round on unchanged data, then every figure is reproduced and the data is reported unchanged; an office user may not run the check', async () => {
    const first = await check();
    expect(first).toMatchObject({ dataUnchanged: true, reproduced: true, differenceCount: 0, differences: [] });
    expect(first.casesNow).toBe(first.casesThen);
    expect(first.casesNow).toBeGreaterThan(0);
    expect(first.summary).toBe(`复算结果与存档一致：本期涉及的案件数据（共 ${first.casesNow} 行）未变，各项指标数值和等级相同。`);
    const office = (await signedInUser(system, ['peace_office'], 'pab')).client;
    expect((await office.request('POST', `/api/rounds/${encodeURIComponent(roundId)}/verify`)).status).toBe(403);
    expect(await system.services.db.query(`SELECT 1 FROM audit_log WHERE action = 'indicator_run.verify' AND after->>'roundId' = $1`, [roundId])).toHaveLength(1);
  });

  it('when a case and a 信访 month of the period are corrected after the round, then the round is still reproduced from the rows it saw, and the check shows what today\'s data would change', async () => {
    const [{ run_id: runId }] = await system.services.db.query<{ run_id: string }[]>(`SELECT indicator_run_id AS run_id FROM assessment_round WHERE id = $1`, [roundId]);
    const storedBefore = await system.services.indicators.results(runId);
    expect(await importCase('2012-07-15')).toMatchObject({ rowsRead: 1, updated: 1 });
    expect(await importSignals(60)).toMatchObject({ rowsRead: 1, updated: 1 });
    // The replaced versions are kept, each with the file that replaced it.
    expect(await system.services.db.query(`SELECT to_char(filing_date, 'YYYY-MM-DD') AS filing FROM case_record_version WHERE case_no = $1`, [caseNo])).toEqual([{ filing: '2012-03-10' }]);
    expect(await system.services.db.query(`SELECT petition_count FROM township_signal_version WHERE township = 'town-huyang' AND month = '2012-03-01'`)).toEqual([{ petition_count: 6 }]);

    const after = await check();
    expect(after).toMatchObject({ dataUnchanged: false, reproduced: true, asRun: true });
    expect(after.casesThen).toBe(after.casesNow + 1);
    // Today's data: 民间借贷 (B2) lost the moved case, in the county and in 湖阳镇; 湖阳镇's 信访 (C10) went from 6 to 60.
    const b2 = after.differences.filter((d) => d.indicatorId === 'B2' && (d.region === 'county' || d.region === 'town-huyang'));
    expect(b2.map((d) => [d.indicator, d.regionName, d.stored!.n - d.recomputed!.n])).toEqual([
      ['民间借贷纠纷（B2）', '全县', 1],
      ['民间借贷纠纷（B2）', '湖阳镇人民政府', 1],
    ]);
    const c10 = after.differences.find((d) => d.indicatorId === 'C10' && d.region === 'town-huyang')!;
    expect([c10.stored!.value, c10.recomputed!.value]).toEqual([6, 60]);
    expect(after.summary).toBe(
      `按计算时的数据版本复算，结果与存档一致。此后数据有过更正（案件数据原 ${after.casesThen} 行，现 ${after.casesNow} 行），按现有数据计算有 ${after.differenceCount} 项指标数值或等级与存档不同（见下表）。存档结果保持不变；如需采用更正后的数据，请重新发起评估轮次。`,
    );
    expect(await system.services.indicators.results(runId)).toEqual(storedBefore);
  });

  it('when a run was stored before row versions were kept, then it is checked against today\'s data and the summary says why it cannot be recomputed as it was', async () => {
    const [{ run_id: runId }] = await system.services.db.query<{ run_id: string }[]>(`SELECT indicator_run_id AS run_id FROM assessment_round WHERE id = $1`, [roundId]);
    await system.services.db.query(`UPDATE indicator_run SET data_files = NULL WHERE id = $1`, [runId]);
    const old = await check();
    expect(old).toMatchObject({ dataUnchanged: false, reproduced: false, asRun: false });
    expect(old.summary).toContain('该批次计算时尚未保存数据版本，无法按原数据复算');
  });
});
