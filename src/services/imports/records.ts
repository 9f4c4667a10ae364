import { createHash } from 'node:crypto';
import { pipeline, Readable, Transform } from 'node:stream';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { JSONParser } from '@streamparser/json';
import type { Column } from '../../domain/cases/columns.ts';
import { shownInMessage } from '../../domain/cases/message-values.ts';
import { planHeader, type HeaderPlan, type RowProblem } from '../../domain/cases/rows.ts';
import { ValidationError } from '../../shared/errors.ts';
import { guardedXlsx, xlsxRefusal, type XlsxLimits } from './xlsx-inflate-guard.ts';

/**
 * The records of an uploaded file, header first, as arrays of cell text: CSV decoded as it
 * streams (UTF-8 or GB18030/GBK, detected or declared), XLSX read by the streaming reader, JSON
 * (an array of objects). Every importer reads its files through here.
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

/** Most problems listed; `rejected` counts them all. */
export const MAX_PROBLEMS = 200;

/** How an upload is read: its format, the CSV encoding when declared, how far an XLSX may inflate. */
export interface ReadOptions {
  format: ImportFormat;
  encoding?: Encoding;
  xlsxLimits: XlsxLimits;
}

/**
 * An upload as every importer reads it: its data rows, the summary it fills in, `reject` for a
 * bad row (problems capped), and `finish` once read — the file's SHA-256 is taken on the way
 * through, so the bytes are read once.
 */
export function readUpload(input: Readable, o: ReadOptions) {
  const hash = createHash('sha256');
  const hashed = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  // pipeline, not pipe: it also passes on an error the input met before this call (upload limit).
  pipeline(input, hashed, () => undefined);
  const summary: ImportSummary = {
    fileId: null,
    sha256: '',
    encoding: o.format === 'csv' ? (o.encoding ?? 'utf-8') : o.format,
    rowsRead: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    maskedCells: 0,
    droppedColumns: [],
    problems: [],
  };
  const records = fileRecords(hashed, o, (e) => (summary.encoding = e));
  // CSV bytes are checked as they are decoded, by line; XLSX and JSON text comes from their parsers, checked by cell.
  const decodedInReader = o.format === 'csv';
  const reject = (problems: RowProblem[]) => {
    summary.rejected += 1;
    for (const p of problems) if (summary.problems.length < MAX_PROBLEMS) summary.problems.push(p);
  };
  return {
    summary,
    reject,
    /**
     * The data rows mapped onto a column set, each with its line (counted in `rowsRead`), in
     * batches as the file's text arrives: a step of an async generator per row cost more than
     * parsing the row. A header with problems refuses the file and yields nothing; an empty file
     * or one with only a header is refused once the rows run out (`what` names the data the
     * header promised; `templateLabel` the template its header problems point to).
     */
    async *rows(columnSet: readonly Column[], what: string, templateLabel: string): AsyncGenerator<{ cells: string[]; line: number; plan: HeaderPlan }[]> {
      let line = 0;
      let plan: HeaderPlan | null = null;
      let header: string[] = [];
      for await (const batch of records) {
        const rows: { cells: string[]; line: number; plan: HeaderPlan }[] = [];
        for (const cells of batch) {
          line += 1;
          if (!plan) {
            header = cells;
            plan = planHeader(cells, columnSet, templateLabel);
            summary.droppedColumns = plan.dropped;
            if (plan.problems.length) {
              // One line is wrong, however many of its cells: "共 1 行有误", each problem listed.
              reject(plan.problems);
              return;
            }
            continue;
          }
          summary.rowsRead += 1;
          // XLSX rows may have holes where a sheet has no cell.
          const bad = decodedInReader ? -1 : cells.findIndex((c) => c?.includes('\uFFFD'));
          if (bad >= 0) reject([{ line, column: shownInMessage(plan.columns[bad]?.zh ?? header[bad] ?? `第${bad + 1}列`), reason: UNDECODABLE_CELL }]);
          else rows.push({ cells, line, plan });
        }
        if (rows.length) yield rows;
      }
      if (!plan) reject([{ line: 1, column: '(文件)', reason: '文件为空' }]);
      else if (summary.rowsRead === 0) reject([{ line: 2, column: '(文件)', reason: `文件只有表头，没有${what}` }]);
    },
    finish() {
      summary.sha256 = hash.digest('hex');
    },
  };
}

/** The records of `source` in `o.format`, in batches as they are read; `onEncoding` hears the CSV encoding once it is known. */
export function fileRecords(source: Readable, o: ReadOptions, onEncoding: (e: Encoding) => void): AsyncGenerator<string[][]> {
  return o.format === 'csv' ? csvRecords(source, o.encoding, onEncoding) : o.format === 'xlsx' ? xlsxRecords(source, o.xlsxLimits) : jsonRecords(source);
}

/**
 * Multi-byte characters read as UTF-8 before the first invalid byte that make a file UTF-8 with a
 * bad byte rather than GB18030: GBK text breaks UTF-8 at its first Chinese character or so, while
 * a UTF-8 export has its Chinese header before any corruption.
 */
const UTF8_EVIDENCE_CHARS = 4;

/**
 * Decides the encoding from the first bytes: a UTF-8 BOM, valid UTF-8, or UTF-8 that breaks only
 * after several multi-byte characters means UTF-8 (its bad bytes are then reported as bad UTF-8 by
 * line, not the whole file as bad GB18030); anything else is GB18030 (GBK's superset).
 */
export function detectEncoding(head: Buffer): Encoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  // stream: a multi-byte character cut at the end of the sample is held back, not an error.
  const text = new TextDecoder('utf-8').decode(head, { stream: true });
  const bad = text.indexOf('\uFFFD');
  if (bad < 0) return 'utf-8';
  return (text.slice(0, bad).match(/\P{ASCII}/gu)?.length ?? 0) >= UTF8_EVIDENCE_CHARS ? 'utf-8' : 'gb18030';
}

/** A JSON or XLSX cell that holds U+FFFD: its parser met bytes that are not UTF-8 (or the export had already lost the character). */
const UNDECODABLE_CELL = '含有无法识别的字符（U+FFFD，多为文件不是有效的 UTF-8 编码），请确认导出编码后重新上传';

/** Longest record accepted: a quote left open would otherwise make the rest of the file one field. */
const MAX_RECORD_CHARS = 1024 * 1024;

/** Where the encoding a file was read in came from, as the encoding error tells the uploader. */
const ENCODING_SOURCE = { declared: '编码为上传时所选', detected: '编码由文件开头识别', json: 'JSON 文件应为 UTF-8 编码' } as const;

/**
 * Bytes the file's encoding cannot decode, by the line that holds the first of them: in CSV the
 * line as a text editor counts it, in JSON the element's (line 1 is the header, as in CSV).
 */
const badEncoding = (encoding: Encoding, line: number, source: keyof typeof ENCODING_SOURCE) =>
  new ValidationError([
    {
      field: `第${line}行`,
      reason: `含有不是有效 ${encoding === 'utf-8' ? 'UTF-8' : 'GB18030/GBK'} 编码的字节（${ENCODING_SOURCE[source]}），请确认导出编码后重新上传`,
    },
  ]);

/** Line breaks in `text` before `end`. */
function lineBreaks(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n += 1;
  return n;
}

/**
 * A record past MAX_RECORD_CHARS as a field-length error naming the column that grew (the
 * longest field of the unfinished record), quoted or not: an unquoted cell is as long as a quoted
 * one, and a quote left open is the one case the hint covers.
 */
function oversizedField(line: number, record: string, newline: '\r\n' | '\n', header: readonly string[] | undefined): ValidationError {
  const fields = (Papa.parse<string[]>(record, { delimiter: ',', newline, quoteChar: '"', preview: 1 }).data[0] ?? []).map((f) => f.length);
  const at = fields.indexOf(Math.max(...fields));
  const column = header?.[at]?.replace(/^\uFEFF/, '').trim() || `第${at + 1}列`;
  return new ValidationError([
    {
      field: `第${line}行·${shownInMessage(column)}`,
      reason: `内容过长：超过 ${MAX_RECORD_CHARS} 个字符（若该字段以引号开头，请检查引号是否闭合）`,
    },
  ]);
}

/** A malformed record (a quote left open, text after a closing quote) as the line to correct. */
const csvSyntaxError = (line: number, code: string) =>
  new ValidationError([
    {
      field: `第${line}行`,
      reason: `${code === 'MissingQuotes' ? '引号没有闭合，文件在引号内结束' : code === 'InvalidQuotes' ? '引号后紧跟其他字符（字段内的引号应写成两个双引号）' : 'CSV 格式错误'}，请检查该行`,
    },
  ]);

/** The file's text, decoded as it streams; an undecodable byte stops it with its line. */
async function* decodedText(source: Readable, encoding: Encoding, declared: boolean): AsyncGenerator<string> {
  const from = declared ? 'declared' : 'detected';
  const utf8 = encoding === 'utf-8' ? new TextDecoder('utf-8', { fatal: false }) : null;
  const gb18030 = iconv.getDecoder('gb18030');
  // Both decoders put U+FFFD where bytes do not decode.
  let line = 1;
  const checked = (text: string) => {
    const bad = text.indexOf('\uFFFD');
    if (bad >= 0) throw badEncoding(encoding, line + lineBreaks(text, bad), from);
    line += lineBreaks(text, text.length);
    return text;
  };
  for await (const chunk of source) yield checked(utf8 ? utf8.decode(chunk as Buffer, { stream: true }) : gb18030.write(chunk as Buffer));
  const rest = checked(utf8 ? utf8.decode() : (gb18030.end() ?? ''));
  if (rest) yield rest;
}

/**
 * CSV records with Papa Parse's parser, chunk by chunk as the text streams: each chunk is parsed
 * up to its last complete record and the incomplete rest goes in front of the next one — the
 * way Papa's own streamers drive it, without their unbounded buffering (the file may be
 * gigabytes, and COPY may be slower than parsing). Five times faster than csv-parse here.
 */
async function* csvRecords(source: Readable, declared: Encoding | undefined, onEncoding: (e: Encoding) => void): AsyncGenerator<string[][]> {
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
  let header: string[] | undefined;
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
    // The file's first record is its header: the columns an oversized field is named by.
    if (records === 0) header ??= results.data[0];
    if (pending.length > MAX_RECORD_CHARS) throw oversizedField(records + results.data.length + 1, pending, newline, header);
    records += results.data.length;
    // Empty lines are skipped, as office software writes them at the end.
    return results.data.filter((r) => r.length > 1 || r[0] !== '');
  };
  for await (const text of decodedText(bytes, encoding, declared !== undefined)) yield parseChunk(pending + text, false);
  if (pending) yield parseChunk(pending, true);
}

/**
 * Iterates async iterables until `stream` fails: then the wait for the next item rejects with the
 * stream's error, even while the iterable would wait for ever. Nothing is kept per item (racing
 * each item against one promise that never settles on a clean read keeps every item alive as
 * long as that promise: the whole sheet, row by row).
 */
function untilFails(stream: Readable): <T>(iterable: AsyncIterable<T>) => AsyncGenerator<T> {
  let failure: { error: unknown } | undefined;
  const waiting = new Set<(error: unknown) => void>();
  stream.on('error', (error) => {
    failure ??= { error };
    for (const reject of waiting) reject(error);
  });
  const next = <T>(iterator: AsyncIterator<T>) =>
    new Promise<IteratorResult<T>>((resolve, reject) => {
      if (failure) return reject(failure.error);
      waiting.add(reject);
      void iterator
        .next()
        .then(resolve, reject)
        .finally(() => waiting.delete(reject));
    });
  return async function* <T>(iterable: AsyncIterable<T>) {
    const iterator = iterable[Symbol.asyncIterator]();
    for (let item = await next(iterator); !item.done; item = await next(iterator)) yield item.value;
  };
}

/** The first sheet's rows, read by ExcelJS's streaming reader from the parts the inflate guard lets through. */
async function* xlsxRecords(source: Readable, limits: XlsxLimits): AsyncGenerator<string[][]> {
  const workbook = await guardedXlsx(source, limits);
  try {
    // Loaded by a workbook's first import only: ExcelJS takes about 26 MB of a thread's memory, and a
    // row thread reading CSV (most court exports) never needs it.
    const { default: ExcelJS } = await import('../../shared/exceljs.ts');
    // ExcelJS pipes its input into its unzip, and a pipe does not pass the source's errors on: the reader would wait for
    // ever when the guard stops inflating.
    const unlessRefused = untilFails(workbook.parts);
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(workbook.parts, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit' });
    try {
      for await (const sheet of unlessRefused(reader)) {
        for await (const row of unlessRefused(sheet)) {
          const values = (row.values as unknown[]).slice(1);
          yield [values.map((v) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'object' && 'text' in (v as object) ? String((v as { text: unknown }).text) : String(v)))];
        }
        return;
      }
    } catch (error) {
      if (error instanceof ValidationError) throw error;
      throw xlsxRefusal('不是有效的 XLSX 文件');
    }
    throw xlsxRefusal('不是有效的 XLSX 文件（没有工作表）');
  } finally {
    await workbook.close();
  }
}

const notAnArray = () => new ValidationError([{ field: 'file', reason: 'JSON 文件应为案件对象的数组' }]);
const isUndecodable = (error: Error) => (error as Error & { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA';
const malformedJson = () => new ValidationError([{ field: 'file', reason: 'JSON 格式错误，无法解析' }]);

/**
 * JSON records as the text streams (@streamparser/json emits each element of the top-level array
 * and forgets it): a file of any size is never held whole. The header is the first object's keys;
 * a later object with a key the first lacks is refused by its line (line 1 is the header, as in
 * CSV), since its column would be missing from every row before it.
 */
async function* jsonRecords(source: Readable): AsyncGenerator<string[][]> {
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
  const elements: unknown[] = [];
  let failure: ValidationError | undefined;
  let rootIsArray: boolean | undefined;
  parser.onValue = ({ value, key }) => {
    // The root's children: array elements have an index, an object's members a name.
    if (typeof key === 'string') failure ??= notAnArray();
    else elements.push(value);
  };
  // The parser decodes UTF-8 strictly: bytes it cannot decode lie in the element after those it has emitted.
  parser.onError = (error) => (failure ??= isUndecodable(error) ? badEncoding('utf-8', line + elements.length + 1, 'json') : malformedJson());
  let headers: string[] | undefined;
  let line = 1;
  const record = (element: unknown): string[][] => {
    if (!element || typeof element !== 'object' || Array.isArray(element)) throw notAnArray();
    const object = element as Record<string, unknown>;
    line += 1;
    const out: string[][] = [];
    if (!headers) out.push((headers = Object.keys(object)));
    const extra = Object.keys(object).find((k) => !headers!.includes(k));
    if (extra !== undefined) throw new ValidationError([{ field: `第${line}行·${shownInMessage(extra)}`, reason: '该字段不在第一条记录中：每条记录应使用相同的字段' }]);
    out.push(headers.map((h) => (Object.hasOwn(object, h) ? cellText(object[h]) : '')));
    return out;
  };
  // Bytes before the root's first character (a BOM, whitespace), held until it arrives: a chunk may end inside the BOM.
  let head: Buffer | null = Buffer.alloc(0);
  const feed = (bytes: Buffer) => {
    if (head) {
      head = Buffer.concat([head, bytes]);
      const text = head.toString('latin1');
      const first = text.replace(/^\xef\xbb\xbf/, '').trimStart()[0];
      if (first === undefined || (head.length < 3 && '\xef\xbb'.startsWith(text))) return;
      rootIsArray = first === '[';
      bytes = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
      head = null;
    }
    parser.write(bytes);
  };
  for await (const chunk of source) {
    feed(chunk as Buffer);
    if (failure) throw failure;
    yield elements.splice(0).flatMap(record);
  }
  // The parser ends by itself after the root value; ending it again is an error of its own.
  if (rootIsArray !== undefined && !parser.isEnded) parser.end();
  if (failure) throw failure;
  if (rootIsArray === undefined) throw malformedJson();
  if (!rootIsArray) throw notAnArray();
  yield elements.splice(0).flatMap(record);
}

const cellText = (v: unknown) => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join('|') : String(v));
