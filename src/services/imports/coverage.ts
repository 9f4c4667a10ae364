import type { CoverageTally, ImportedRange } from '../../domain/cases/coverage.ts';
import { coverageGrid, monthsBetween, type CoverageGrid } from '../../domain/cases/coverage.ts';
import { createWorkCalendar, type WorkCalendar } from '../../domain/loop/working-days.ts';
import type { FieldProblem } from '../../shared/errors.ts';
import type { SideTable } from '../../domain/cases/side-tables.ts';
import type { Actor } from '../actor.ts';
import type { Queryable } from '../audit.ts';

/**
 * The import ledger's side of coverage and refusals (issue 17 rules 10 and 13): what each
 * case-data import covered, read back as the month × township grid; and the record of every
 * refused upload. The grid itself is computed in `domain/cases/coverage.ts`.
 */

/** The statement that stores an import's rows per township (its tally), in the import's transaction. */
export function townshipRowsInsert(fileId: string, tally: Pick<CoverageTally, 'rows'>): { text: string; values: unknown[] } {
  return {
    text: `INSERT INTO import_file_township (import_file_id, township, row_count) SELECT $1, t.key, t.value::int FROM jsonb_each_text($2::jsonb) AS t`,
    values: [fileId, JSON.stringify(Object.fromEntries(tally.rows))],
  };
}

/** Every case-data import with its filing-date span and rows per township. */
export async function importedRanges(q: Queryable, asOf?: string): Promise<ImportedRange[]> {
  return q.query<ImportedRange[]>(
    `SELECT to_char(f.first_filing_date, 'YYYY-MM-DD') AS first, to_char(f.last_filing_date, 'YYYY-MM-DD') AS last,
       coalesce(jsonb_object_agg(t.township, t.row_count) FILTER (WHERE t.township IS NOT NULL), '{}') AS rows
     FROM import_file f LEFT JOIN import_file_township t ON t.import_file_id = f.id
     WHERE f.kind = 'case_record' AND f.first_filing_date IS NOT NULL AND ($1::uuid IS NULL OR f.id IN (SELECT unnest(data_files) FROM indicator_run WHERE id = $1::uuid))
     GROUP BY f.id`,
    [asOf ?? null],
  );
}

/** The county's township ids in its order: the grid's rows. */
export async function townshipIds(q: Queryable): Promise<string[]> {
  return (await q.query<{ id: string }[]>(`SELECT id FROM department WHERE kind = 'township' ORDER BY sort_order`)).map((r) => r.id);
}

/** The shipped calendar, for callers that have no configured one (tools, benchmarks). */
const shippedCalendar = createWorkCalendar();

/**
 * The coverage grid over `months`; without months, whole years from the first any import reaches
 * to the last (its last `atMost` months). A month is covered when every working day of `calendar` is.
 */
/** `asOf`: a past run — only the imports it saw count, as data-sources.ts reads its rows. */
export async function loadCoverage(q: Queryable, months?: readonly string[], atMost = Infinity, calendar: WorkCalendar = shippedCalendar, asOf?: string): Promise<CoverageGrid> {
  const imports = await importedRanges(q, asOf);
  const span = months ?? (imports.length ? monthsBetween(`${minOf(imports.map((i) => i.first)).slice(0, 4)}-01`, `${maxOf(imports.map((i) => i.last)).slice(0, 4)}-12`).slice(-atMost) : []);
  return coverageGrid(imports, await townshipIds(q), span, calendar.isWorkingDay);
}

const minOf = (dates: string[]) => dates.reduce((a, b) => (b < a ? b : a));
const maxOf = (dates: string[]) => dates.reduce((a, b) => (b > a ? b : a));

export type ImportKind = 'case_record' | SideTable['table'];

/** Records a refused upload with the problems its uploader was told (already masked), apart from the rolled-back import. */
export async function recordRefusal(q: Queryable, actor: Actor, o: { kind: ImportKind; fileName: string; problemCount: number; problems: readonly FieldProblem[] }): Promise<void> {
  await q.query(`INSERT INTO import_refusal (kind, file_name, problem_count, problems, refused_by) VALUES ($1, $2, $3, $4, $5)`, [
    o.kind,
    o.fileName,
    o.problemCount,
    // jsonb has no NUL character; a cell may have carried one into its message.
    JSON.stringify(o.problems).replaceAll('\\u0000', '\\ufffd'),
    actor.id,
  ]);
}

export interface Refusal {
  fileName: string;
  /** Beijing date, YYYY-MM-DD. */
  refusedOn: string;
  problemCount: number;
  /** The first problem as the uploader read it: the first bad cell's, else the file's. */
  reason: string;
}

/** Refused uploads from `since` (a date, Beijing time) to `until` (included), oldest first. */
export async function refusals(q: Queryable, since: string, until: string): Promise<Refusal[]> {
  return q.query<Refusal[]>(
    `SELECT file_name AS "fileName", to_char(refused_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS "refusedOn", problem_count AS "problemCount",
       (SELECT concat_ws('：', nullif(p->>'field', '(文件)'), p->>'reason') FROM jsonb_array_elements(problems) WITH ORDINALITY AS e(p, i)
        ORDER BY p->>'field' = '(文件)', i LIMIT 1) AS reason
     FROM import_refusal WHERE (refused_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN $1 AND $2 ORDER BY refused_at, id`,
    [since, until],
  );
}
