import { createHash, createHmac } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import type { Pool, PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { caseColumns } from '../../domain/cases/columns.ts';
import { parseRow, planHeader, type CaseRow, type RowProblem } from '../../domain/cases/rows.ts';
import { ValidationError } from '../../shared/errors.ts';
import type { Actor } from '../actor.ts';
import { writeAudit } from '../audit.ts';

/**
 * Imports a court export of case records (CSV in UTF-8 or GB18030/GBK, XLSX, or JSON) all or
 * nothing: rows stream through validation and masking into a temporary staging table by COPY,
 * then merge into case_record in the same transaction keyed by 案号, so a re-import changes only
 * what changed. Any bad row rolls everything back and the caller gets every bad row's line,
 * column and reason (capped). Personal data is gone before the first byte reaches PostgreSQL.
 */

export type ImportFormat = 'csv' | 'xlsx' | 'json';
export type Encoding = 'utf-8' | 'gb18030';

export interface ImportSummary {
  fileId: string | null;
  sha256: string;
  encoding: Encoding | 'xlsx' | 'json';
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  maskedCells: number;
  droppedColumns: string[];
  /** Capped list (first 200) of refused rows; `rejected` counts all. */
  problems: RowProblem[];
}

const MAX_PROBLEMS = 200;
const keys = caseColumns.map((c) => c.key);

/** Rows go to COPY in chunks of about 64 KiB: one CopyData message per row costs more than parsing it. */
const COPY_CHUNK_CHARS = 64 * 1024;

const COPY_SPECIAL = /[\\\t\n\r]/;
// Most cells have none of COPY's special characters; testing first spares four replaces per cell.
const esc = (v: string) => (COPY_SPECIAL.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v);
const arrayLiteral = (values: readonly string[]) => `{${values.map((x) => `"${x.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** COPY text format: tabs, newlines and backslashes escaped; NULL as \N; arrays as PostgreSQL literals. */
function copyLine(row: CaseRow, lineNo: number): string {
  let line = '';
  for (let i = 0; i < keys.length; i++) {
    const v = row[keys[i]!] ?? null;
    line += (i ? '\t' : '') + (v === null ? '\\N' : esc(Array.isArray(v) ? arrayLiteral(v) : String(v)));
  }
  return `${line}\t${lineNo}\n`;
}

/** Decides the encoding from the first bytes: a UTF-8 BOM or valid UTF-8 means UTF-8, else GB18030 (GBK's superset). */
export function detectEncoding(head: Buffer): Encoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  try {
    // stream: a multi-byte character cut at the end of the sample is held back, not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** Longest record accepted: a quote left open would otherwise make the rest of the file one field. */
const MAX_RECORD_CHARS = 1024 * 1024;

const badEncoding = (encoding: Encoding) =>
  new ValidationError([{ field: 'encoding', reason: `文件不是有效的 ${encoding === 'utf-8' ? 'UTF-8' : 'GB18030/GBK'} 编码，请确认导出编码后重新上传` }]);

/** A malformed record (a quote left open, text after a closing quote) as the line to correct. */
const csvSyntaxError = (line: number, code: string) =>
  new ValidationError([
    {
      field: `第${line}行`,
      reason: `${code === 'MissingQuotes' ? '引号没有闭合，文件在引号内结束' : code === 'InvalidQuotes' ? '引号后紧跟其他字符（字段内的引号应写成两个双引号）' : 'CSV 格式错误'}，请检查该行`,
    },
  ]);

/** The file's text, decoded as it streams; an undecodable byte stops it. */
async function* decodedText(source: Readable, encoding: Encoding): AsyncGenerator<string> {
  const utf8 = encoding === 'utf-8' ? new TextDecoder('utf-8', { fatal: false }) : null;
  const gb18030 = iconv.getDecoder('gb18030');
  for await (const chunk of source) {
    const text = utf8 ? utf8.decode(chunk as Buffer, { stream: true }) : gb18030.write(chunk as Buffer);
    if (text.includes('\uFFFD')) throw badEncoding(encoding);
    yield text;
  }
  const rest = utf8 ? utf8.decode() : (gb18030.end() ?? '');
  if (rest.includes('\uFFFD')) throw badEncoding(encoding);
  if (rest) yield rest;
}

/**
 * CSV records with Papa Parse's parser, chunk by chunk as the text streams: each chunk is parsed
 * up to its last complete record and the incomplete rest goes in front of the next one — the
 * way Papa's own streamers drive it, without their unbounded buffering (the file may be
 * gigabytes, and COPY may be slower than parsing). Five times faster than csv-parse here.
 */
async function* csvRecords(source: Readable, declared: Encoding | undefined, onEncoding: (e: Encoding) => void): AsyncGenerator<string[]> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head: Buffer = first.done ? Buffer.alloc(0) : Buffer.from(first.value as Buffer);
  const encoding = declared ?? detectEncoding(head.subarray(0, 65_536));
  onEncoding(encoding);
  const bytes = Readable.from(
    (async function* () {
      if (head.length) yield head;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value as Buffer;
    })(),
  );
  let pending = '';
  let base = 0;
  let records = 0;
  let newline: '\r\n' | '\n' | undefined;
  const parseChunk = (text: string, last: boolean): string[][] => {
    const input = records === 0 && base === 0 ? text.replace(/^\uFEFF/, '') : text;
    newline ??= input.includes('\r\n') ? '\r\n' : input.includes('\n') || last ? '\n' : undefined;
    if (!newline) {
      // Not one line ending yet: wait for more text.
      pending = input;
      return [];
    }
    const results = new Papa.Parser({ delimiter: ',', newline, quoteChar: '"' }).parse(input, base, !last) as Papa.ParseResult<string[]>;
    const error = results.errors[0];
    if (error) throw csvSyntaxError(records + (error.row ?? 0) + 1, error.code);
    const cursor = results.meta.cursor;
    pending = last ? '' : input.slice(cursor - base);
    base = cursor;
    if (pending.length > MAX_RECORD_CHARS) throw csvSyntaxError(records + results.data.length + 1, 'MissingQuotes');
    records += results.data.length;
    // Empty lines are skipped, as office software writes them at the end.
    return results.data.filter((r) => r.length > 1 || r[0] !== '');
  };
  for await (const text of decodedText(bytes, encoding)) yield* parseChunk(pending + text, false);
  if (pending) yield* parseChunk(pending, true);
}

/** An async iterable that rejects as soon as `failed` does, even while its source waits for ever. */
async function* unlessFailed<T>(iterable: AsyncIterable<T>, failed: Promise<never>): AsyncGenerator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  for (let next = await Promise.race([iterator.next(), failed]); !next.done; next = await Promise.race([iterator.next(), failed])) yield next.value;
}

async function* xlsxRecords(source: Readable): AsyncGenerator<string[]> {
  // ExcelJS's streaming reader waits for ever when unzipping fails inside an entry (the error reaches only the unzip
  // stream it pipes the upload into) and when the upload is empty: both are refused here instead of hanging the request.
  const failed = new Promise<never>((_, reject) => {
    const pipe = source.pipe.bind(source);
    source.pipe = <T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
      let empty = true;
      source.once('data', () => (empty = false));
      source.once('end', () => empty && reject(new ValidationError([{ field: 'file', reason: '不是有效的 XLSX 文件（文件为空）' }])));
      return pipe(destination.once('error', reject), options);
    };
  });
  // Only ever awaited in a race: a failure after the read ended is no unhandled rejection.
  failed.catch(() => undefined);
  // The streaming reader never inflates the whole workbook (a zip bomb stops at the size limit).
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit' });
  try {
    for await (const sheet of unlessFailed(reader, failed)) {
      for await (const row of unlessFailed(sheet, failed)) {
        const values = (row.values as unknown[]).slice(1);
        yield values.map((v) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'object' && 'text' in (v as object) ? String((v as { text: unknown }).text) : String(v)));
      }
      return;
    }
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError([{ field: 'file', reason: '不是有效的 XLSX 文件' }]);
  }
  throw new ValidationError([{ field: 'file', reason: '不是有效的 XLSX 文件（没有工作表）' }]);
}

async function* jsonRecords(source: Readable): AsyncGenerator<string[]> {
  const chunks: Buffer[] = [];
  for await (const c of source) chunks.push(c as Buffer);
  let data: unknown;
  try {
    data = JSON.parse(Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    throw new ValidationError([{ field: 'file', reason: 'JSON 格式错误，无法解析' }]);
  }
  if (!Array.isArray(data)) throw new ValidationError([{ field: 'file', reason: 'JSON 文件应为案件对象的数组' }]);
  const headers = [...new Set(data.flatMap((o) => (o && typeof o === 'object' ? Object.keys(o as object) : [])))];
  yield headers;
  for (const o of data as Record<string, unknown>[]) {
    yield headers.map((h) => {
      const v = o?.[h];
      return v === null || v === undefined ? '' : Array.isArray(v) ? v.join('|') : String(v);
    });
  }
}

export interface ImportOptions {
  fileName: string;
  format: ImportFormat;
  encoding?: Encoding;
  hmacKey: string;
  actor: Actor;
  onProgress?: (rows: number) => void;
}

/** DOMAIN.md §5 rule 2: the keyed HMAC of the normalised name and ID number; the raw values are discarded by the caller. */
export function defendantKey(secret: string, name: string, idNumber: string): string {
  const normalised = `${name.replace(/\s+/g, '')}|${idNumber.replace(/\s+/g, '').toUpperCase()}`;
  return `dk-${createHmac('sha256', secret).update(normalised).digest('hex').slice(0, 32)}`;
}

export async function importCaseRecords(db: DataSource, input: Readable, o: ImportOptions): Promise<ImportSummary> {
  const identityKey = (name: string, idNumber: string) => defendantKey(o.hmacKey, name, idNumber);
  const pool = (db.driver as PostgresDriver).master as Pool;
  const client: PoolClient = await pool.connect();
  const hash = createHash('sha256');
  // The file's hash is taken on the way through: the bytes are read once.
  const hashed = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  input.on('error', (e) => hashed.destroy(e));
  input.pipe(hashed);
  let encoding: ImportSummary['encoding'] = o.format === 'csv' ? (o.encoding ?? 'utf-8') : o.format;
  const summary: ImportSummary = { fileId: null, sha256: '', encoding, rowsRead: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, maskedCells: 0, droppedColumns: [], problems: [] };
  const reject = (p: RowProblem[]) => {
    summary.rejected += 1;
    for (const x of p) if (summary.problems.length < MAX_PROBLEMS) summary.problems.push(x);
  };
  try {
    await client.query('BEGIN');
    // INCLUDING GENERATED: PostgreSQL hashes each row (row_hash) as COPY streams it in.
    await client.query(`CREATE TEMP TABLE case_staging (LIKE case_record INCLUDING DEFAULTS INCLUDING GENERATED) ON COMMIT DROP`);
    // Each row keeps its line in the file, so duplicate 案号 are found in SQL and still reported by line.
    await client.query(`ALTER TABLE case_staging DROP COLUMN import_file_id, DROP COLUMN updated_at, ADD COLUMN line integer NOT NULL`);
    const copy = client.query(copyFrom(`COPY case_staging (${keys.join(', ')}, line) FROM STDIN`));
    const records =
      o.format === 'csv' ? csvRecords(hashed, o.encoding, (e) => (encoding = e)) : o.format === 'xlsx' ? xlsxRecords(hashed) : jsonRecords(hashed);
    const lines = Readable.from(
      (async function* () {
        let line = 0;
        let plan: ReturnType<typeof planHeader> | null = null;
        let chunk = '';
        for await (const cells of records) {
          line += 1;
          if (!plan) {
            plan = planHeader(cells);
            summary.droppedColumns = plan.dropped;
            if (plan.problems.length) {
              for (const p of plan.problems) reject([p]);
              return;
            }
            continue;
          }
          summary.rowsRead += 1;
          if (summary.rowsRead % 50_000 === 0) o.onProgress?.(summary.rowsRead);
          const parsed = parseRow(cells, line, plan, identityKey);
          if ('problems' in parsed) {
            reject(parsed.problems);
            continue;
          }
          summary.maskedCells += parsed.masked;
          // Valid rows still go to staging after a bad one (for the duplicate check); it is rolled back.
          chunk += copyLine(parsed.row, line);
          if (chunk.length >= COPY_CHUNK_CHARS) {
            yield chunk;
            chunk = '';
          }
        }
        if (chunk) yield chunk;
        if (!plan) reject([{ line: 1, column: '(文件)', reason: '文件为空' }]);
        else if (summary.rowsRead === 0) reject([{ line: 2, column: '(文件)', reason: '文件只有表头，没有案件数据' }]);
      })(),
    );
    await pipeline(lines, copy);
    const duplicates = (
      await client.query<RowProblem & { total: number }>(
        `WITH duplicated AS (SELECT case_no, min(line) AS first FROM case_staging GROUP BY case_no HAVING count(*) > 1)
         SELECT s.line, '案号' AS column, '案号在文件中重复：' || s.case_no AS reason, count(*) OVER ()::int AS total
         FROM case_staging s JOIN duplicated d ON d.case_no = s.case_no AND s.line > d.first
         ORDER BY s.line LIMIT ${MAX_PROBLEMS}`,
      )
    ).rows;
    if (duplicates.length) {
      summary.rejected += duplicates[0]!.total;
      summary.problems = [...summary.problems, ...duplicates.map(({ line, column, reason }) => ({ line, column, reason }))].sort((a, b) => a.line - b.line).slice(0, MAX_PROBLEMS);
    }
    summary.sha256 = hash.digest('hex');
    summary.encoding = encoding;
    if (summary.rejected > 0) {
      await client.query('ROLLBACK');
      return summary;
    }
    const [file] = (
      await client.query<{ id: string }>(
        `INSERT INTO import_file (kind, file_name, sha256, encoding, rows_read, rows_inserted, rows_updated, rows_unchanged, masked_cells, dropped_columns, imported_by)
         VALUES ('case_record', $1, $2, $3, $4, 0, 0, 0, $5, $6, $7) RETURNING id`,
        [o.fileName, summary.sha256, summary.encoding, summary.rowsRead, summary.maskedCells, summary.droppedColumns, o.actor.id],
      )
    ).rows;
    // One import merges at a time (readers are not blocked): the inserts below check for existing
    // 案号 themselves instead of paying ON CONFLICT's speculative insertion on every row.
    await client.query('LOCK TABLE case_record IN SHARE ROW EXCLUSIVE MODE');
    await client.query('ANALYZE case_staging');
    // Counted in SQL: one row back to Node, not one per case (memory stays flat as files grow).
    const [merged] = (
      await client.query<{ inserted: number; updated: number }>(
        `WITH updated AS (
           UPDATE case_record c SET ${keys.filter((k) => k !== 'case_no').map((k) => `${k} = s.${k}`).join(', ')}, import_file_id = $1, updated_at = now()
           FROM case_staging s
           WHERE c.case_no = s.case_no AND c.row_hash <> s.row_hash
           RETURNING 1
         ), inserted AS (
           INSERT INTO case_record (${keys.join(', ')}, import_file_id)
           SELECT ${keys.map((k) => `s.${k}`).join(', ')}, $1 FROM case_staging s
           WHERE NOT EXISTS (SELECT 1 FROM case_record c WHERE c.case_no = s.case_no)
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM inserted)::int AS inserted, (SELECT count(*) FROM updated)::int AS updated`,
        [file!.id],
      )
    ).rows;
    summary.inserted = merged!.inserted;
    summary.updated = merged!.updated;
    summary.unchanged = summary.rowsRead - merged!.inserted - merged!.updated;
    summary.fileId = file!.id;
    await client.query(`UPDATE import_file SET rows_inserted = $2, rows_updated = $3, rows_unchanged = $4 WHERE id = $1`, [file!.id, summary.inserted, summary.updated, summary.unchanged]);
    await client.query('COMMIT');
    await writeAudit(db, o.actor, { action: 'case_import', entityType: 'import_file', entityId: file!.id, after: { ...summary, problems: undefined }, sha256: summary.sha256 });
    return summary;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
