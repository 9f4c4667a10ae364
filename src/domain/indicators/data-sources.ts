import { caseColumns } from '../cases/columns.ts';
import { sideTables } from '../cases/side-tables.ts';

/**
 * Where an indicator scan reads its rows (issue 19 point 9). Today's tables for a new run; for a
 * past run, the rows as they stood after exactly the imports it saw: a row's current version if
 * one of those imports wrote it, else the kept version (the *_version tables, filled when an
 * import replaces a row) that one of them wrote and none of them replaced. So a corrected
 * re-import after the run changes today's figures and leaves the past run reproducible.
 */
export interface DataSources {
  cases: string;
  signals: string;
  population: string;
}

export const CURRENT_DATA: DataSources = { cases: 'case_record', signals: 'township_signal', population: 'township_population' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const seenBy = (runId: string) => {
  if (!UUID.test(runId)) throw new RangeError(`not a run id: ${runId}`);
  return `(SELECT unnest(data_files) FROM indicator_run WHERE id = '${runId}')`;
};

/** The three sources as they stood after the imports the run `runId` saw (indicator_run.data_files), as sub-selects named like the tables. */
export function dataAsOf(runId: string): DataSources {
  const seen = seenBy(runId);
  const asOf = (table: string, columns: readonly string[]) => {
    const list = columns.join(', ');
    return (
      `(SELECT ${list} FROM ${table} WHERE import_file_id IN ${seen}\n` +
      `   UNION ALL SELECT ${list} FROM ${table}_version WHERE import_file_id IN ${seen} AND replaced_by_file NOT IN ${seen}) AS ${table}`
    );
  };
  return {
    cases: asOf('case_record', caseColumns.map((c) => c.key)),
    signals: asOf('township_signal', sideTables.signals.columns.map((c) => c.key)),
    population: asOf('township_population', sideTables.population.columns.map((c) => c.key)),
  };
}

/** The weight column of changesSince: +1 for a row as it is today, −1 for the version the run counted instead. */
export const CHANGE_WEIGHT = 'w';

/**
 * The case rows changed since the run `runId`, weighed so that any sum over them is today's sum
 * less the run's: today's version (+1) of every row an import the run did not see wrote, and
 * (−1) the version the run saw of every row such an import replaced. Rows no later import touched
 * are not read: an import writes its rows, its kept versions and its import_file row in one
 * transaction, so their updated_at and replaced_at are its imported_at, and the BRIN indexes on
 * those columns (RunFigures migration) find them without reading the table.
 */
export function changesSince(runId: string): string {
  const seen = seenBy(runId);
  const list = caseColumns.map((c) => c.key).join(', ');
  const since = `(SELECT min(imported_at) FROM import_file WHERE id NOT IN ${seen})`;
  return (
    `(SELECT ${list}, 1 AS ${CHANGE_WEIGHT} FROM case_record WHERE updated_at >= ${since} AND import_file_id NOT IN ${seen}\n` +
    `   UNION ALL SELECT ${list}, -1 FROM case_record_version WHERE replaced_at >= ${since} AND import_file_id IN ${seen} AND replaced_by_file NOT IN ${seen}) AS case_record`
  );
}
