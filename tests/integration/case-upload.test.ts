import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/services/actor.ts';
import { uniqueSerialPrefix } from '../support/case-numbers.ts';
import { endlessUpload } from '../support/endless-upload.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signedInUser } from '../support/users.ts';

const header = '案号,承办法院,案件类型,审判程序,案由,立案日期,乡镇(街道),原告(申请人)类型,被告(被申请人/被执行人)类型';

/** The upload route: the court's data team imports, departments cannot; limits and bad rows answer in Chinese. */
describe('case upload over HTTP', () => {
  let system: TestSystem;
  const csvHeaders = { 'content-type': 'text/csv' };
  const file = (rows: string[]) => [header, ...rows].join('\n');
  const row = (n: string, date = '2025-05-06') => `（2025）豫1328民初${n}号,唐河县人民法院,民事,一审,民间借贷纠纷,${date},湖阳镇,自然人,自然人`;

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false, env: { UPLOAD_LIMIT_BYTES: '4096' } });
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function client(role: 'court_analyst' | 'department', dept: string) {
    return (await signedInUser(system, [role], dept)).client;
  }

  it('when the court uploads a clean file, then it is imported; a department is refused; a bad row is listed; an oversize file is 413', async () => {
    const court = await client('court_analyst', 'court');
    const run = uniqueSerialPrefix();
    const ok = await court.request('POST', `/api/imports/cases?fileName=${encodeURIComponent('2025年5月.csv')}&format=csv`, file([row(`${run}1`), row(`${run}2`)]), csvHeaders);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ rowsRead: 2, inserted: 2, rejected: 0 });

    const dept = await client('department', 'rsj');
    expect((await dept.request('POST', '/api/imports/cases?fileName=x.csv&format=csv', file([row(`${run}3`)]), csvHeaders)).status).toBe(403);

    const bad = await court.request('POST', '/api/imports/cases?fileName=bad.csv&format=csv', file([row(`${run}4`), row(`${run}5`, '2025-02-30')]), csvHeaders);
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems).toEqual([
      { field: '(文件)', reason: '共 1 行有误，未导入任何数据' },
      { field: '第3行·立案日期', reason: '日期无效：2025-02-30（应为 YYYY-MM-DD 的真实日期）' },
    ]);
    expect(await system.services.db.query(`SELECT 1 FROM case_record WHERE case_no = $1`, [`（2025）豫1328民初${run}4号`])).toHaveLength(0);

    const big = await court.request('POST', '/api/imports/cases?fileName=big.csv&format=csv', file(Array.from({ length: 80 }, (_, i) => row(`${run}9${i}`))), csvHeaders);
    expect(big.status).toBe(413);
    expect(big.body.error.message).toBe('请求体过大');
    expect((await court.request('POST', '/api/imports/cases?fileName=x.doc&format=doc', 'x', csvHeaders)).body.error.problems[0]).toEqual({ field: 'format', reason: '文件格式应为 csv、xlsx 或 json' });
    const traversal = await court.request('POST', `/api/imports/cases?fileName=${encodeURIComponent('../../etc/cases.csv')}&format=csv`, file([row(`${run}7`)]), csvHeaders);
    expect([traversal.status, traversal.body.error.problems[0]]).toEqual([400, { field: 'fileName', reason: '文件名含有不允许的字符' }]);
  });

  it.each([
    ['a case file', '/api/imports/cases?fileName=endless.csv&format=csv'],
    ['a side table', '/api/imports/population?fileName=endless.csv&format=csv'],
  ])('when %s streams without Content-Length past the limit, then 413 comes at the limit, the server stops reading, and nothing is imported', async (_what, url) => {
    const court = await client('court_analyst', 'court');
    const [{ n: filesBefore }] = await system.services.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM import_file`);
    const outcome = await endlessUpload(`${system.baseUrl}${url}`, { cookie: court.cookieHeader(), 'x-csrf-token': court.csrfToken, 'content-type': 'text/csv' });
    expect([outcome.status, outcome.body.error?.message]).toEqual([413, '请求体过大']);
    // Answered long before the client would have stopped, and then the connection was closed on it.
    expect(outcome.sentBeforeAnswer).toBeLessThan(16 * 1024 * 1024);
    expect(outcome.serverHungUp).toBe(true);
    const [{ n: filesAfter }] = await system.services.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM import_file`);
    expect(filesAfter).toBe(filesBefore);
  });

  it('when a file breaks the import rules, then the upload answers with exactly the problems the import service gives the command and the screen', async () => {
    const court = await client('court_analyst', 'court');
    const run = uniqueSerialPrefix();
    const bad = file([row(`${run}1`), row(`${run}2`, '2099-01-01'), row(`${run}1`), row(`${run}3`).replace('民事', '13800138000')]);
    const answer = await court.request('POST', '/api/imports/cases?fileName=bad.csv&format=csv', bad, csvHeaders);
    const direct = await system.services.imports.importCases(systemActor, Readable.from([Buffer.from(bad)]), { fileName: 'bad.csv', format: 'csv' }).catch((e: { problems?: unknown }) => e.problems);
    expect(answer.status).toBe(400);
    expect(answer.body.error.problems).toEqual(direct);
    expect(answer.body.error.problems.map((p: { field: string }) => p.field)).toEqual(['(文件)', '第2行·案号', '第3行·立案日期', '第4行·案号', '第5行·案件类型']);
    expect(JSON.stringify(answer.body)).not.toContain('13800138000');
  });
});
