import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientBase, Pool, PoolClient } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { CauseKind } from '../../domain/cases/cause-catalogue.ts';
import { freeTextKeys } from '../../domain/cases/columns.ts';
import type { RowProblem } from '../../domain/cases/rows.ts';
import { beijingDay, systemClock } from '../../shared/time.ts';
import type { Actor } from '../actor.ts';
import { writeAudit } from '../audit.ts';
import { caseKeys, type CopyChunk, type CopyTarget } from './case-copy-lines.ts';
import { startCaseRows, type CaseRows } from './case-rows-thread.ts';
import { townshipRowsInsert } from './coverage.ts';
import { MAX_PROBLEMS, type ImportSummary, type ReadOptions } from './records.ts';
import type { XlsxLimits } from './xlsx-inflate-guard.ts';

export type { Encoding, ImportFormat, ImportSummary } from './records.ts';

/**
 * Imports a court export of case records (CSV in UTF-8 or GB18030/GBK, XLSX, or JSON) all or
 * nothing, keyed by 案号, so a re-import changes only what changed. Rows stream through validation
 * and masking (on the row thread, case-rows-thread.ts: this thread only moves bytes) into
 * PostgreSQL by COPY, in one transaction that holds case_record against other
 * writers (readers are not blocked):
 *
 * - a row whose 案号 is neither stored nor seen earlier in the file goes straight into
 *   case_record (one pass in PostgreSQL: a first import of a year's export is almost all such rows);
 * - every other row goes into a temporary staging table and is merged from there (UPDATE when its
 *   hash differs, INSERT when it was not stored after all), and duplicate 案号 are found there in SQL.
 *
 * Which way a row goes is decided by a Bloom filter of the stored and seen 案号: it never misses a
 * key it holds, so a row it calls new is new; a false positive only sends a new row the longer way.
 * The filter costs a read of every stored 案号, so a file too small to pay for it (usesKeyFilter)
 * stages every row. Any bad row rolls everything back and the caller gets every bad row's line,
 * column and reason (capped). Personal data is gone before the first byte reaches PostgreSQL.
 */

/**
 * The Bloom filter of 案号: 8 MiB (see case-rows-thread.entry.ts for its error rates); a false
 * positive only costs the staging path.
 */
const KEY_FILTER_BITS = 64 * 1024 * 1024;

/**
 * When the filter pays: it costs one read of every stored 案号 (about 1 µs each) and saves the
 * staging round of each new row (about ten times that), so it is used when the file may hold at
 * least a tenth as many rows as are stored — a first load or a year's export, not a daily top-up.
 * Rows are estimated from the declared size at 250 bytes each (a court export runs 250–350).
 */
const BYTES_PER_ROW_ESTIMATE = 250;
const usesKeyFilter = (declaredBytes: number | undefined, storedRows: number) => declaredBytes !== undefined && (declaredBytes / BYTES_PER_ROW_ESTIMATE) * 10 >= storedRows;

const COPY_INTO: Record<CopyTarget, string> = {
  // Every row keeps its line in the file (new rows beside their file's id), so a repeated 案号 is reported by all its lines.
  case_record: `COPY case_record (${caseKeys.join(', ')}, import_file_id, import_line) FROM STDIN`,
  case_staging: `COPY case_staging (${caseKeys.join(', ')}, line) FROM STDIN`,
};

/**
 * Writes each chunk into its table, one COPY statement at a time: a run of chunks for one table
 * is one COPY; the next table's chunk ends it and starts the other. A failing source cancels the
 * open COPY (CopyFail) and rejects with the source's error.
 */
async function copyChunks(client: PoolClient, chunks: AsyncIterable<CopyChunk>): Promise<void> {
  const iterator = chunks[Symbol.asyncIterator]();
  let next = await iterator.next();
  while (!next.done) {
    const target = next.value.target;
    const run = async function* () {
      while (!next.done && next.value.target === target) {
        yield next.value.bytes;
        next = await iterator.next();
      }
    };
    await pipeline(Readable.from(run()), client.query(copyFrom(COPY_INTO[target])));
  }
}

/** A stored case row's columns, which its kept versions have too (named: the tables' column orders differ). */
const storedKeys = [...caseKeys, 'row_hash', 'import_file_id', 'import_line', 'updated_at'];

/** Lines of one repeated 案号 a message lists; the count says how many more there are. */
const LISTED_LINES = 10;

interface RepeatedLine {
  line: number;
  case_no: string;
  /** The first LISTED_LINES lines that carry the 案号, and how many carry it. */
  listed: number[];
  count: number;
  /** Lines with a repeated 案号 in the whole file. */
  total: number;
}

/**
 * Every line whose 案号 another line of the file carries too, first MAX_PROBLEMS by line. A
 * staged 案号 is repeated when it is staged twice, or when its first line went straight in as new
 * (`directFileId`: only this file's new rows name this file; their lines are stored beside it).
 */
async function repeatedCaseNumbers(client: PoolClient, directFileId: string | null): Promise<RepeatedLine[]> {
  const direct = directFileId
    ? `UNION ALL SELECT c.case_no, c.import_line FROM (SELECT DISTINCT case_no FROM case_staging) s JOIN case_record c ON c.case_no = s.case_no AND c.import_file_id = $1`
    : '';
  const sql = `WITH occurrences AS (SELECT case_no, line FROM case_staging ${direct}),
     repeated AS (SELECT case_no, array_agg(line ORDER BY line) AS lines FROM occurrences GROUP BY case_no HAVING count(*) > 1)
     SELECT o.line, r.case_no, r.lines[1:${LISTED_LINES}] AS listed, cardinality(r.lines) AS count, count(*) OVER ()::int AS total
     FROM repeated r CROSS JOIN LATERAL unnest(r.lines) AS o(line)
     ORDER BY o.line LIMIT ${MAX_PROBLEMS}`;
  return (await client.query<RepeatedLine>(sql, directFileId ? [directFileId] : [])).rows;
}

/** One line of a repeated 案号, naming every line that carries it (the first ten and the count when there are more). */
function repeatedProblem(r: RepeatedLine): RowProblem {
  const lines = `第${r.listed.join('、')}行`;
  return { line: r.line, column: '案号', reason: `案号在文件中重复：${r.case_no}（${r.count > r.listed.length ? `共 ${r.count} 行，${lines}等` : lines}）` };
}

/**
 * Masks, in the rows this import has written, the free text that holds a name the file gave only
 * in a later row (FileNames.revisions): in the staging table before the merge reads it, and in
 * the rows that went straight into case_record (this file's, by import_file_id — a scan of the
 * table, paid only by a file that needs it). Returns the cells changed.
 */
async function reviseFreeText(client: PoolClient, revisions: { from: string; to: string }[], o: { staged: boolean; directFileId: string | null }): Promise<number> {
  const pairs = [revisions.map((r) => r.from), revisions.map((r) => r.to)];
  let cells = 0;
  for (const key of freeTextKeys) {
    const revised = `FROM unnest($1::text[], $2::text[]) AS r(old, new) WHERE t.${key} = r.old`;
    if (o.staged) cells += (await client.query(`UPDATE case_staging t SET ${key} = r.new ${revised}`, pairs)).rowCount ?? 0;
    if (o.directFileId) cells += (await client.query(`UPDATE case_record t SET ${key} = r.new ${revised} AND t.import_file_id = $3`, [...pairs, o.directFileId])).rowCount ?? 0;
  }
  return cells;
}

export interface ImportOptions extends ReadOptions {
  fileName: string;
  hmacKey: string;
  actor: Actor;
  onProgress?: (rows: number) => void;
  /** Today in Beijing time (YYYY-MM-DD): later filing and closing dates are refused; the system clock's when unset. */
  today?: string;
  /** The file's size when known before reading (upload Content-Length, file size): decides whether the 案号 filter pays. */
  declaredBytes?: number;
  /**
   * Tuning, never the result: 'auto' (default) uses the 案号 filter when `declaredBytes` says it
   * pays; a number forces a filter of that many bits (fewer bits, more rows through staging).
   */
  keyFilter?: 'auto' | number;
}

/** Only the limits cross to the row thread (the options may be the whole configuration, secrets and all). */
export const pickXlsxLimits = ({ XLSX_INFLATE_LIMIT_BYTES, XLSX_ENTRY_LIMIT_BYTES, XLSX_RATIO_LIMIT }: XlsxLimits): XlsxLimits => ({ XLSX_INFLATE_LIMIT_BYTES, XLSX_ENTRY_LIMIT_BYTES, XLSX_RATIO_LIMIT });

/** The 案由 catalogue as the row thread takes it: each cause with its kind. */
export async function catalogueCauses(client: ClientBase): Promise<[string, CauseKind][]> {
  return (await client.query<{ cause: string; kind: CauseKind }>(`SELECT cause, kind FROM cause_catalogue`)).rows.map((r): [string, CauseKind] => [r.cause, r.kind]);
}

export async function importCaseRecords(db: DataSource, input: Readable, o: ImportOptions): Promise<ImportSummary> {
  const pool = (db.driver as PostgresDriver).master as Pool;
  // Known before the first row: new rows carry it as they stream into case_record; its row is written at the end, in the same transaction.
  const fileId = randomUUID();
  const client: PoolClient = await pool.connect();
  let rows: CaseRows | undefined;
  try {
    await client.query('BEGIN');
    // One import writes case_record at a time: the stored 案号 read next stay true until COMMIT.
    await client.query('LOCK TABLE case_record IN SHARE ROW EXCLUSIVE MODE');
    const [stored] = (await client.query<{ n: number }>(`SELECT greatest(reltuples, 0)::float8 AS n FROM pg_class WHERE oid = 'case_record'::regclass`)).rows;
    // Without a filter every row is staged: the merge tells new from stored.
    const keyFilterBits = typeof o.keyFilter === 'number' ? o.keyFilter : usesKeyFilter(o.declaredBytes, stored!.n) ? KEY_FILTER_BITS : 0;
    const causes = await catalogueCauses(client);
    rows = startCaseRows(input, {
      read: { format: o.format, encoding: o.encoding, xlsxLimits: pickXlsxLimits(o.xlsxLimits) },
      hmacKey: o.hmacKey,
      today: o.today ?? beijingDay(systemClock.now()),
      fileId,
      keyFilterBits,
      causes,
    });
    if (keyFilterBits > 0) await rows.addStoredKeys(client.query(copyTo(`COPY (SELECT case_no FROM case_record) TO STDOUT`)));
    // INCLUDING GENERATED: PostgreSQL hashes each staged row (row_hash) as COPY streams it in.
    await client.query(`CREATE TEMP TABLE case_staging (LIKE case_record INCLUDING DEFAULTS INCLUDING GENERATED) ON COMMIT DROP`);
    await client.query(`ALTER TABLE case_staging DROP COLUMN import_file_id, DROP COLUMN import_line, DROP COLUMN updated_at, ADD COLUMN line integer NOT NULL`);
    await copyChunks(client, rows.chunks(o.onProgress));
    const { summary, coverage, staged, direct, revisions } = await rows.result();
    if (staged > 0) {
      const repeated = await repeatedCaseNumbers(client, direct > 0 ? fileId : null);
      if (repeated.length) {
        summary.rejected += repeated[0]!.total;
        summary.problems = [...summary.problems, ...repeated.map(repeatedProblem)].sort((a, b) => a.line - b.line).slice(0, MAX_PROBLEMS);
      }
    }
    if (summary.rejected > 0) {
      await client.query('ROLLBACK');
      return summary;
    }
    if (revisions.length) summary.maskedCells += await reviseFreeText(client, revisions, { staged: staged > 0, directFileId: direct > 0 ? fileId : null });
    let merged = { inserted: 0, updated: 0 };
    if (staged > 0) {
      // Statistics of the columns the merge joins and compares only: the whole row's took twice as
      // long (1 M staged rows: 570 → 289 ms, medians of 5), and no plan reads the others.
      await client.query('ANALYZE case_staging (case_no, line, row_hash)');
      // One narrow join (案号 and row hash) finds the changed and the new staged rows — none in a
      // re-import of the same file — and only those are read whole and written; counted in SQL:
      // one row back to Node, not one per case (memory stays flat as files grow).
      merged = (
        await client.query<{ inserted: number; updated: number }>(
          `WITH changed AS MATERIALIZED (
             SELECT s.line, c.case_no IS NULL AS is_new
             FROM case_staging s LEFT JOIN case_record c ON c.case_no = s.case_no
             WHERE c.case_no IS NULL OR c.row_hash <> s.row_hash
           ), kept AS (
             -- The version a changed row replaces, for the runs that read it (issue 19 point 9); every part of
             -- the statement sees the rows as they were before it.
             INSERT INTO case_record_version (${storedKeys.join(', ')}, replaced_by_file, replaced_at) SELECT ${storedKeys.map((k) => `c.${k}`).join(', ')}, $1, now()
             FROM changed ch JOIN case_staging s ON s.line = ch.line JOIN case_record c ON c.case_no = s.case_no
             WHERE NOT ch.is_new
           ), updated AS (
             UPDATE case_record c SET ${caseKeys.filter((k) => k !== 'case_no').map((k) => `${k} = s.${k}`).join(', ')}, import_file_id = $1, import_line = s.line, updated_at = now()
             FROM changed ch JOIN case_staging s ON s.line = ch.line
             WHERE NOT ch.is_new AND c.case_no = s.case_no
             RETURNING 1
           ), inserted AS (
             INSERT INTO case_record (${caseKeys.join(', ')}, import_file_id, import_line)
             SELECT ${caseKeys.map((k) => `s.${k}`).join(', ')}, $1, s.line FROM changed ch JOIN case_staging s ON s.line = ch.line
             WHERE ch.is_new
             RETURNING 1
           )
           SELECT (SELECT count(*) FROM inserted)::int AS inserted, (SELECT count(*) FROM updated)::int AS updated`,
          [fileId],
        )
      ).rows[0]!;
    }
    summary.inserted = direct + merged.inserted;
    summary.updated = merged.updated;
    summary.unchanged = summary.rowsRead - summary.inserted - summary.updated;
    summary.fileId = fileId;
    await client.query(
      `INSERT INTO import_file (id, kind, file_name, sha256, encoding, rows_read, rows_inserted, rows_updated, rows_unchanged, masked_cells, dropped_columns, imported_by, first_filing_date, last_filing_date)
       VALUES ($1, 'case_record', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [fileId, o.fileName, summary.sha256, summary.encoding, summary.rowsRead, summary.inserted, summary.updated, summary.unchanged, summary.maskedCells, summary.droppedColumns, o.actor.id, coverage.first, coverage.last],
    );
    await client.query(townshipRowsInsert(fileId, coverage));
    await client.query('COMMIT');
    await writeAudit(db, o.actor, { action: 'case_import', entityType: 'import_file', entityId: fileId, after: { ...summary, problems: undefined }, sha256: summary.sha256 });
    return summary;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
    await rows?.stop();
  }
}
