import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { parseRow, type CaseRow } from '../../domain/cases/rows.ts';
import type { Column } from '../../domain/cases/columns.ts';
import type { SideTable } from '../../domain/cases/side-tables.ts';
import type { Actor } from '../actor.ts';
import { beijingDay, systemClock } from '../../shared/time.ts';
import { writeAudit } from '../audit.ts';
import { readUpload, type ImportSummary, type ReadOptions } from './records.ts';

/**
 * Imports a side table (township population, monthly 信访/舆情 counts, the 案由 catalogue) all or nothing, keyed by
 * its natural key: any bad row — a wrong cell, a key twice in the file — refuses the whole file
 * with every bad row's line, column and reason; a re-import changes only the rows whose values
 * changed. Side tables are small (23 townships × years or months, a catalogue of some 1,500 causes), so the rows are held and
 * written in one statement; a file past MAX_ROWS is refused rather than held.
 */

export const MAX_SIDE_TABLE_ROWS = 100_000;

export interface SideTableImportOptions extends ReadOptions {
  fileName: string;
  actor: Actor;
  /** Today in Beijing time (YYYY-MM-DD), for the date rules; the system clock's when unset. */
  today?: string;
}

/** How jsonb_to_recordset reads a side-table cell: months as dates, townships, causes and kinds as text, the rest integers. */
const SQL_TYPES: Partial<Record<Column['type'], string>> = { month: 'date', township: 'text', text: 'text', enum: 'text' };
const columnOf = (table: SideTable, key: string): Column => table.columns.find((c) => c.key === key)!;

export async function importSideTable(db: DataSource, table: SideTable, input: Readable, o: SideTableImportOptions): Promise<ImportSummary> {
  const upload = readUpload(input, o);
  const { summary, reject, finish } = upload;
  const today = o.today ?? beijingDay(systemClock.now());
  // The key's last part (the year, the month, the cause) names a repeated row.
  const keyColumn = columnOf(table, table.key.at(-1)!);
  const rows: CaseRow[] = [];
  const firstLine = new Map<string, number>();
  read: for await (const batch of upload.rows(table.columns, `${table.label}数据`, table.label)) {
    for (const { cells, line, plan } of batch) {
      // Line 1 is the header: this is data row line − 1.
      if (line - 1 > MAX_SIDE_TABLE_ROWS) {
        reject([{ line, column: '(文件)', reason: `${table.label}文件不能超过 ${MAX_SIDE_TABLE_ROWS} 行` }]);
        break read;
      }
      // A side table has no defendant: identity columns, if a file has any, are dropped unread.
      const parsed = parseRow(cells, line, plan, { identityKey: () => '', today });
      if ('problems' in parsed) {
        reject(parsed.problems);
        continue;
      }
      const key = table.key.map((k) => String(parsed.row[k])).join('|');
      const first = firstLine.get(key);
      if (first !== undefined) {
        reject([{ line, column: keyColumn.zh, reason: `与第${first}行重复（${table.oncePerFile}）` }]);
        continue;
      }
      firstLine.set(key, line);
      rows.push(parsed.row);
    }
  }
  finish();
  if (summary.rejected > 0) return summary;

  const fileId = randomUUID();
  const keys = table.columns.map((c) => c.key);
  const values = keys.filter((k) => !table.key.includes(k));
  const sqlType = (k: string) => SQL_TYPES[columnOf(table, k).type] ?? 'integer';
  const changed = (t: string, i: string) => `(${values.map((k) => `${t}.${k}`).join(', ')}) IS DISTINCT FROM (${values.map((k) => `${i}.${k}`).join(', ')})`;
  await db.transaction(async (m) => {
    // The file first (the rows name it), its counts once they are known.
    await m.query(
      `INSERT INTO import_file (id, kind, file_name, sha256, encoding, rows_read, rows_inserted, rows_updated, rows_unchanged, masked_cells, dropped_columns, imported_by)
       VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0, 0, $7, $8)`,
      [fileId, table.table, o.fileName, summary.sha256, summary.encoding, summary.rowsRead, summary.droppedColumns, o.actor.id],
    );
    // One statement: inserted rows have xmax 0; a row whose values did not change is not touched (and not returned).
    const [counts] = await m.query<{ inserted: number; updated: number }[]>(
      `WITH input AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${keys.map((k) => `${k} ${sqlType(k)}`).join(', ')})),
       ${
         table.versioned
           ? `kept AS (
         -- The version a changed row replaces, for the runs that read it (issue 19 point 9).
         INSERT INTO ${table.table}_version SELECT t.*, $2::uuid, now()
         FROM ${table.table} t JOIN input i ON ${table.key.map((k) => `i.${k} = t.${k}`).join(' AND ')}
         WHERE ${changed('t', 'i')}
       ),`
           : ''
       }
       written AS (
         INSERT INTO ${table.table} AS t (${keys.join(', ')}, import_file_id)
         SELECT ${keys.join(', ')}, $2::uuid FROM input
         ON CONFLICT (${table.key.join(', ')}) DO UPDATE SET ${values.map((k) => `${k} = EXCLUDED.${k}`).join(', ')}, import_file_id = EXCLUDED.import_file_id
         WHERE ${changed('t', 'EXCLUDED')}
         RETURNING (xmax = 0) AS inserted
       )
       SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM written`,
      [JSON.stringify(rows), fileId],
    );
    summary.inserted = counts!.inserted;
    summary.updated = counts!.updated;
    summary.unchanged = summary.rowsRead - summary.inserted - summary.updated;
    summary.fileId = fileId;
    await m.query(`UPDATE import_file SET rows_inserted = $2, rows_updated = $3, rows_unchanged = $4 WHERE id = $1`, [fileId, summary.inserted, summary.updated, summary.unchanged]);
    await writeAudit(m, o.actor, { action: `${table.table}_import`, entityType: 'import_file', entityId: fileId, after: { ...summary, problems: undefined }, sha256: summary.sha256 });
  });
  return summary;
}
