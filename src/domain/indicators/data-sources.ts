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

/** The three sources as they stood after the imports the run `runId` saw (indicator_run.data_files), as sub-selects named like the tables. */
export function dataAsOf(runId: string): DataSources {
  if (!UUID.test(runId)) throw new RangeError(`not a run id: ${runId}`);
  const seen = `(SELECT unnest(data_files) FROM indicator_run WHERE id = '${runId}')`;
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
