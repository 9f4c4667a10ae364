import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { systemActor } from '../../src/services/actor.ts';
import type { Encoding } from '../../src/services/imports/case-import.ts';
import { createImportService, type ImportService } from '../../src/services/imports/index.ts';
import { ValidationError } from '../../src/shared/errors.ts';
import { beijingDay } from '../../src/shared/time.ts';
import { caseNumbersOf, uniqueSerialPrefix } from '../support/case-numbers.ts';
import { openTestDatabase, TEST_DATABASE_APP_PASSWORD } from '../support/database.ts';
import { testDatabaseAdminUrl } from '../support/ports.ts';

/**
 * Issue 17, import rules 1–5 and 7–9, through the import service that `npm run import`, the HTTP
 * upload and the 数据导入 screen all call: each bad file is refused with a Chinese message naming
 * line and column, and nothing of it is written.
 */

const header = '案号,承办法院,案件类型,审判程序,类型代字,案由,立案日期,结案日期,结案方式,乡镇(街道),原告(申请人)类型,被告(被申请人/被执行人)类型,被告姓名,手机';
/** Beijing is already on 1 July 2026 while UTC is still on 30 June. */
const NOW = new Date('2026-06-30T16:30:00Z');

describe('case import refusals (issue 17)', () => {
  let db: DataSource;
  let imports: ImportService;
  let run = '';
  const caseNo = (n: number, year = 2025, code = '民初') => `（${year}）豫1328${code}${run}${n}号`;
  type Cells = { caseNo: string; typeCode: string; cause: string; filing: string; closing: string; method: string; caseType: string; name: string; phone: string };
  const row = (n: number, o: Partial<Cells> = {}) =>
    [o.caseNo ?? caseNo(n), '唐河县人民法院', o.caseType ?? '民事', '一审', o.typeCode ?? '民初', o.cause ?? '民间借贷纠纷', o.filing ?? '2025-03-01', o.closing ?? '2025-05-01', o.method ?? '判决', '源潭镇', '自然人', '自然人', o.name ?? '赵六', o.phone ?? '13700001111'].join(',');
  const csv = (lines: string[]) => Buffer.from(lines.join('\n'), 'utf8');

  /** The problems of a refused upload (field and reason, as every caller shows them); fails when the file was imported. */
  async function refusal(data: Buffer | Buffer[], o: { encoding?: Encoding; filter?: boolean } = {}) {
    const outcome = await imports
      .importCases(systemActor, Readable.from(Array.isArray(data) ? data : [data]), {
        fileName: 'refused.csv',
        format: 'csv',
        encoding: o.encoding,
        // A declared size large enough for the 案号 filter: new rows go straight into case_record.
        declaredBytes: o.filter ? 100_000_000 : undefined,
      })
      .catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(ValidationError);
    expect(await db.query(`SELECT case_no FROM case_record WHERE case_no ~ $1`, [caseNumbersOf(run)]), 'a refused file wrote rows').toEqual([]);
    return (outcome as ValidationError).problems;
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    imports = createImportService({ db, config: loadConfig({ NODE_ENV: 'test', PERSONAL_DATA_HMAC_KEY: 'refusal-hmac-key-0123456789abcdef' }), clock: { now: () => NOW } });
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('rule 1: when a 案号 is repeated in a file, then every line that carries it is named, whichever way its first line went', async () => {
    run = uniqueSerialPrefix();
    const lines = `案号在文件中重复：${caseNo(1)}（第2、4、6行）`;
    for (const filter of [false, true]) {
      expect(await refusal(csv([header, row(1), row(2), row(1), row(3), row(1)]), { filter })).toEqual([
        { field: '(文件)', reason: '共 3 行有误，未导入任何数据' },
        { field: '第2行·案号', reason: lines },
        { field: '第4行·案号', reason: lines },
        { field: '第6行·案号', reason: lines },
      ]);
    }
    const many = await refusal(csv([header, ...Array.from({ length: 12 }, () => row(7))]));
    expect(many[1]).toEqual({ field: '第2行·案号', reason: `案号在文件中重复：${caseNo(7)}（共 12 行，第2、3、4、5、6、7、8、9、10、11行等）` });
    expect(many).toHaveLength(13);
  });

  it('rule 2: when an enumerated column holds another value, then the message lists the allowed values', async () => {
    run = uniqueSerialPrefix();
    expect(await refusal(csv([header, row(1), row(2, { method: '判了', caseType: '民事案' })]))).toEqual([
      { field: '(文件)', reason: '共 1 行有误，未导入任何数据' },
      { field: '第3行·案件类型', reason: '不在取值范围内：民事案（可选值：刑事、民事、行政、执行、国家赔偿、非诉保全审查、其他）' },
      { field: '第3行·结案方式', reason: '不在取值范围内：判了（可选值：判决、调解、撤诉、驳回起诉、裁定、移送、终结、执行完毕、终结本次执行、和解、不予受理、其他）' },
    ]);
  });

  it('rule 3: when a 案号 lacks the court format or disagrees with 立案日期 or 类型代字, then its line is refused', async () => {
    run = uniqueSerialPrefix();
    const problems = await refusal(
      csv([header, row(1), row(2, { caseNo: `"${caseNo(2)}'); DELETE FROM case_record; --"` }), row(3, { caseNo: caseNo(3, 2024) }), row(4, { typeCode: '刑初' }), row(5, { caseNo: `（2025）豫1328民初${run}A5号` })]),
    );
    expect(problems).toEqual([
      { field: '(文件)', reason: '共 4 行有误，未导入任何数据' },
      { field: '第3行·案号', reason: expect.stringMatching(/^案号格式不符：.*（应为“（年度）省份简称\+法院代码\+类型代字\+编号\+号”，如（2025）豫1328民初1234号）$/) },
      { field: '第4行·立案日期', reason: '立案日期的年度（2025）与案号年度（2024）不一致' },
      { field: '第5行·类型代字', reason: '类型代字（刑初）与案号中的类型代字（民初）不一致' },
      { field: '第6行·案号', reason: expect.stringMatching(/^案号格式不符/) },
    ]);
  });

  it('rule 4: when 立案日期 or 结案日期 is after today in Beijing time, then it is refused before any other date rule', async () => {
    run = uniqueSerialPrefix();
    // Line 2 is filed on the Beijing day (still tomorrow in UTC): accepted. Line 3 is filed after it, and closes "before" it.
    const problems = await refusal(
      csv([header, row(1, { caseNo: caseNo(1, 2026), filing: '2026-07-01', closing: '' }), row(2, { caseNo: caseNo(2, 2026), filing: '2026-07-02', closing: '2026-06-01' }), row(3, { closing: '2026-07-05' })]),
    );
    expect(problems).toEqual([
      { field: '(文件)', reason: '共 2 行有误，未导入任何数据' },
      { field: '第3行·立案日期', reason: '立案日期 2026-07-02 晚于今天（北京时间 2026-07-01）' },
      { field: '第4行·结案日期', reason: '结案日期 2026-07-05 晚于今天（北京时间 2026-07-01）' },
    ]);
  });

  it('rule 5: when 承办法院, 被诉行政机关, 被告标识 or 关联案号 holds a name or prose, then its line is refused with the form the column takes, the name masked', async () => {
    run = uniqueSerialPrefix();
    const shapedHeader = `${header},被诉行政机关,被告标识,关联案号`;
    const good = `${row(1)},唐河县自然资源局,dk-a00011234,${caseNo(9, 2024)}`;
    const named = [caseNo(2), '王小红', ...row(2).split(',').slice(2)].join(',') + `,孙七,李八,见前案`;
    expect(await refusal(csv([shapedHeader, good, named]))).toEqual([
      { field: '(文件)', reason: '共 1 行有误，未导入任何数据' },
      { field: '第3行·承办法院', reason: '不是法院或人民法庭的名称：［已脱敏］（应为承办法院的全称，如 唐河县人民法院、唐河县人民法院源潭人民法庭）' },
      { field: '第3行·被诉行政机关', reason: '不是行政机关的名称：［已脱敏］（应为被诉行政机关的全称，如 唐河县自然资源局、唐河县人民政府）' },
      {
        field: '第3行·被告标识',
        reason: '应为企业或机关的名称，或被告姓名与身份证号的加密标识，不能是自然人姓名：［已脱敏］（自然人请提供“被告姓名”“被告身份证号”两列，由系统加密后丢弃原值）',
      },
      { field: '第3行·关联案号', reason: expect.stringMatching(/^关联案号格式不符：见前案（应为“（年度）省份简称/) },
    ]);
  });

  it('rule 5: when a 案由 is not in the catalogue or is of another kind than its case type, then its line is refused; once the 案由目录 lists it, the file is imported', async () => {
    run = uniqueSerialPrefix();
    // A real 罪名 the seed lacks; filed in 2008, a year no indicator test reads.
    const missing = '非法制造、出售非法制造的发票罪';
    const criminal = (n: number) => row(n, { caseNo: caseNo(n, 2008, '刑初'), caseType: '刑事', typeCode: '刑初', cause: missing, filing: '2008-03-01', closing: '2008-05-01' });
    const civil = (n: number, cause = '民间借贷纠纷') => row(n, { caseNo: caseNo(n, 2008), cause, filing: '2008-03-01', closing: '2008-05-01' });
    const hint = '（应为《民事案件案由规定》的案由、罪名或被诉行政行为的种类，按规范名称填写；目录中没有的案由，由法院数据组在数据导入页导入「案由目录」后再导入本文件）';
    expect(await refusal(csv([header, civil(1), civil(2, '借钱不还'), civil(3, '盗窃罪'), criminal(4), civil(5, '钱七')]))).toEqual([
      { field: '(文件)', reason: '共 4 行有误，未导入任何数据' },
      { field: '第3行·案由', reason: `案由不在案由目录中：借钱不还${hint}` },
      { field: '第4行·案由', reason: '案由是刑事案由，与案件类型“民事”不符：盗窃罪（民事案件的案由应为《民事案件案由规定》中的民事案由）' },
      { field: '第5行·案由', reason: `案由不在案由目录中：${missing}${hint}` },
      // A name typed as a cause is neither stored nor shown.
      { field: '第6行·案由', reason: `案由不在案由目录中：［已脱敏］${hint}` },
    ]);
    try {
      const catalogue = await imports.importSideTable(systemActor, 'causes', Readable.from([csv(['案由,类别', `${missing},刑事`])]), { fileName: '案由目录.csv', format: 'csv' });
      expect(catalogue).toMatchObject({ rowsRead: 1, inserted: 1 });
      const accepted = await imports.importCases(systemActor, Readable.from([csv([header, civil(1), criminal(4)])]), { fileName: 'accepted.csv', format: 'csv' });
      expect(accepted).toMatchObject({ inserted: 2, rejected: 0 });
      expect(await db.query(`SELECT cause FROM case_record WHERE case_no ~ $1 ORDER BY cause`, [caseNumbersOf(run)])).toEqual([{ cause: '民间借贷纠纷' }, { cause: missing }]);
    } finally {
      await db.query(`DELETE FROM case_record WHERE case_no ~ $1`, [caseNumbersOf(run)]);
      await db.query(`DELETE FROM cause_catalogue WHERE cause = $1`, [missing]);
    }
  });

  it('rule 7: when a cell is oversized, quoted or not, then a field-length error names its line and column', async () => {
    run = uniqueSerialPrefix();
    for (const cause of ['纠'.repeat(5_000), `"${'纠'.repeat(5_000)}"`]) {
      expect(await refusal(csv([header, row(1), row(2, { cause })]))).toEqual([
        { field: '(文件)', reason: '共 1 行有误，未导入任何数据' },
        { field: '第3行·案由', reason: '内容过长：5000 个字符，该列最多 200 个字符' },
      ]);
    }
    // Past the longest record the reader holds (1 MiB): named by the column that grew, not called an open quote.
    for (const cause of ['纠'.repeat(1_200_000), `"${'纠'.repeat(1_200_000)}"`]) {
      const bytes = csv([header, row(1), row(2, { cause }), row(3)]);
      const chunks = Array.from({ length: Math.ceil(bytes.length / 65_536) }, (_, i) => bytes.subarray(i * 65_536, (i + 1) * 65_536));
      expect(await refusal(chunks)).toEqual([{ field: '第3行·案由', reason: '内容过长：超过 1048576 个字符（若该字段以引号开头，请检查引号是否闭合）' }]);
    }
  });

  it('rule 8: when bytes are not valid in the detected or declared encoding, then the error names their line; a file that starts as UTF-8 is not called bad GB18030', async () => {
    run = uniqueSerialPrefix();
    const withBadByte = (text: string, at: string) => {
      const bytes = Buffer.from(text, 'utf8');
      const i = bytes.indexOf(Buffer.from(at, 'utf8'));
      return Buffer.concat([bytes.subarray(0, i), Buffer.from([0xff]), bytes.subarray(i)]);
    };
    const text = [header, row(1), row(2, { cause: '买卖合同纠纷' }), row(3)].join('\n');
    expect(await refusal(withBadByte(text, '买卖'))).toEqual([{ field: '第3行', reason: '含有不是有效 UTF-8 编码的字节（编码由文件开头识别），请确认导出编码后重新上传' }]);
    // Far into the file, in a later chunk: lines are counted across chunks.
    const long = [header, ...Array.from({ length: 60 }, (_, i) => row(i + 1)), row(61, { cause: '买卖合同纠纷' })].join('\n');
    const bad = withBadByte(long, '买卖');
    expect(await refusal([bad.subarray(0, 5_000), bad.subarray(5_000)], { encoding: 'utf-8' })).toEqual([
      { field: '第62行', reason: '含有不是有效 UTF-8 编码的字节（编码为上传时所选），请确认导出编码后重新上传' },
    ]);
    const gbk = iconv.encode([header, row(1), row(2)].join('\n'), 'gbk');
    const lineThree = gbk.lastIndexOf(0x0a) + 1;
    expect(await refusal(Buffer.concat([gbk.subarray(0, lineThree), Buffer.from([0xff]), gbk.subarray(lineThree)]), { encoding: 'gb18030' })).toEqual([
      { field: '第3行', reason: '含有不是有效 GB18030/GBK 编码的字节（编码为上传时所选），请确认导出编码后重新上传' },
    ]);
  });

  it('rule 8: when a JSON file holds bytes that are not UTF-8 or an XLSX cell a lost character, then the error names the line', async () => {
    run = uniqueSerialPrefix();
    const object = (n: number, cause = '民间借贷纠纷') => ({ 案号: caseNo(n), 承办法院: '唐河县人民法院', 案件类型: '民事', 审判程序: '一审', 案由: cause, 立案日期: '2025-03-01', '乡镇(街道)': '源潭镇', '原告(申请人)类型': '自然人', '被告(被申请人/被执行人)类型': '自然人' });
    const json = Buffer.from(JSON.stringify([object(1), object(2), object(3, '买卖合同纠纷')]));
    const at = json.indexOf(Buffer.from('买卖'));
    const refusedJson = await imports
      .importCases(systemActor, Readable.from([Buffer.concat([json.subarray(0, at), Buffer.from([0xff]), json.subarray(at)])]), { fileName: 'bad.json', format: 'json' })
      .catch((e: ValidationError) => e.problems);
    expect(refusedJson).toEqual([{ field: '第4行', reason: '含有不是有效 UTF-8 编码的字节（JSON 文件应为 UTF-8 编码），请确认导出编码后重新上传' }]);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('案件');
    sheet.addRow(Object.keys(object(1)));
    sheet.addRow(Object.values(object(1)));
    sheet.addRow(Object.values(object(2, '买\uFFFD合同纠纷')));
    const refusedXlsx = await imports
      .importCases(systemActor, Readable.from([Buffer.from(await book.xlsx.writeBuffer())]), { fileName: 'bad.xlsx', format: 'xlsx' })
      .catch((e: ValidationError) => e.problems);
    expect(refusedXlsx).toEqual([
      { field: '(文件)', reason: '共 1 行有误，未导入任何数据' },
      { field: '第3行·案由', reason: '含有无法识别的字符（U+FFFD，多为文件不是有效的 UTF-8 编码），请确认导出编码后重新上传' },
    ]);
    expect(await db.query(`SELECT case_no FROM case_record WHERE case_no ~ $1`, [caseNumbersOf(run)])).toEqual([]);
  });

  it('when npm run import is given a refused file, then it prints the problems of the import service line by line and exits 1', async () => {
    run = uniqueSerialPrefix();
    const bytes = csv([header, row(1), row(2, { filing: '2099-01-01' }), row(1), row(3, { caseType: '13800138000' })]);
    const problems = await refusal(bytes);
    const folder = await mkdtemp(path.join(tmpdir(), 'refused-'));
    await writeFile(path.join(folder, 'refused.csv'), bytes);
    const cli = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['scripts/import.ts', path.join(folder, 'refused.csv')], {
        env: { ...process.env, DATABASE_URL: testDatabaseAdminUrl(), DATABASE_APP_PASSWORD: TEST_DATABASE_APP_PASSWORD, PERSONAL_DATA_HMAC_KEY: 'refusal-hmac-key-0123456789abcdef', STATE_DIR: folder, LOG_LEVEL: 'error' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    await rm(folder, { recursive: true, force: true });
    expect(cli.code, cli.stderr).toBe(1);
    // The command runs on the system clock, this test's service on 2026-07-01: the future date is refused by both.
    for (const p of problems) expect(cli.stderr).toContain(`${p.field}：${p.reason.replace('2026-07-01', beijingDay(new Date()))}`);
    expect(cli.stderr).not.toContain('13800138000');
  }, 60_000);

  it('rule 9: when a refused cell holds an ID number, a phone number or a party name, then no message echoes it', async () => {
    run = uniqueSerialPrefix();
    const problems = await refusal(
      csv([
        `${header},身份证号`,
        `${row(1, { caseType: '钱七', method: '13800138000', name: '钱七', phone: '13800138000' })},411328199001011234`,
        `${row(2, { caseNo: `${caseNo(2)}411328199001011234`, filing: '0377-68921234' })},`,
        `${row(3, { cause: '钱七'.repeat(200) })},`,
        // A party the file names only in a later row (line 6): its name is masked in this row's message too.
        `${row(4, { caseType: '孙八的养殖合作社' })},`,
        `${row(5, { name: '孙八' })},`,
      ]),
    );
    const text = JSON.stringify(problems);
    expect(problems.map((p) => p.field)).toEqual(['(文件)', '第2行·案件类型', '第2行·结案方式', '第3行·立案日期', '第3行·案号', '第4行·案由', '第5行·案件类型']);
    expect(problems.at(-1)!.reason).toMatch(/^不在取值范围内：［已脱敏］的养殖合作社（可选值：/);
    expect(text).not.toMatch(/钱七|孙八|13800138000|411328199001011234|68921234/);
    expect(text).toContain('［已脱敏］');
  });
});
