import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/http-client.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signedInUser } from '../support/users.ts';

/**
 * The side tables over HTTP, on real PostgreSQL: township population per year and monthly 信访/舆情
 * counts, all or nothing, keyed by township and year or month. Year 2099 is this test's own
 * (the county data of the other tests is 2020–2026), cleared before each case.
 */
describe('side-table import over HTTP', () => {
  let system: TestSystem;
  let court: ApiClient;
  const upload = (table: string, body: string | Buffer, fileName = `${table}.csv`, format = 'csv') =>
    court.request('POST', `/api/imports/${table}?fileName=${encodeURIComponent(fileName)}&format=${format}`, body, { 'content-type': 'application/octet-stream' });
  const population = async () =>
    system.services.db.query(`SELECT township, resident_population, registered_migrants FROM township_population WHERE year = 2099 ORDER BY township`);

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false });
    court = (await signedInUser(system, ['court_analyst'], 'court')).client;
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('when a GBK population file is imported twice and then corrected, then rows are inserted, left alone, and one is updated', async () => {
    await system.services.db.query(`DELETE FROM township_population WHERE year = 2099`);
    const file = (yuantan: number) => iconv.encode(['乡镇,年度,常住人口,登记流动人口', `源潭镇,2099,${yuantan},1200`, '湖阳镇,2099,45000,'].join('\r\n'), 'gbk');
    const first = await upload('population', file(88000));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ encoding: 'gb18030', rowsRead: 2, inserted: 2, updated: 0, unchanged: 0 });
    expect(await population()).toEqual([
      { township: 'town-huyang', resident_population: 45000, registered_migrants: null },
      { township: 'town-yuantan', resident_population: 88000, registered_migrants: 1200 },
    ]);
    expect((await upload('population', file(88000))).body).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    const corrected = await upload('population', file(88500));
    expect(corrected.body).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    const [record] = await system.services.db.query(`SELECT kind, rows_read, rows_updated, sha256 FROM import_file WHERE id = $1`, [corrected.body.fileId]);
    expect(record).toEqual({ kind: 'township_population', rows_read: 2, rows_updated: 1, sha256: corrected.body.sha256 });
    const [row] = await system.services.db.query(`SELECT import_file_id FROM township_population WHERE year = 2099 AND township = 'town-yuantan'`);
    expect(row.import_file_id).toBe(corrected.body.fileId);
  });

  it('when a signals file comes as JSON with English headers, then months are stored as their first day', async () => {
    await system.services.db.query(`DELETE FROM township_signal WHERE month >= '2099-01-01'`);
    const json = JSON.stringify([
      { township: '城郊乡', month: '2099-3', petition_count: 4, public_opinion_count: 1 },
      { township: '城郊乡', month: '2099-04', petition_count: 0, public_opinion_count: 0 },
    ]);
    const res = await upload('signals', json, 'signals.json', 'json');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ rowsRead: 2, inserted: 2 });
    const rows = await system.services.db.query(
      `SELECT to_char(month, 'YYYY-MM-DD') AS month, petition_count, public_opinion_count FROM township_signal WHERE township = 'town-chengjiao' AND month >= '2099-01-01' ORDER BY month`,
    );
    expect(rows).toEqual([
      { month: '2099-03-01', petition_count: 4, public_opinion_count: 1 },
      { month: '2099-04-01', petition_count: 0, public_opinion_count: 0 },
    ]);
  });

  it('when a file has bad rows, then nothing is written and each is named by line, column and reason in Chinese', async () => {
    await system.services.db.query(`DELETE FROM township_population WHERE year = 2099`);
    const res = await upload(
      'population',
      ['乡镇(街道),年度,常住人口', '源潭镇,2099,0', '北京市,2099,100', '湖阳镇,99,100', '黑龙镇,2099,300', '黑龙镇,2099,301', '张店镇,2099,500'].join('\n'),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.problems).toEqual([
      { field: '(文件)', reason: '共 4 行有误，未导入任何数据' },
      { field: '第2行·常住人口', reason: '应为不小于 1 的整数：0' },
      { field: '第3行·乡镇', reason: expect.stringMatching(/^不是唐河县的乡镇（街道）：北京市（可选值：滨河街道、/) },
      { field: '第4行·年度', reason: '年度无效：99（应为四位年份，如 2025）' },
      { field: '第6行·年度', reason: '与第5行重复（同一乡镇同一年度只能有一行）' },
    ]);
    expect(await population()).toEqual([]);
    const signals = await upload('signals', ['乡镇,月份,信访件数,舆情条数', '湖阳镇,2099-13,1,1'].join('\n'));
    expect(signals.body.error.problems[1]).toEqual({ field: '第2行·月份', reason: '月份无效：2099-13（应为 YYYY-MM，如 2025-03）' });
    const header = await upload('signals', ['乡镇,月份,信访件数', '湖阳镇,2099-01,1'].join('\n'));
    expect(header.body.error.problems).toEqual([
      { field: '(文件)', reason: '共 1 行有误，未导入任何数据' },
      { field: '第1行·舆情条数', reason: '缺少必填列（见「乡镇信访舆情导入模板」）' },
    ]);
    // A one-line file of the wrong kind: one line, each of its problems listed.
    const wrongKind = await upload('signals', '乡镇(街道),年度,常住人口');
    expect(wrongKind.body.error.problems[0]).toEqual({ field: '(文件)', reason: '共 1 行有误，未导入任何数据' });
    expect(wrongKind.body.error.problems.slice(1).map((p: { field: string }) => p.field)).toEqual([
      '第1行·年度',
      '第1行·常住人口',
      '第1行·月份',
      '第1行·信访件数',
      '第1行·舆情条数',
    ]);
  });
});
