import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { systemActor } from '../../src/services/actor.ts';
import { createImportService, type ImportService } from '../../src/services/imports/index.ts';
import { ValidationError, type FieldProblem } from '../../src/shared/errors.ts';
import { caseNumbersOf, uniqueSerialPrefix } from '../support/case-numbers.ts';
import { TEST_DATABASE_APP_PASSWORD } from '../support/database.ts';
import { testDatabaseAdminUrl } from '../support/ports.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signedInUser } from '../support/users.ts';
import { deflate, repeated, zipOf, type Deflated, type ZipPart } from '../support/zip.ts';

/**
 * Issue 17, import rule 6: an XLSX that inflates beyond the configured limits — in total, in one
 * part, or at a compression ratio no real export has — is refused before or while inflating,
 * never after inflating it all; the refusal names the file, writes nothing, and the command, the
 * upload (and so the 数据导入 screen, which shows the upload's answer) say the same.
 */

const HMAC = 'inflate-hmac-key-0123456789abcdef';
const MiB = 1024 * 1024;
const SHEET = 'xl/worksheets/sheet1.xml';
const header = ['案号', '承办法院', '案件类型', '审判程序', '案由', '立案日期', '乡镇(街道)', '原告(申请人)类型', '被告(被申请人/被执行人)类型'];

describe('XLSX inflate limits (issue 17 rule 6)', () => {
  let system: TestSystem;
  let run = '';
  const caseNo = (n: number) => `（2025）豫1328民初${run}${n}号`;

  /** A real workbook's parts (ExcelJS writes them) with three valid case rows, by name. */
  async function workbookParts(): Promise<Map<string, Buffer>> {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('案件');
    sheet.addRow(header);
    for (const n of [1, 2, 3]) sheet.addRow([caseNo(n), '唐河县人民法院', '民事', '一审', '民间借贷纠纷', '2025-05-06', '湖阳镇', '自然人', '自然人']);
    const zip = await JSZip.loadAsync(await book.xlsx.writeBuffer());
    const parts = new Map<string, Buffer>();
    for (const file of Object.values(zip.files)) if (!file.dir) parts.set(file.name, await file.async('nodebuffer'));
    return parts;
  }

  const honest = (data: Buffer): Deflated => ({ deflated: deflateRawSync(data), size: data.length, crc: crc32(data) });

  /** The workbook rebuilt byte by byte, with `replaced` parts in place of its own and `added` after them. */
  async function xlsx(replaced: Record<string, Deflated & { declaredSize?: number }> = {}, added: ZipPart[] = []): Promise<Buffer> {
    const parts: ZipPart[] = [...(await workbookParts())].map(([name, data]) => {
      const part = replaced[name];
      return part ? { name, data: part, declaredSize: part.declaredSize } : { name, data: honest(data) };
    });
    return zipOf([...parts, ...added]);
  }

  /** Random text: it hardly compresses, so only a size limit can refuse it. */
  const incompressible = (bytes: number) => honest(Buffer.from(randomBytes(bytes).toString('base64').slice(0, bytes)));

  async function importXlsx(service: ImportService, bytes: Buffer, fileName = `${run}.xlsx`) {
    return service.importCases(systemActor, Readable.from([bytes]), { fileName, format: 'xlsx', declaredBytes: bytes.length });
  }

  /** The problems of a refused XLSX; fails when anything of it was written. */
  async function refusal(service: ImportService, bytes: Buffer): Promise<FieldProblem[]> {
    const outcome = await importXlsx(service, bytes).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(ValidationError);
    await expectNothingWritten();
    return (outcome as ValidationError).problems;
  }

  async function expectNothingWritten() {
    const db = system.services.db;
    expect(await db.query(`SELECT case_no FROM case_record WHERE case_no ~ $1`, [caseNumbersOf(run)]), 'a refused file wrote rows').toEqual([]);
    expect(await db.query(`SELECT id FROM import_file WHERE file_name = $1`, [`${run}.xlsx`]), 'a refused file was recorded as imported').toEqual([]);
  }

  const withLimits = (limits: Record<string, string>) =>
    createImportService({ db: system.services.db, config: loadConfig({ NODE_ENV: 'test', PERSONAL_DATA_HMAC_KEY: HMAC, ...limits }) });

  /** The compression-ratio bomb: a sheet of 48 MB of one byte, deflated beyond 1000:1. */
  async function ratioBomb() {
    const sheet = await deflate(repeated('<', 48 * MiB));
    expect(sheet.size / sheet.deflated.length).toBeGreaterThan(1000);
    const reason = `XLSX 文件中的 ${SHEET} 压缩比为 ${Math.round(sheet.size / sheet.deflated.length)}:1，超过上限 100:1（疑为压缩炸弹），未导入任何数据`;
    return { bytes: await xlsx({ [SHEET]: sheet }), reason };
  }

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false, env: { PERSONAL_DATA_HMAC_KEY: HMAC } });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('when a workbook stays within the limits, then it is imported (the hand-built zip is a real XLSX)', async () => {
    run = uniqueSerialPrefix();
    const summary = await importXlsx(withLimits({ XLSX_ENTRY_LIMIT_BYTES: String(MiB), XLSX_INFLATE_LIMIT_BYTES: String(3 * MiB) }), await xlsx());
    expect(summary).toMatchObject({ inserted: 3, rejected: 0, encoding: 'xlsx' });
  });

  it('when a sheet, or all parts together, compress beyond the ratio limit, then the file is refused by its ratio before anything inflates', async () => {
    run = uniqueSerialPrefix();
    const { bytes, reason } = await ratioBomb();
    expect(bytes.length).toBeLessThan(100_000);
    expect(await refusal(system.services.imports, bytes)).toEqual([{ field: '(文件)', reason }]);
    // Parts each too small to be held to the ratio are held to it together.
    const small = await deflate(repeated('<', MiB));
    const many = Array.from({ length: 40 }, (_, n) => ({ name: `xl/worksheets/sheet${n + 2}.xml`, data: small }));
    expect(await refusal(system.services.imports, await xlsx({}, many))).toEqual([
      { field: '(文件)', reason: expect.stringMatching(/^XLSX 文件整体压缩比为 \d{3,}:1，超过上限 100:1（疑为压缩炸弹），未导入任何数据$/) },
    ]);
  });

  it('when a part declares less than it inflates to, then inflating stops at the declared size: rows read before it are not written, memory stays small', async () => {
    run = uniqueSerialPrefix();
    const realSheet = (await workbookParts()).get(SHEET)!;
    // The real sheet, then a comment of 256 MB after its root element, declared as 1 MiB more than the sheet: a ratio of about 4:1.
    const sheet = await deflate([realSheet, Buffer.from('<!--'), ...repeated('x', 256 * MiB), Buffer.from('-->')]);
    const bytes = await xlsx({ [SHEET]: { ...sheet, declaredSize: realSheet.length + MiB } });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      expect(await refusal(system.services.imports, bytes)).toEqual([
        { field: '(文件)', reason: `XLSX 文件中的 ${SHEET} 解压后超过其记录的大小 1.1 MB（文件已损坏或被篡改，疑为压缩炸弹），已停止解压，未导入任何数据` },
      ]);
    } finally {
      clearInterval(sampler);
    }
    expect(peak - before, 'memory grew with the inflated size').toBeLessThan(64 * MiB);
  });

  it('when a part declares more than the part limit, or all parts more than the total limit (overlapping entries too), then it is refused before anything inflates', async () => {
    run = uniqueSerialPrefix();
    const imports = withLimits({ XLSX_ENTRY_LIMIT_BYTES: String(MiB), XLSX_INFLATE_LIMIT_BYTES: String(3 * MiB) });
    expect(await refusal(imports, await xlsx({}, [{ name: 'xl/worksheets/sheet2.xml', data: incompressible(1.5 * MiB) }]))).toEqual([
      { field: '(文件)', reason: 'XLSX 文件中的 xl/worksheets/sheet2.xml 解压后为 1.5 MB，超过单个部件的上限 1 MB，未导入任何数据；请分成较小的文件或导出为 CSV' },
    ]);
    const total = { field: '(文件)', reason: 'XLSX 文件解压后共 3.1 MB，超过上限 3 MB，未导入任何数据；请分成较小的文件或导出为 CSV' };
    const quarters = [2, 3, 4, 5].map((n) => ({ name: `xl/worksheets/sheet${n}.xml`, data: incompressible(0.75 * MiB) }));
    expect(await refusal(imports, await xlsx({}, quarters))).toEqual([total]);
    // One part's data under four directory entries: each entry counts.
    const overlapping = [quarters[0]!, ...[3, 4, 5].map((n) => ({ name: `xl/worksheets/sheet${n}.xml`, sameDataAs: quarters[0]!.name, declaredSize: 0.75 * MiB }))];
    expect(await refusal(imports, await xlsx({}, overlapping))).toEqual([total]);
  });

  it('when a zip bomb is uploaded over HTTP or given to npm run import, then both answer with the problems of the import service', async () => {
    run = uniqueSerialPrefix();
    const { bytes, reason } = await ratioBomb();
    const court = (await signedInUser(system, ['court_analyst'], 'court')).client;
    const answer = await court.request('POST', `/api/imports/cases?fileName=${run}.xlsx&format=xlsx`, new Uint8Array(bytes), { 'content-type': 'application/octet-stream' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.problems).toEqual([{ field: '(文件)', reason }]);
    await expectNothingWritten();

    const folder = await mkdtemp(path.join(tmpdir(), 'bomb-'));
    try {
      await writeFile(path.join(folder, `${run}.xlsx`), bytes);
      const cli = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['scripts/import.ts', path.join(folder, `${run}.xlsx`)], {
          env: { ...process.env, DATABASE_URL: testDatabaseAdminUrl(), DATABASE_APP_PASSWORD: TEST_DATABASE_APP_PASSWORD, PERSONAL_DATA_HMAC_KEY: HMAC, STATE_DIR: folder, LOG_LEVEL: 'error' },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expect(cli.code, cli.stderr).toBe(1);
      expect(cli.stderr).toContain(`(文件)：${reason}`);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    await expectNothingWritten();
  }, 60_000);
});
