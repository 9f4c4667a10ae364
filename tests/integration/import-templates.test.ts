import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseColumns } from '../../src/domain/cases/columns.ts';
import { TEMPLATE_KINDS } from '../../src/domain/cases/import-templates.ts';
import { seedCauseEntries } from '../../src/domain/cases/cause-catalogue.ts';
import { sideTables } from '../../src/domain/cases/side-tables.ts';
import ExcelJS from '../../src/shared/exceljs.ts';
import { ApiClient } from '../support/http-client.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signedInUser } from '../support/users.ts';

/**
 * The import templates of the 数据导入 screen (issue 21 point 10), over HTTP on the real importer:
 * each template, downloaded as CSV and as XLSX, is accepted exactly as downloaded, so the template
 * and the importer cannot drift apart. The examples' keys (of 2026) must be new to the test database,
 * whose county data ends in 2025 (checked first), and what the imports wrote is removed afterwards,
 * so no other test sees the examples.
 */
describe('import templates', () => {
  let system: TestSystem;
  let court: ApiClient;
  const download = async (kind: string, format: string) => {
    const res = await fetch(`${system.baseUrl}/api/imports/templates/${kind}/file?format=${format}`, { headers: { cookie: court.cookieHeader() } });
    return { status: res.status, disposition: res.headers.get('content-disposition'), data: Buffer.from(await res.arrayBuffer()) };
  };
  const importedFiles: string[] = [];
  const upload = async (kind: string, body: Buffer, format: string) => {
    const res = await court.request('POST', `/api/imports/${kind}?fileName=${encodeURIComponent(`template.${format}`)}&format=${format}`, body, { 'content-type': 'application/octet-stream' });
    if (res.status === 201) importedFiles.push(res.body.fileId);
    return res;
  };
  const exampleRows = async () => {
    const [row] = await system.services.db.query(
      `SELECT (SELECT count(*) FROM case_record WHERE case_no = '（2026）豫1328民初1234号')::int AS cases,
              (SELECT count(*) FROM township_population WHERE township = 'town-yuantan' AND year = 2026)::int AS population,
              (SELECT count(*) FROM township_signal WHERE township = 'town-yuantan' AND month = '2026-03-01')::int AS signals,
              (SELECT count(*) FROM cause_catalogue WHERE cause = '非法出租、出借枪支罪')::int AS causes`,
    );
    return row;
  };

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false });
    court = (await signedInUser(system, ['court_analyst'], 'court')).client;
    expect(await exampleRows()).toEqual({ cases: 0, population: 0, signals: 0, causes: 0 });
  });
  afterAll(async () => {
    if (system && importedFiles.length > 0) {
      // import_file rows are permanent; without their rows and townships they cover nothing.
      for (const table of ['case_record', 'township_population', 'township_signal', 'cause_catalogue', 'import_file_township']) {
        await system.services.db.query(`DELETE FROM ${table} WHERE import_file_id = ANY($1)`, [importedFiles]);
      }
    }
    await system?.stop();
  });

  const expectedHeaders = {
    cases: caseColumns.filter((c) => c.key !== 'defendant_key').map((c) => c.zh),
    population: sideTables.population.columns.map((c) => c.zh),
    signals: sideTables.signals.columns.map((c) => c.zh),
    causes: sideTables.causes.columns.map((c) => c.zh),
  };
  const labels = { cases: '案件数据', population: '乡镇人口', signals: '乡镇信访舆情', causes: '案由目录' };

  for (const kind of TEMPLATE_KINDS) {
    it(`when the ${kind} template is downloaded as CSV and uploaded unchanged, then its one example row is imported`, async () => {
      const file = await download(kind, 'csv');
      expect(file.status).toBe(200);
      expect(file.disposition).toBe(`attachment; filename*=UTF-8''${encodeURIComponent(`${labels[kind]}导入模板.csv`)}`);
      const text = file.data.toString('utf8');
      expect(text.startsWith('\uFEFF')).toBe(true);
      const [header, example, rest] = text.slice(1).split('\n');
      expect(header!.split(',')).toEqual(expectedHeaders[kind]);
      expect(example!.length).toBeGreaterThan(0);
      expect(rest).toBeUndefined();
      const res = await upload(kind, file.data, 'csv');
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ rowsRead: 1, inserted: 1, encoding: 'utf-8' });
      expect((await exampleRows())[kind]).toBe(1);
    });

    it(`when the ${kind} template is downloaded as XLSX, then its first sheet imports unchanged and its second sheet explains every column`, async () => {
      const file = await download(kind, 'xlsx');
      expect(file.status).toBe(200);
      expect(file.disposition).toBe(`attachment; filename*=UTF-8''${encodeURIComponent(`${labels[kind]}导入模板.xlsx`)}`);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.data as unknown as ArrayBuffer);
      expect(workbook.worksheets.map((s) => s.name)).toEqual(['数据', '填写说明']);
      const guide = workbook.getWorksheet('填写说明')!;
      const guideRows = expectedHeaders[kind].map((_, i) => guide.getRow(i + 2).getCell(1).text);
      expect(guideRows).toEqual(expectedHeaders[kind]);
      expect(guide.getRow(1).values).toEqual([undefined, '列名', '英文列名', '是否必填', '填写要求', '示例']);
      const res = await upload(kind, file.data, 'xlsx');
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.rowsRead).toBe(1);
      // The CSV case above imported the same example first: the XLSX row is the same row.
      expect(res.body).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 });
    });
  }

  it('when the guide of the case template is read, then each enumerated column lists the values the importer allows', async () => {
    const res = await court.request('GET', '/api/imports/templates/cases');
    expect(res.status).toBe(200);
    const caseType = res.body.columns.find((c: { key: string }) => c.key === 'case_type');
    expect(caseType).toEqual({ header: '案件类型', key: 'case_type', required: true, format: '可选值：刑事、民事、行政、执行、国家赔偿、非诉保全审查、其他', example: '民事' });
    const plaintiffs = res.body.columns.find((c: { key: string }) => c.key === 'plaintiff_types');
    expect(plaintiffs.format).toMatch(/多个值用“\|”分隔$/);
    expect(res.body.columns).toHaveLength(expectedHeaders.cases.length);
    // 案由 is checked against the catalogue, 系列案标识 masked (issue 17 rule 5): the guide says so.
    const format = (key: string) => res.body.columns.find((c: { key: string }) => c.key === key).format;
    expect(format('cause')).toBe('案由目录中的规范名称（民事案件为民事案由，刑事案件为罪名，行政案件为被诉行政行为的种类）；目录没有的案由先以「案由目录」导入');
    expect(format('series_id')).toBe('文本，最多 100 个字符；其中的身份证号、手机号和当事人姓名导入时脱敏');
  });

  it('when the court downloads the 案由 catalogue, then it gets every cause with its kind, and imported back unchanged it changes nothing', async () => {
    const res = await fetch(`${system.baseUrl}/api/imports/causes/file`, { headers: { cookie: court.cookieHeader() } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('案由目录.csv')}`);
    const data = Buffer.from(await res.arrayBuffer());
    const lines = data.toString('utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('\uFEFF案由,类别');
    const [{ n }] = await system.services.db.query(`SELECT count(*)::int AS n FROM cause_catalogue`);
    expect(lines).toHaveLength(n + 1);
    expect(n).toBeGreaterThanOrEqual(seedCauseEntries().length);
    // Civil causes first, then 罪名.
    expect(lines).toContain('民间借贷纠纷,民事');
    expect(lines).toContain('掩饰、隐瞒犯罪所得、犯罪所得收益罪,刑事');
    expect(lines.indexOf('民间借贷纠纷,民事')).toBeLessThan(lines.indexOf('盗窃罪,刑事'));
    const back = await upload('causes', data, 'csv');
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(back.body).toMatchObject({ rowsRead: n, inserted: 0, updated: 0, unchanged: n });
  });

  it('when a template of an unknown kind or format is asked for, then the field and the reason are named', async () => {
    const kind = await court.request('GET', '/api/imports/templates/judges/file?format=csv');
    expect(kind.status).toBe(400);
    expect(JSON.stringify(kind.body)).toContain('数据类别应为 cases、population、signals、causes 之一');
    const format = await court.request('GET', '/api/imports/templates/cases/file?format=pdf');
    expect(format.status).toBe(400);
    expect(JSON.stringify(format.body)).toContain('模板格式应为 csv 或 xlsx');
  });
});
