import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { systemActor } from '../../src/services/actor.ts';
import { importCaseRecords, type ImportFormat } from '../../src/services/imports/case-import.ts';
import { ValidationError } from '../../src/shared/errors.ts';
import { caseNumbersOf, uniqueSerialPrefix } from '../support/case-numbers.ts';
import { openTestDatabase } from '../support/database.ts';

const HMAC = 'test-hmac-key-0123456789abcdef';
/** The configured XLSX inflate limits (their defaults). */
const XLSX_LIMITS = loadConfig({ NODE_ENV: 'test' });
const header = '案号,承办法院,案件类型,审判程序,案由,立案日期,结案日期,乡镇(街道),原告(申请人)类型,被告(被申请人/被执行人)类型,诉讼标的额(元),系列案标识';
const englishHeader = 'case_no,court,case_type,procedure,cause,filing_date,closing_date,township,plaintiff_types,defendant_types,claim_amount,series_id';

/** The importer on real PostgreSQL: all or nothing, idempotent, personal data never stored. */
describe('case import', () => {
  let db: DataSource;
  let run = '';
  const caseNo = (n: number, year = 2025) => `（${year}）豫1328民初${run}${n}号`;
  const row = (n: number, o: Partial<Record<'date' | 'closing' | 'amount' | 'township' | 'cause' | 'series', string>> & { year?: number } = {}) =>
    `${caseNo(n, o.year)},唐河县人民法院,民事,一审,"${o.cause ?? '民间借贷纠纷'}",${o.date ?? `${o.year ?? 2025}-03-01`},${o.closing ?? ''},${o.township ?? '源潭镇'},自然人,自然人|企业,${o.amount ?? '12000.50'},"${o.series ?? ''}"`;
  const csv = (lines: string[], crlf = false) => Buffer.from(lines.join(crlf ? '\r\n' : '\n'), 'utf8');
  const importBuffer = (data: Buffer, format: ImportFormat = 'csv', encoding?: 'utf-8' | 'gb18030', keyFilter?: number) =>
    importCaseRecords(db, Readable.from([data]), { fileName: `test.${format}`, format, encoding, xlsxLimits: XLSX_LIMITS, hmacKey: HMAC, actor: systemActor, declaredBytes: data.length, keyFilter });
  /** The 案号 filter at its default size, whatever the size of the file: new rows go straight into case_record. */
  const FILTER = 64 * 1024 * 1024;

  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('when a clean CSV with a BOM and CRLF is imported twice, then the second import changes nothing; a corrected export updates one row', async () => {
    run = uniqueSerialPrefix();
    const first = await importBuffer(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv([header, row(1), row(2), row(3)], true)]));
    expect(first).toMatchObject({ rowsRead: 3, inserted: 3, updated: 0, unchanged: 0, rejected: 0, encoding: 'utf-8' });
    const [stored] = await db.query(`SELECT township, defendant_types, claim_amount FROM case_record WHERE case_no = $1`, [caseNo(1)]);
    expect(stored).toMatchObject({ township: 'town-yuantan', defendant_types: ['自然人', '企业'], claim_amount: '12000.50' });
    expect(await importBuffer(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv([header, row(1), row(2), row(3)], true)]))).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    const overlap = await importBuffer(csv([header, row(2), row(3, { closing: '2025-06-01' }), row(4)]));
    expect(overlap).toMatchObject({ rowsRead: 3, inserted: 1, updated: 1, unchanged: 1 });
    const [file] = await db.query(`SELECT rows_read, rows_inserted, rows_updated, rows_unchanged, sha256 FROM import_file WHERE id = $1`, [overlap.fileId]);
    expect(file).toMatchObject({ rows_read: 3, rows_inserted: 1, rows_updated: 1, rows_unchanged: 1, sha256: overlap.sha256 });
    const [updated] = await db.query(`SELECT closing_date::text AS closing, import_file_id FROM case_record WHERE case_no = $1`, [caseNo(3)]);
    expect(updated).toEqual({ closing: '2025-06-01', import_file_id: overlap.fileId });
    // Case rows name the file that last changed them; that file can never go away.
    await expect(db.query(`DELETE FROM import_file WHERE id = $1`, [overlap.fileId])).rejects.toThrow(/permanent/);
    await expect(db.query(`TRUNCATE import_file CASCADE`)).rejects.toThrow(/permanent/);
  });

  it('when a file repeats a stored 案号, then the later line is named and nothing changes; an 案号 with COPY escapes is refused by its format', async () => {
    run = uniqueSerialPrefix();
    // A backslash and a tab once made a legal but odd key that had to read back exactly from COPY TO; the court's format now refuses it.
    const odd = `"${caseNo(9)}\\b\t"`;
    const oddRow = row(9).replace(caseNo(9), odd);
    expect(await importBuffer(csv([header, row(1), row(2), oddRow]), 'csv', undefined, FILTER)).toMatchObject({ rejected: 1, problems: [{ line: 4, column: '案号', reason: expect.stringMatching(/^案号格式不符/) }] });
    expect(await importBuffer(csv([header, row(1), row(2), row(9)]), 'csv', undefined, FILTER)).toMatchObject({ inserted: 3, rejected: 0 });
    expect(await importBuffer(csv([header, row(1), row(2), row(9)]), 'csv', undefined, FILTER)).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    const repeated = await importBuffer(csv([header, row(1), row(5), row(1, { closing: '2025-06-01' })]), 'csv', undefined, FILTER);
    const twiceOne = `案号在文件中重复：${caseNo(1)}（第2、4行）`;
    expect(repeated).toMatchObject({ fileId: null, rejected: 2, problems: [{ line: 2, column: '案号', reason: twiceOne }, { line: 4, column: '案号', reason: twiceOne }] });
    expect(await db.query(`SELECT closing_date FROM case_record WHERE case_no = ANY($1)`, [[caseNo(1), caseNo(5)]])).toEqual([{ closing_date: null }]);
    // A new 案号 twice: the first line went straight in, the second was staged; both are named.
    const twice = await importBuffer(csv([header, row(7), row(8), row(7)]), 'csv', undefined, FILTER);
    const twiceSeven = `案号在文件中重复：${caseNo(7)}（第2、4行）`;
    expect(twice).toMatchObject({ fileId: null, rejected: 2, problems: [{ line: 2, column: '案号', reason: twiceSeven }, { line: 4, column: '案号', reason: twiceSeven }] });
    expect(await db.query(`SELECT 1 FROM case_record WHERE case_no = ANY($1)`, [[caseNo(7), caseNo(8)]])).toEqual([]);
  });

  it('when the 案号 filter calls nearly every key known (32 bits), then new rows take the staging path and the result is the same', async () => {
    run = uniqueSerialPrefix();
    const tiny = (data: Buffer) => importBuffer(data, 'csv', undefined, 32);
    // 64 keys × 7 hashes fill 32 bits: after the first few rows every new 案号 tests positive and is merged from staging.
    const rows = Array.from({ length: 64 }, (_, i) => row(i + 1));
    expect(await tiny(csv([header, ...rows]))).toMatchObject({ rowsRead: 64, inserted: 64, updated: 0, unchanged: 0 });
    expect(await db.query(`SELECT count(*)::int AS n FROM case_record WHERE case_no ~ $1`, [caseNumbersOf(run)])).toEqual([{ n: 64 }]);
    const twice = `案号在文件中重复：${caseNo(65)}（第2、4行）`;
    expect(await tiny(csv([header, row(65), row(2), row(65)]))).toMatchObject({ rejected: 2, problems: [{ line: 2, column: '案号', reason: twice }, { line: 4, column: '案号', reason: twice }] });
    expect(await tiny(csv([header, row(2), row(3, { closing: '2025-06-01' }), row(66)]))).toMatchObject({ inserted: 1, updated: 1, unchanged: 1 });
  });

  it('when rows fill every column with edge values, then each is stored exactly as written, whether it went straight in or through staging, and the same file again changes nothing', async () => {
    // Filed in 1999, a year no indicator test reads. Dates before PostgreSQL's epoch (2000-01-01)
    // and a leap day; amounts of one group, several and none; the largest integer; a 系列案标识
    // with a tab, a newline, a quote and a backslash (each escaped in the COPY text the importer sends).
    const columns = '案号,承办法院,案件类型,审判程序,案由,行政管理领域,立案日期,结案日期,审限届满日期,乡镇(街道),原告(申请人)类型,被告(被申请人/被执行人)类型,被诉行政机关,当事人人数,系列案标识,诉讼标的额(元),结案方式,裁判结果,行政机关败诉,负责人出庭,被告人年龄段,是否上诉,二审结果,再审结果,执行到位金额(元),诉前调解,涉诉信访次数,被告标识';
    const series = 'A\t"B" \\ 换行\n末';
    const lines = (serial: string) => [
      `（1999）豫1328行初${serial}1号,唐河县人民法院,行政,一审,行政征收,国有土地上房屋征收,1999-12-31,2000-01-01,2024-02-29,源潭镇,自然人,企业|自然人,唐河县自然资源局,2147483647,"${series.replace(/"/g, '""')}",1234567890123.45,判决,部分支持,否,是,26-59,是,改判,维持,0.5,,0,唐河县某建筑有限公司`,
      `（1999）豫1328民初${serial}2号,唐河县人民法院源潭人民法庭,民事,一审,民间借贷纠纷,,1999-01-01,,,城郊乡,企业|其他,自然人,,0,,0,调解,,,,,否,,,100000000.1,,,`,
    ];
    const stored = (serial: string) =>
      db.query(
        `SELECT substr(case_no, 1, 13) AS case_no, court, case_type, procedure, cause, admin_sector, filing_date::text, closing_date::text, deadline_date::text, township,
                plaintiff_types, defendant_types, defendant_agency, party_count, series_id, claim_amount::text, closing_method, outcome, gov_lost, leader_appeared,
                defendant_age_band, appealed, appeal_result, retrial_result, enforced_amount::text, pre_mediation, petition_count, defendant_key, import_line
           FROM case_record WHERE case_no ~ $1 ORDER BY case_no DESC`,
        [caseNumbersOf(serial)],
      );
    const expected = [
      {
        case_no: '（1999）豫1328行初', court: '唐河县人民法院', case_type: '行政', procedure: '一审', cause: '行政征收', admin_sector: '国有土地上房屋征收',
        filing_date: '1999-12-31', closing_date: '2000-01-01', deadline_date: '2024-02-29', township: 'town-yuantan', plaintiff_types: ['自然人'], defendant_types: ['企业', '自然人'],
        defendant_agency: '唐河县自然资源局', party_count: 2147483647, series_id: series, claim_amount: '1234567890123.45', closing_method: '判决', outcome: '部分支持',
        gov_lost: false, leader_appeared: true, defendant_age_band: '26-59', appealed: true, appeal_result: '改判', retrial_result: '维持', enforced_amount: '0.50',
        pre_mediation: null, petition_count: 0, defendant_key: '唐河县某建筑有限公司', import_line: 2,
      },
      {
        case_no: '（1999）豫1328民初', court: '唐河县人民法院源潭人民法庭', case_type: '民事', procedure: '一审', cause: '民间借贷纠纷', admin_sector: null,
        filing_date: '1999-01-01', closing_date: null, deadline_date: null, township: 'town-chengjiao', plaintiff_types: ['企业', '其他'], defendant_types: ['自然人'],
        defendant_agency: null, party_count: 0, series_id: null, claim_amount: '0.00', closing_method: '调解', outcome: null,
        gov_lost: null, leader_appeared: null, defendant_age_band: null, appealed: false, appeal_result: null, retrial_result: null, enforced_amount: '100000000.10',
        pre_mediation: null, petition_count: null, defendant_key: null, import_line: 3,
      },
    ];
    for (const keyFilter of [FILTER, 0]) {
      const serial = uniqueSerialPrefix();
      const file = csv([columns, ...lines(serial)]);
      expect(await importBuffer(file, 'csv', undefined, keyFilter)).toMatchObject({ inserted: 2, rejected: 0 });
      expect(await stored(serial)).toEqual(expected);
      expect(await importBuffer(file, 'csv', undefined, keyFilter)).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    }
  });

  it('when a GBK export with English headers is imported, then the encoding is detected and the text is right', async () => {
    run = uniqueSerialPrefix();
    const summary = await importBuffer(iconv.encode([englishHeader, row(1, { township: '东王集乡', cause: '追索劳动报酬纠纷' })].join('\r\n'), 'gbk'));
    expect(summary).toMatchObject({ encoding: 'gb18030', inserted: 1 });
    const [stored] = await db.query(`SELECT cause, township FROM case_record WHERE case_no = $1`, [caseNo(1)]);
    expect(stored).toEqual({ cause: '追索劳动报酬纠纷', township: 'town-dongwangji' });
  });

  it('when a file is declared UTF-8 but is GBK, then it is refused with the reason', async () => {
    run = uniqueSerialPrefix();
    await expect(importBuffer(iconv.encode([header, row(1)].join('\n'), 'gbk'), 'csv', 'utf-8')).rejects.toThrow(ValidationError);
    expect(await db.query(`SELECT 1 FROM case_record WHERE case_no = $1`, [caseNo(1)])).toHaveLength(0);
  });

  it('when one row is bad, then nothing is written and every bad row is reported with line, column and reason', async () => {
    run = uniqueSerialPrefix();
    const summary = await importBuffer(
      csv([header, row(1), row(2, { date: '2022-02-30' }), row(3, { amount: '-5' }), row(1), row(5, { township: '北京市' })]),
    );
    expect(summary.fileId).toBeNull();
    expect(summary.rejected).toBe(5);
    expect(summary.problems).toEqual([
      { line: 2, column: '案号', reason: `案号在文件中重复：${caseNo(1)}（第2、5行）` },
      { line: 3, column: '立案日期', reason: '日期无效：2022-02-30（应为 YYYY-MM-DD 的真实日期）' },
      { line: 4, column: '诉讼标的额(元)', reason: '金额不能为负数：-5' },
      { line: 5, column: '案号', reason: `案号在文件中重复：${caseNo(1)}（第2、5行）` },
      { line: 6, column: '乡镇(街道)', reason: expect.stringMatching(/^不是唐河县的乡镇（街道）：北京市（可选值：/) },
    ]);
    expect(await db.query(`SELECT 1 FROM case_record WHERE case_no ~ $1`, [caseNumbersOf(run)])).toHaveLength(0);
  });

  it('when headers are wrong, the file is empty or has only a header, then it is refused and says why', async () => {
    run = uniqueSerialPrefix();
    const wrongHeader = await importBuffer(csv([header.replace('案由,', '案件原因,'), row(1)]));
    // One line is wrong, the header, however many of its cells are: the count says one line.
    expect(wrongHeader.rejected).toBe(1);
    expect(wrongHeader.problems).toEqual([
      { line: 1, column: '案件原因', reason: '无法识别的列名（请使用「案件数据导入模板」中的中文或英文列名，模板可在数据导入页下载）' },
      { line: 1, column: '案由', reason: '缺少必填列（见「案件数据导入模板」）' },
    ]);
    expect((await importBuffer(Buffer.alloc(0))).problems).toEqual([{ line: 1, column: '(文件)', reason: '文件为空' }]);
    expect((await importBuffer(csv([header]))).problems).toEqual([{ line: 2, column: '(文件)', reason: '文件只有表头，没有案件数据' }]);
  });

  it('when a file full of personal data is imported, then none of it reaches the database and the defendant becomes a keyed HMAC', async () => {
    run = uniqueSerialPrefix();
    // Unique per run: the scan below reads every table, which other test files write to as well.
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');
    const idNumber = `41132819900101${digits(4)}`;
    const phone = `139${digits(8)}`;
    const name = `张${run.slice(-4)}`;
    const summary = await importBuffer(
      csv([
        `${header},被告姓名,被告身份证号,手机,家庭住址,银行账号,车牌号`,
        `${row(1, { series: `民间借贷 联系人 ${phone} 身份证 ${idNumber} 被告${name}` })},${name},${idNumber},${phone},唐河县源潭镇某村12号,6222020202020202020,豫R12345`,
      ]),
    );
    expect(summary).toMatchObject({ inserted: 1, maskedCells: 3, droppedColumns: ['手机', '家庭住址', '银行账号', '车牌号'] });
    const [stored] = await db.query(`SELECT * FROM case_record WHERE case_no = $1`, [caseNo(1)]);
    expect(stored.defendant_key).toMatch(/^dk-[0-9a-f]{32}$/);
    // The defendant's name is masked in the row's free text too, not only its numbers (issue 17 rule 5).
    expect(stored.series_id).toBe('民间借贷 联系人 ［已脱敏］ 身份证 ［已脱敏］ 被告［已脱敏］');
    // Every row of every table (documents' stored content included), read as text by PostgreSQL.
    const secrets = [idNumber, phone, name, '某村12号', '6222020202020202020', '豫R12345'].map((x) => `%${x}%`);
    const tables: { name: string }[] = await db.query(
      `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT LIKE 'pg\\_%' AND table_schema <> 'information_schema'`,
    );
    expect(tables.length).toBeGreaterThan(20);
    for (const { name: table } of tables) {
      const [found] = await db.query(`SELECT count(*)::int AS n FROM ${table} AS x WHERE x::text LIKE ANY($1)`, [secrets]);
      expect(found.n, `${table} holds personal data`).toBe(0);
    }
  });

  it('when a 系列案标识 names a party only a later row gives, then it is stored masked all the same, whether its row went straight in or through staging (issue 17 rule 5)', async () => {
    // Filed in 2009, a year no indicator test reads.
    for (const keyFilter of [FILTER, 0]) {
      run = uniqueSerialPrefix();
      const file = csv([`${header},被告姓名`, `${row(1, { year: 2009, series: '欧阳小峰欠款系列' })},王五`, `${row(2, { year: 2009 })},欧阳小峰`]);
      expect(await importBuffer(file, 'csv', undefined, keyFilter)).toMatchObject({ inserted: 2, maskedCells: 1 });
      expect(await db.query(`SELECT series_id FROM case_record WHERE case_no ~ $1 ORDER BY case_no`, [caseNumbersOf(run)])).toEqual([{ series_id: '［已脱敏］欠款系列' }, { series_id: null }]);
      // Masked the same way again, the same file changes nothing.
      expect(await importBuffer(file, 'csv', undefined, keyFilter)).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    }
  });

  it('when an XLSX upload arrives in small pieces, then Chinese text cut between chunks is read whole (ExcelJS alone turns it into U+FFFD)', async () => {
    run = uniqueSerialPrefix();
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('案件');
    sheet.addRow(header.split(','));
    const series = Array.from({ length: 40 }, (_, i) => `追索劳动报酬系列案（第${i}批）涉及社会组织`);
    series.forEach((text, i) => sheet.addRow(row(i + 1, { series: text }).split(',').map((c) => c.replace(/"/g, ''))));
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    // Seven-byte pieces: the inflated XML reaches the reader in small chunks, most of them ending inside a character.
    const pieces = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const summary = await importCaseRecords(db, Readable.from(pieces), { fileName: 'pieces.xlsx', format: 'xlsx', xlsxLimits: XLSX_LIMITS, hmacKey: HMAC, actor: systemActor });
    expect(summary).toMatchObject({ inserted: 40, rejected: 0 });
    const stored = await db.query(`SELECT series_id FROM case_record WHERE case_no ~ $1 ORDER BY series_id`, [caseNumbersOf(run)]);
    expect(stored.map((r: { series_id: string }) => r.series_id)).toEqual([...series].sort());
  });

  it('when a JSON export streams in small pieces, then it is read as it arrives; an object with a field the first lacks is refused by its line', async () => {
    run = uniqueSerialPrefix();
    // Filed before the indicator periods of the other tests, under a cause no indicator counts: these rows move no figure.
    const object = (n: number) => ({ 案号: caseNo(n, 2019), 承办法院: '唐河县人民法院', 案件类型: '民事', 审判程序: '一审', 案由: '合同纠纷', 立案日期: '2019-03-01', '乡镇(街道)': '源潭镇', '原告(申请人)类型': '自然人', '被告(被申请人/被执行人)类型': ['自然人', '企业'] });
    const bytes = Buffer.from(`\uFEFF${JSON.stringify(Array.from({ length: 30 }, (_, i) => object(i + 1)))}\n`);
    // Five-byte pieces: the BOM, characters and tokens are cut between chunks.
    const pieces = Array.from({ length: Math.ceil(bytes.length / 5) }, (_, i) => bytes.subarray(i * 5, i * 5 + 5));
    const summary = await importCaseRecords(db, Readable.from(pieces), { fileName: 'pieces.json', format: 'json', xlsxLimits: XLSX_LIMITS, hmacKey: HMAC, actor: systemActor });
    expect(summary).toMatchObject({ inserted: 30, rejected: 0, encoding: 'json' });
    const [stored] = await db.query(`SELECT cause, defendant_types FROM case_record WHERE case_no = $1`, [caseNo(30, 2019)]);
    expect(stored).toEqual({ cause: '合同纠纷', defendant_types: ['自然人', '企业'] });

    const later = [object(31), { ...object(32), 诉讼标的额: '100' }];
    await expect(importBuffer(Buffer.from(JSON.stringify(later)), 'json')).rejects.toMatchObject({ problems: [{ field: '第3行·诉讼标的额' }] });
  });

  it('when an XLSX and a JSON file are imported, then they land like CSV; a zip bomb or a non-XLSX is refused', async () => {
    run = uniqueSerialPrefix();
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('案件');
    sheet.addRow(header.split(','));
    sheet.addRow(row(1).split(',').map((c) => c.replace(/"/g, '')));
    expect(await importBuffer(Buffer.from(await book.xlsx.writeBuffer()), 'xlsx')).toMatchObject({ inserted: 1, encoding: 'xlsx' });
    const json = [{ case_no: caseNo(2), court: '唐河县人民法院', case_type: '刑事', procedure: '一审', cause: '盗窃罪', filing_date: '2025-04-01', township: '湖阳镇', plaintiff_types: ['检察机关'], defendant_types: ['自然人'] }];
    expect(await importBuffer(Buffer.from(JSON.stringify(json)), 'json')).toMatchObject({ inserted: 1, encoding: 'json' });
    await expect(importBuffer(Buffer.from('not a zip at all'), 'xlsx')).rejects.toThrow('不是有效的 XLSX 文件');
    const bomb = new JSZip();
    bomb.file('xl/worksheets/sheet1.xml', '<'.repeat(1) + 'x'.repeat(20_000_000));
    const zipped = await bomb.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
    expect(zipped.length).toBeLessThan(100_000);
    // Refused by its compression ratio before it inflates (xlsx-inflate-limits.test.ts has the messages), nothing written.
    const outcome = await importBuffer(zipped, 'xlsx').catch((e: unknown) => e);
    expect(outcome instanceof ValidationError || (outcome as { fileId: unknown; rejected: number }).rejected > 0).toBe(true);
    expect((outcome as { fileId?: unknown }).fileId ?? null).toBeNull();
  });

  it('when a file is imported, then its rows are read on the row thread: the calling thread stays mostly idle, and an upload that fails midway rolls back and the next import still works', async () => {
    // Five digits of prefix leave five for 20,000 rows (a serial has at most ten). Filed in 2009, a
    // year no other test reads: the indicator tests share this database and count 2025's 民间借贷.
    run = uniqueSerialPrefix(5);
    const of2009 = (n: number) => row(n, { year: 2009 });
    const rows = Array.from({ length: 20_000 }, (_, i) => of2009(i + 10_000));
    const loop = performance.eventLoopUtilization();
    const summary = await importBuffer(csv([header, ...rows]));
    const busy = performance.eventLoopUtilization(loop).utilization;
    expect(summary).toMatchObject({ rowsRead: 20_000, inserted: 20_000, rejected: 0 });
    // Reading, checking and masking on this thread kept it busy nearly all the time (measured 0.9–1.0); the row thread leaves it moving bytes.
    expect(busy).toBeLessThan(0.5);

    run = uniqueSerialPrefix(5);
    const cutOff = new Error('upload cut off');
    const failing = Readable.from(
      (async function* () {
        yield csv([header, ...Array.from({ length: 5_000 }, (_, i) => of2009(i + 10_000))]);
        yield Buffer.from('\n');
        throw cutOff;
      })(),
    );
    await expect(importCaseRecords(db, failing, { fileName: 'cut.csv', format: 'csv', xlsxLimits: XLSX_LIMITS, hmacKey: HMAC, actor: systemActor })).rejects.toBe(cutOff);
    expect(await db.query(`SELECT count(*)::int AS n FROM case_record WHERE case_no = $1`, [caseNo(10_000, 2009)])).toEqual([{ n: 0 }]);
    expect(await importBuffer(csv([header, of2009(10_000), of2009(10_001)]))).toMatchObject({ rowsRead: 2, inserted: 2 });
  });
});
