import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { caseColumns, identityColumns, townshipIds, type Column } from '../../src/domain/cases/columns.ts';
import { CauseCatalogue, seedCauseEntries } from '../../src/domain/cases/cause-catalogue.ts';
import { systemActor } from '../../src/services/actor.ts';
import type { Encoding, ImportFormat, ImportSummary } from '../../src/services/imports/case-import.ts';
import { createImportService, type ImportService } from '../../src/services/imports/index.ts';
import { ValidationError } from '../../src/shared/errors.ts';
import { uniqueSerialPrefix } from '../support/case-numbers.ts';
import { openTestDatabase } from '../support/database.ts';

/**
 * Fuzzes the case importer (issue 8): arbitrary bytes, arbitrary JSON and mutations of valid
 * exports — broken quotes, impossible dates, out-of-range numbers, huge cells, control characters,
 * odd encodings, unknown and duplicate headers — as CSV, JSON and XLSX. Every file is either
 * imported whole or refused with a ValidationError whose Chinese reasons name the line and column,
 * and a refused file leaves the case tables byte for byte as they were.
 */

interface Sheet {
  headers: string[];
  rows: string[][];
}

/** A change to a valid sheet; `refusedIn` lists the formats in which the changed file must be refused. */
interface Mutation {
  name: string;
  refusedIn: readonly ImportFormat[];
  apply(sheet: Sheet): Sheet;
}

/** A change to the bytes of a serialised file: after one, nothing can be said in advance. */
interface ByteMutation {
  name: string;
  apply(bytes: Buffer): Buffer;
}

interface Upload {
  format: ImportFormat;
  bytes: Buffer;
  /** Declared encoding of a CSV file (the importer detects it when absent). */
  declared?: Encoding;
  /** Offsets at which the bytes arrive in separate chunks (a multi-byte character may be cut). */
  cuts: number[];
  /** What the importer must do with it: an untouched valid export is imported, a refusing mutation refused. */
  expected: Expectation;
}

type Expectation = 'imported' | 'refused' | 'either';

const ALL: readonly ImportFormat[] = ['csv', 'json', 'xlsx'];
const required = caseColumns.filter((c) => c.required);
const optional = caseColumns.filter((c) => !c.required);
const column = (key: string): Column => caseColumns.find((c) => c.key === key)!;

/** Whether the importer would take a header as a column it knows (case or identity column). */
function knownHeader(header: string): boolean {
  const name = header.replace(/^\uFEFF/, '').trim();
  return caseColumns.some((c) => c.zh === name || c.key === name) || Object.hasOwn(identityColumns, name);
}

const isoDay = (fromYear: number, toYear: number) =>
  fc
    .date({ min: new Date(Date.UTC(fromYear, 0, 1)), max: new Date(Date.UTC(toYear, 11, 31)), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
const plainText = fc.oneof(
  fc.constantFrom('唐河县人民法院', '民间借贷纠纷', '判决', '调解', '唐河县自然资源局', '系列-01'),
  fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== ''),
);

const seedCatalogue = new CauseCatalogue(seedCauseEntries());
/** The seeded causes a case of a type may have. */
const causesFor = (caseType: string) => seedCauseEntries().flatMap(([c]) => (seedCatalogue.refusal(c, caseType) ? [] : [c]));

/**
 * A valid cell of a column (the 案由 is set with the row's case type, validSheet); filing dates end before any closing or deadline date begins. The years lie
 * before the county data of the other tests (2022–2025), so the cases imported here never change their indicators.
 */
function validCell(c: Column, caseNo: string): fc.Arbitrary<string> {
  switch (c.type) {
    case 'text':
      // The case number's type code is the 类型代字 column's (issue 17 rule 3).
      if (c.key === 'case_no') return fc.constant(caseNo);
      if (c.key === 'type_code') return fc.constant('民初');
      // Columns with a form (issue 17 rule 5) take a value of that form; the rest any text.
      if (c.key === 'court') return fc.constantFrom('唐河县人民法院', '唐河县人民法院源潭人民法庭');
      if (c.key === 'defendant_agency') return fc.constantFrom('唐河县自然资源局', '唐河县人民政府');
      if (c.key === 'defendant_key') return fc.constantFrom('dk-a00011234', '唐河县某某置业有限公司');
      if (c.key === 'related_case_no') return fc.constant('（1992）豫1328民初1号');
      return plainText;
    case 'enum':
      return fc.constantFrom(...c.values!);
    case 'multi':
      return fc.subarray([...c.values!], { minLength: 1 }).map((v) => v.join('|'));
    case 'date':
      // Filed in the case number's year (issue 17 rule 3).
      return c.key === 'filing_date' ? isoDay(1993, 1993) : isoDay(1994, 1996);
    case 'int':
      return fc.integer({ min: c.min ?? 0, max: 500 }).map(String);
    case 'year':
      return fc.integer({ min: 2000, max: 2100 }).map(String);
    case 'month':
      return fc.tuple(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`);
    case 'decimal':
      return fc.tuple(fc.nat(10_000_000), fc.nat(99)).map(([yuan, fen]) => `${yuan}.${String(fen).padStart(2, '0')}`);
    case 'bool':
      return fc.constantFrom('是', '否', 'true', 'false', '1', '0');
    case 'township':
      return fc.constantFrom(...townshipIds.keys());
  }
}

/** A valid export: every required column, some optional ones, Chinese or English headers, maybe identity columns. */
function validSheet(run: string): fc.Arbitrary<Sheet> {
  return fc
    .record({ extra: fc.shuffledSubarray(optional), english: fc.boolean(), identity: fc.boolean(), rows: fc.integer({ min: 1, max: 5 }) })
    .chain(({ extra, english, identity, rows }) => {
      const columns = [...required, ...extra];
      const headers = [...columns.map((c) => (english ? c.key : c.zh)), ...(identity ? ['被告姓名', '被告身份证号'] : [])];
      const identityCells = identity ? [fc.constantFrom('张三', '李 四'), fc.constant('41132819900101123X')] : [];
      const caseType = columns.findIndex((c) => c.key === 'case_type');
      const cause = columns.findIndex((c) => c.key === 'cause');
      // 案由 comes from the catalogue, of the case type's kind (issue 17 rule 5): picked once the row's case type is known.
      const row = (n: number) =>
        fc.tuple(fc.tuple(...columns.map((c) => validCell(c, `（1993）豫1328民初${run}${n}号`)), ...identityCells), fc.nat()).map(([cells, pick]) => {
          const listed = causesFor(cells[caseType]!);
          cells[cause] = listed[pick % listed.length]!;
          return cells;
        });
      return fc.tuple(...Array.from({ length: rows }, (_, n) => row(n))).map((cells) => ({ headers, rows: cells }));
    });
}

/** A row padded or cut to a width, so a cell appended after it lands under its header. */
const fit = (row: string[], width: number) => [...row.slice(0, width), ...Array<string>(Math.max(0, width - row.length)).fill('')];

/** The position of a column's header (Chinese or English); a missing column is appended with empty cells. */
function withColumn(sheet: Sheet, key: string): { sheet: Sheet; at: number } {
  const c = column(key);
  const at = sheet.headers.findIndex((h) => h === c.zh || h === c.key);
  if (at >= 0) return { sheet, at };
  return { sheet: { headers: [...sheet.headers, c.zh], rows: sheet.rows.map((r) => [...fit(r, sheet.headers.length), '']) }, at: sheet.headers.length };
}

function setCell(sheet: Sheet, row: number, key: string, value: string | ((old: string) => string)): Sheet {
  const { sheet: s, at } = withColumn(sheet, key);
  const target = row % s.rows.length;
  return {
    headers: s.headers,
    rows: s.rows.map((r, i) => {
      if (i !== target) return r;
      // A row cut short by an earlier change is padded, so the cell is really set.
      const padded = [...r, ...Array<string>(Math.max(0, at + 1 - r.length)).fill('')];
      padded[at] = typeof value === 'string' ? value : value(padded[at]!);
      return padded;
    }),
  };
}

const refusing: fc.Arbitrary<Mutation>[] = [
  fc
    .tuple(fc.nat(), fc.constantFrom('2023-02-30', '2023/01/01', '20230101', '2023-1-1', '0000-00-00', '9999-99-99', '２０２３-０１-０１', '2023-01-01T08:00:00Z', '昨天'))
    .map(([row, bad]) => ({ name: `filing date ${bad}`, refusedIn: ALL, apply: (s: Sheet) => setCell(s, row, 'filing_date', bad) })),
  fc
    .tuple(fc.nat(), fc.constantFrom('北京市', '源潭', 'town-nowhere', '源潭镇 县外'))
    .map(([row, bad]) => ({ name: `township ${bad}`, refusedIn: ALL, apply: (s: Sheet) => setCell(s, row, 'township', bad) })),
  fc
    .tuple(fc.nat(), fc.constantFrom('-5', '1e5', '12.345', '１２', 'NaN', '12345678901234567.00', '99999999999999999999', '100000000000000'))
    .map(([row, bad]) => ({ name: `claim amount ${bad}`, refusedIn: ALL, apply: (s: Sheet) => setCell(s, row, 'claim_amount', bad) })),
  fc
    .tuple(fc.nat(), fc.constantFrom('-1', '2.5', '2147483648', '99999999999', '9'.repeat(40)))
    .map(([row, bad]) => ({ name: `party count ${bad}`, refusedIn: ALL, apply: (s: Sheet) => setCell(s, row, 'party_count', bad) })),
  fc.nat().map((row) => ({
    name: 'closing before filing',
    refusedIn: ALL,
    apply: (s: Sheet) => setCell(setCell(s, row, 'filing_date', '1993-06-01'), row, 'closing_date', '1993-05-31'),
  })),
  fc
    .tuple(fc.nat(), fc.constantFrom(...required.map((c) => c.key)), fc.constantFrom('', '   '))
    .map(([row, key, blank]) => ({ name: `blank ${key}`, refusedIn: ALL, apply: (s: Sheet) => setCell(s, row, key, blank) })),
  fc.constant({ name: 'case number twice', refusedIn: ALL, apply: (s: Sheet) => ({ headers: s.headers, rows: [...s.rows, s.rows[0]!] }) }),
  fc
    .tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '案件原因', '备注', 'Case No'), fc.string({ unit: 'grapheme', maxLength: 20 })), fc.string())
    .filter(([header]) => !knownHeader(header))
    .map(([header, cell]) => ({
      name: `unknown header ${JSON.stringify(header)}`,
      // A workbook stores no empty cell: an empty header is no header cell there, and the cells under it are cells past
      // the header's end, which every format ignores (see "row long" below). Found in CI (seed 2010161360, cell " ").
      refusedIn: header === '' ? (['csv', 'json'] as const) : ALL,
      apply: (s: Sheet) => ({ headers: [...s.headers, header], rows: s.rows.map((r) => [...fit(r, s.headers.length), cell]) }),
    })),
  // JSON objects cannot hold a key twice: only the tabular formats can repeat a header.
  fc.constantFrom(...required).map((c) => ({
    name: `header ${c.zh} twice`,
    refusedIn: ['csv', 'xlsx'] as const,
    apply: (s: Sheet) => {
      const { sheet, at } = withColumn(s, c.key);
      return { headers: [...sheet.headers, sheet.headers[at]!], rows: sheet.rows.map((r) => [...r, r[at] ?? '']) };
    },
  })),
  fc.constantFrom(...required).map((c) => ({
    name: `column ${c.zh} missing`,
    refusedIn: ALL,
    apply: (s: Sheet) => {
      // Every column of the key goes: removing only the first of a header written twice would repair that refusal.
      const gone = new Set(s.headers.flatMap((h, i) => (h === c.zh || h === c.key ? [i] : [])));
      return { headers: s.headers.filter((_, i) => !gone.has(i)), rows: s.rows.map((r) => r.filter((_, i) => !gone.has(i))) };
    },
  })),
  // XML cannot carry a NUL: what the XLSX writer makes of one is its own business.
  fc.tuple(fc.nat(), fc.nat()).map(([row, at]) => ({
    name: 'NUL in a text cell',
    refusedIn: ['csv', 'json'] as const,
    apply: (s: Sheet) => setCell(s, row, 'series_id', (old) => `${old.slice(0, at % (old.length + 1))}\0${old.slice(at % (old.length + 1))}`),
  })),
  fc
    .tuple(fc.nat(), fc.constantFrom('借钱不还', '张三', '民间借贷', '民间借贷纠纷（二审）', 'SELECT 1'))
    .map(([row, bad]) => ({ name: `cause ${bad} outside the catalogue`, refusedIn: ALL, apply: (s: Sheet) => setCell(s, row, 'cause', bad) })),
  fc
    .tuple(fc.nat(), fc.oneof(fc.integer({ min: 3_000, max: 20_000 }).map((n) => 'x'.repeat(n)), fc.string({ unit: 'grapheme', minLength: 3_000, maxLength: 4_000 })))
    .map(([row, caseNo]) => ({ name: `case number of ${caseNo.length} characters`, refusedIn: ALL, apply: (s: Sheet) => setCell(s, row, 'case_no', caseNo) })),
];

const neutral: fc.Arbitrary<Mutation>[] = [
  fc
    .tuple(fc.nat(), fc.constantFrom('\u0001', '\u2028', '\uFEFF', '\u200B', '\t', '\r\n', '"', '""', ','), fc.nat())
    .map(([row, char, at]) => ({
      name: `${JSON.stringify(char)} in a text cell`,
      refusedIn: [],
      apply: (s: Sheet) => setCell(s, row, 'series_id', (old) => `${old.slice(0, at % (old.length + 1))}${char}${old.slice(at % (old.length + 1))}`),
    })),
  fc
    .tuple(fc.nat(), fc.integer({ min: 10_000, max: 300_000 }), fc.string({ minLength: 1, maxLength: 3 }))
    .map(([row, n, unit]) => ({ name: `series id of ${n} characters`, refusedIn: [], apply: (s: Sheet) => setCell(s, row, 'series_id', unit.repeat(n).slice(0, n)) })),
  fc
    .tuple(fc.nat(), fc.constantFrom(...caseColumns.map((c) => c.key)), fc.string({ unit: 'binary', maxLength: 30 }))
    .map(([row, key, value]) => ({ name: `${key} = ${JSON.stringify(value)}`, refusedIn: [], apply: (s: Sheet) => setCell(s, row, key, value) })),
  fc.tuple(fc.nat(), fc.integer({ min: -3, max: 3 })).map(([row, by]) => ({
    name: `row ${by < 0 ? 'short' : 'long'} by ${Math.abs(by)} cells`,
    refusedIn: [],
    apply: (s: Sheet) => ({
      headers: s.headers,
      rows: s.rows.map((r, i) => (i === row % s.rows.length ? (by < 0 ? r.slice(0, by) : [...r, ...Array<string>(by).fill('多余')]) : r)),
    }),
  })),
  fc.constant({ name: 'empty rows', refusedIn: [], apply: (s: Sheet) => ({ headers: s.headers, rows: [...s.rows, [], ['']] }) }),
];

const byteMutations: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, value]) => ({
    name: `byte ${value} at ${at}`,
    apply: (b: Buffer) => (b.length ? Buffer.concat([b.subarray(0, at % b.length), Buffer.from([value]), b.subarray((at % b.length) + 1)]) : b),
  })),
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([at, bytes]) => ({
    name: `bytes ${Buffer.from(bytes).toString('hex')} inserted at ${at}`,
    apply: (b: Buffer) => Buffer.concat([b.subarray(0, at % (b.length + 1)), bytes, b.subarray(at % (b.length + 1))]),
  })),
  fc.tuple(fc.nat(), fc.constantFrom('"', '""', '\r', '\n', ',', '\\', '\0')).map(([at, text]) => ({
    name: `${JSON.stringify(text)} inserted at ${at}`,
    apply: (b: Buffer) => Buffer.concat([b.subarray(0, at % (b.length + 1)), Buffer.from(text), b.subarray(at % (b.length + 1))]),
  })),
  fc.nat().map((at) => ({ name: `cut at ${at}`, apply: (b: Buffer) => b.subarray(0, at % (b.length + 1)) })),
);

/** A valid sheet, the changes to make to it and the chunks its bytes arrive in. */
function mutatedSheet(run: string) {
  return fc.record({
    sheet: validSheet(run),
    neutral: fc.array(fc.oneof(...neutral), { maxLength: 2 }),
    refusing: fc.array(fc.oneof(...refusing), { maxLength: 2 }),
    bytes: fc.array(byteMutations, { maxLength: 2 }),
    cuts: fc.array(fc.nat(), { maxLength: 3 }),
  });
}
type Mutated = ReturnType<typeof mutatedSheet> extends fc.Arbitrary<infer T> ? T : never;

/** Neutral changes first and refusing ones after, so a later change never repairs an earlier refusal. */
const changedSheet = (m: Mutated) => [...m.neutral, ...m.refusing].reduce((s, x) => x.apply(s), m.sheet);
const changedBytes = (m: Mutated, bytes: Buffer) => m.bytes.reduce<Buffer>((b, x) => x.apply(b), bytes);

/** What must happen to a mutated sheet's file when its text reaches the importer as written. */
function expectation(m: Mutated, format: ImportFormat, textIntact: boolean): Expectation {
  if (!textIntact || m.bytes.length > 0) return 'either';
  if (m.refusing.some((x) => x.refusedIn.includes(format))) return 'refused';
  return m.neutral.length === 0 && m.refusing.length === 0 ? 'imported' : 'either';
}

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function csvUpload(run: string): fc.Arbitrary<Upload> {
  const arbitraryBytes = fc
    .record({ bytes: fc.uint8Array({ maxLength: 2_048 }), declared: fc.constantFrom(undefined, 'utf-8', 'gb18030'), cuts: fc.array(fc.nat(), { maxLength: 3 }) })
    .map(({ bytes, declared, cuts }): Upload => ({ format: 'csv', bytes: Buffer.from(bytes), declared, cuts, expected: 'either' }));
  const nearValid = fc
    .record({
      m: mutatedSheet(run),
      eol: fc.constantFrom('\n', '\r\n'),
      bom: fc.boolean(),
      encoding: fc.constantFrom('utf-8', 'gb18030', 'utf-16le'),
      declared: fc.constantFrom(undefined, 'utf-8', 'gb18030'),
    })
    .map(({ m, eol, bom, encoding, declared }): Upload => {
      const sheet = changedSheet(m);
      const text = [sheet.headers, ...sheet.rows].map((r) => r.map(csvCell).join(',')).join(eol);
      const encoded = encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding, { addBOM: encoding === 'utf-16le' });
      const bytes = changedBytes(m, bom && encoding === 'utf-8' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), encoded]) : encoded);
      // A wrong declared encoding or a UTF-16 file garbles the text; an undeclared GBK file is told from its first chunk only.
      const textIntact = encoding !== 'utf-16le' && (declared === undefined ? encoding === 'utf-8' || m.cuts.length === 0 : declared === encoding);
      return { format: 'csv', bytes, declared, cuts: m.cuts, expected: expectation(m, 'csv', textIntact) };
    });
  return fc.oneof({ weight: 1, arbitrary: arbitraryBytes }, { weight: 5, arbitrary: nearValid });
}

/**
 * A JSON object of a row (own keys, even `__proto__`); sometimes multi-value cells as arrays and counts as numbers.
 * A header written twice keeps its first cell, the one a mutation changes: the last one would repair a refusal
 * (found in CI, seed -1340109873: 立案日期 twice, then an impossible date in the first).
 */
function jsonRow(headers: string[], row: string[], typed: boolean): Record<string, unknown> {
  return Object.fromEntries(
    headers.flatMap((h, i) => (headers.indexOf(h) === i ? [[h, i] as const] : [])).map(([h, i]) => {
      const cell = row[i] ?? '';
      const c = caseColumns.find((x) => x.zh === h || x.key === h);
      if (typed && c?.type === 'multi') return [h, cell.split('|')];
      if (typed && c?.type === 'int' && /^\d{1,9}$/.test(cell)) return [h, Number(cell)];
      return [h, cell];
    }),
  );
}

function jsonUpload(run: string): fc.Arbitrary<Upload> {
  const arbitraryJson = fc
    .oneof(fc.jsonValue(), fc.array(fc.dictionary(fc.constantFrom(...caseColumns.map((c) => c.zh), '__proto__', 'constructor'), fc.jsonValue({ maxDepth: 2 }))))
    .map((value): Upload => ({ format: 'json', bytes: Buffer.from(JSON.stringify(value)), cuts: [], expected: 'either' }));
  const arbitraryBytes = fc.uint8Array({ maxLength: 2_048 }).map((bytes): Upload => ({ format: 'json', bytes: Buffer.from(bytes), cuts: [], expected: 'either' }));
  const nearValid = fc.record({ m: mutatedSheet(run), typed: fc.boolean(), bom: fc.boolean() }).map(({ m, typed, bom }): Upload => {
    const sheet = changedSheet(m);
    const text = JSON.stringify(sheet.rows.map((r) => jsonRow(sheet.headers, r, typed)));
    const bytes = changedBytes(m, Buffer.from(`${bom ? '\uFEFF' : ''}${text}`, 'utf8'));
    return { format: 'json', bytes, cuts: m.cuts, expected: expectation(m, 'json', true) };
  });
  return fc.oneof({ weight: 1, arbitrary: arbitraryJson }, { weight: 1, arbitrary: arbitraryBytes }, { weight: 4, arbitrary: nearValid });
}

async function xlsxBytes(sheet: Sheet): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const ws = book.addWorksheet('案件');
  for (const row of [sheet.headers, ...sheet.rows]) ws.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** XLSX uploads are built in the property (the writer is asynchronous): the sheet and its changes are generated here. */
function xlsxCase(run: string) {
  return fc.oneof(
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2_048 }).map((bytes) => ({ raw: Buffer.from(bytes) })) },
    { weight: 5, arbitrary: mutatedSheet(run).map((m) => ({ m })) },
  );
}

describe('case import fuzz', () => {
  let db: DataSource;
  let imports: ImportService;
  const run = uniqueSerialPrefix();

  beforeAll(async () => {
    db = await openTestDatabase();
    imports = createImportService({ db, config: loadConfig({ NODE_ENV: 'test', PERSONAL_DATA_HMAC_KEY: 'fuzz-hmac-key-0123456789abcdef' }) });
  });
  afterAll(async () => {
    await db?.destroy();
  });

  /** The next transaction id: a row whose xmin is at least this was inserted or updated afterwards. */
  const mark = async () => Number((await db.query<{ xid: string }[]>(`SELECT (pg_snapshot_xmax(pg_current_snapshot())::text::bigint % 4294967296) AS xid`))[0]!.xid);

  /**
   * The rows an import writes: their count, and those inserted or updated since a mark. The same count and no
   * new row version means a table is unchanged byte for byte (any change writes a new version), for one scan
   * instead of a checksum over every stored case. Of the audit log only the imports' own rows: the engine and
   * test systems of earlier files may still write rows of their own while this file runs.
   */
  const written = { case_record: 'true', import_file: 'true', audit_log: `action = 'case_import'` };
  const tally = async (since: number) =>
    Object.fromEntries(
      (
        await db.query<{ t: string; n: number; fresh: number }[]>(
          Object.entries(written)
            .map(([t, where]) => `SELECT '${t}' AS t, count(*)::int AS n, (count(*) FILTER (WHERE xmin::text::bigint >= $1))::int AS fresh FROM ${t} WHERE ${where}`)
            .join(' UNION ALL '),
          [since],
        )
      ).map((r) => [r.t, { rows: r.n, written: r.fresh }]),
    );

  /** The tables as they stand, while no import has been accepted since they were counted. */
  let known: Awaited<ReturnType<typeof tally>> | undefined;

  const pieces = (bytes: Buffer, cuts: number[]) => {
    const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
    return [0, ...at].map((from, i) => bytes.subarray(from, at[i] ?? bytes.length));
  };

  /** The property of every upload: imported whole, or refused in Chinese by line and column with nothing written. */
  async function check(upload: Upload): Promise<void> {
    const since = await mark();
    // Only an accepted import changes the counts: after a refusal the last tally still holds.
    const before = (known ??= await tally(since));
    known = undefined;
    let outcome: ImportSummary | ValidationError;
    try {
      outcome = await imports.importCases(systemActor, Readable.from(pieces(upload.bytes, upload.cuts)), {
        fileName: `fuzz.${upload.format}`,
        format: upload.format,
        encoding: upload.declared,
      });
    } catch (error) {
      // Anything but the project's validation error is a crash of the importer.
      if (!(error instanceof ValidationError)) throw error;
      outcome = error;
    }
    const after = await tally(since);
    if (outcome instanceof ValidationError) {
      known = after;
      expect(outcome.problems.length).toBeGreaterThan(0);
      for (const p of outcome.problems) {
        expect(p.reason).toMatch(/[\u4e00-\u9fff]/);
        // A row's problem names its line and column; a whole-file problem (encoding, format, the count) names the file.
        expect(p.field).toMatch(/^(第\d+行(·[\s\S]*)?|\(文件\)|encoding|file)$/);
      }
      expect(after).toEqual(before);
      expect(upload.expected, 'a valid export was refused').not.toBe('imported');
    } else {
      expect(upload.expected, 'a file that must be refused was imported').not.toBe('refused');
      expect(outcome.rejected).toBe(0);
      expect(outcome.inserted + outcome.updated + outcome.unchanged).toBe(outcome.rowsRead);
      expect(after.import_file!.rows).toBe(before.import_file!.rows + 1);
    }
  }

  // 150 uploads take 3 s on a quiet machine; CI beside other projects on 2 cores has taken past a minute, and a
  // property vitest gave up on keeps importing while the next test counts rows.
  it('when a CSV file is random bytes or a mutated export, then it is imported whole or refused by line and column with nothing written', async () => {
    await fc.assert(fc.asyncProperty(csvUpload(run), check), { numRuns: 150 });
  }, 300_000);

  it('when a JSON file is any JSON, random bytes or a mutated export, then it is imported whole or refused by line and column with nothing written', async () => {
    await fc.assert(fc.asyncProperty(jsonUpload(run), check), { numRuns: 150 });
  }, 300_000);

  // Writing 100 workbooks is CPU work: 11 s on a quiet machine, past a minute beside the other projects on 2 cores.
  it('when an XLSX file is random bytes or a mutated workbook, then it is imported whole or refused by line and column with nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(xlsxCase(run), async (c) => {
        if ('raw' in c) return check({ format: 'xlsx', bytes: c.raw, cuts: [], expected: 'either' });
        const bytes = changedBytes(c.m, await xlsxBytes(changedSheet(c.m)));
        return check({ format: 'xlsx', bytes, cuts: c.m.cuts, expected: expectation(c.m, 'xlsx', true) });
      }),
      { numRuns: 100, timeout: 15_000 },
    );
  }, 240_000);
});

/**
 * Fuzzes the side-table importer the same way: sheets of population or 信访/舆情 rows with good and
 * bad cells (years and months of this test's own 2090s, so valid rows never touch the county data
 * of other tests), as CSV or JSON, whole or cut into pieces. Imported whole, or refused with
 * Chinese reasons naming line and column and the side table unchanged.
 */
describe('side-table import fuzz', () => {
  let db: DataSource;
  let imports: ImportService;
  const townships = [...townshipIds.keys()].filter((t) => !t.startsWith('town-')).slice(0, 6);

  beforeAll(async () => {
    db = await openTestDatabase();
    imports = createImportService({ db, config: loadConfig({ NODE_ENV: 'test' }) });
  });
  afterAll(async () => {
    await db?.destroy();
  });

  const anyCell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', '0', '-3', '1e3', '2099-13', '2099-00', '北京市', '"', '\u0000', '9999999999'));
  const upload = fc.record({
    table: fc.constantFrom('population' as const, 'signals' as const),
    json: fc.boolean(),
    rows: fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...townships), anyCell),
        fc.oneof(fc.integer({ min: 2090, max: 2099 }), anyCell),
        fc.oneof(fc.integer({ min: 1, max: 12 }), anyCell),
        fc.oneof(fc.nat(200_000).map(String), anyCell),
        fc.oneof(fc.nat(50).map(String), anyCell),
      ),
      { maxLength: 12 },
    ),
    cut: fc.nat(400),
  });

  const state = async () =>
    db.query<{ n: number; sum: string }[]>(
      `SELECT (SELECT count(*) FROM township_population WHERE year >= 2090)::int + (SELECT count(*) FROM township_signal WHERE month >= '2090-01-01')::int AS n,
              (SELECT coalesce(sum(resident_population), 0) FROM township_population WHERE year >= 2090)::text || '/' ||
              (SELECT coalesce(sum(petition_count + public_opinion_count), 0) FROM township_signal WHERE month >= '2090-01-01')::text AS sum`,
    );

  it('when a population or signals file has random cells, then it is imported whole or refused by line and column with nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(upload, async (u) => {
        const headers = u.table === 'population' ? ['乡镇', '年度', '常住人口', '登记流动人口'] : ['township', 'month', 'petition_count', 'public_opinion_count'];
        const cells = u.rows.map(([town, year, month, a, b]) => (u.table === 'population' ? [town, String(year), a, b] : [town, typeof year === 'number' && typeof month === 'number' ? `${year}-${month}` : String(month), a, b]));
        const bytes = u.json
          ? Buffer.from(JSON.stringify(cells.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i]])))))
          : Buffer.from([headers, ...cells].map((r) => r.map((c) => `"${String(c).replace(/"/g, '""')}"`).join(',')).join('\n'));
        const before = await state();
        const at = u.cut % (bytes.length + 1);
        try {
          const summary = await imports.importSideTable(systemActor, u.table, Readable.from([bytes.subarray(0, at), bytes.subarray(at)]), { fileName: `fuzz.${u.json ? 'json' : 'csv'}`, format: u.json ? 'json' : 'csv' });
          expect(summary.rejected).toBe(0);
          expect(summary.inserted + summary.updated + summary.unchanged).toBe(summary.rowsRead);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          for (const p of error.problems) {
            expect(p.reason).toMatch(/[\u4e00-\u9fff]/);
            expect(p.field).toMatch(/^(第\d+行(·[\s\S]*)?|\(文件\)|encoding|file)$/);
          }
          expect(await state()).toEqual(before);
        }
      }),
      {
        numRuns: 120,
        // Found in CI (seed -1946441626): a NUL in a refused cell's message could not be recorded as a refusal (jsonb).
        examples: [[{ table: 'population', json: false, rows: [['\u0000', '', 1, '0', '0']], cut: 0 }]],
      },
    );
  }, 120_000);
});
