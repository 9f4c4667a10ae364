/**
 * `npm run import -- <file> [--encoding gb18030] [--table population|signals|causes]`: imports a court
 * export of case records (CSV, XLSX or JSON by extension) — or, with --table, a side table
 * (township population per year, township monthly 信访/舆情 counts, the 案由 catalogue) — into the configured
 * database, all or nothing, with a progress bar and a summary; a refused file lists every bad row
 * and exits 1.
 *
 * The npm script runs it with a 16 MB young generation and a 384 MB old-generation cap: every
 * reader streams (CSV, XLSX, JSON) and the live heap stays near 30–60 MB, but V8's defaults let
 * garbage grow the heap to 150–220 MB before collecting it; with these the command peaks near
 * 190–215 MB at 1 M and 5 M rows (QUALITY.md I4: ≤ 300 MB) at the same speed.
 */
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../src/config/load-config.ts';
import { appRolePassword, openAppDatabase } from '../src/db/app-role.ts';
import { startDatabase } from '../src/main/runtime.ts';
import { systemActor } from '../src/services/actor.ts';
import { isSideTableName } from '../src/domain/cases/side-tables.ts';
import { createImportService } from '../src/services/imports/index.ts';
import { ValidationError } from '../src/shared/errors.ts';
import { createLogger } from '../src/shared/logger.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { encoding: { type: 'string' }, table: { type: 'string' } } });
const file = positionals[0];
if (!file || (values.table !== undefined && !isSideTableName(values.table))) {
  console.error('usage: npm run import -- <file.csv|file.xlsx|file.json> [--encoding utf-8|gb18030] [--table population|signals|causes]');
  process.exit(2);
}
const table = values.table !== undefined && isSideTableName(values.table) ? values.table : undefined;
const format = path.extname(file).slice(1).toLowerCase();
if (!['csv', 'xlsx', 'json'].includes(format)) {
  console.error(`不支持的文件类型：${format}（应为 csv、xlsx 或 json）`);
  process.exit(2);
}
const config = loadConfig({ ...process.env, UPLOAD_LIMIT_BYTES: process.env.UPLOAD_LIMIT_BYTES ?? String(Number.MAX_SAFE_INTEGER) });
const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, 'import');
const database = await startDatabase(config, log);
// Migrated as the owner; the import itself runs as the app's role, like the upload (src/db/app-role.ts).
const db = await openAppDatabase(database.url, await appRolePassword(config), { poolSize: 2 });
const bar = new cliProgress.SingleBar({ format: '导入中 {bar} {percentage}% | {value}/{total} 字节 | {rows} 行' }, cliProgress.Presets.shades_classic);
let rows = 0;
const stream = createReadStream(file);
bar.start(statSync(file).size, 0, { rows: 0 });
stream.on('data', (chunk) => bar.increment(chunk.length, { rows }));
const started = Date.now();
try {
  const service = createImportService({ db, config });
  const upload = { fileName: path.basename(file), format: format as 'csv', encoding: values.encoding as 'utf-8' | 'gb18030' | undefined, declaredBytes: statSync(file).size };
  const summary = table
    ? await service.importSideTable(systemActor, table, stream, upload)
    : await service.importCases(systemActor, stream, { ...upload, onProgress: (n) => (rows = n) });
  bar.stop();
  console.log(
    `读取 ${summary.rowsRead} 行：新增 ${summary.inserted}，更新 ${summary.updated}，未变 ${summary.unchanged}，拒绝 ${summary.rejected}；` +
      `脱敏 ${summary.maskedCells} 处${summary.droppedColumns.length ? `；已丢弃个人信息列：${summary.droppedColumns.join('、')}` : ''}；编码 ${summary.encoding}；用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`,
  );
} catch (error) {
  bar.stop();
  if (!(error instanceof ValidationError)) throw error;
  for (const p of error.problems) console.error(`${p.field}：${p.reason}`);
  process.exitCode = 1;
} finally {
  await db.destroy();
  await database.stop();
}
