import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { GeneratedCase, GeneratedData } from '../../domain/cases/generator.ts';
import type { Queryable } from '../audit.ts';

/**
 * Loads a generated data set (demo, tests, benchmarks) straight into the case tables, recorded
 * as import files like any other so indicator runs name the data they used. Real court exports
 * go through the importer, which validates and masks; generated rows are synthetic and clean.
 * Idempotent: a data set already loaded (same content hash) is not loaded again.
 */

const BATCH = 5_000;

const rowHash = (row: unknown) => createHash('sha256').update(JSON.stringify(row)).digest('hex');

async function importFile(q: Queryable, kind: string, name: string, sha256: string, rows: number): Promise<string | null> {
  const existing = await q.query<{ id: string }[]>(`SELECT id FROM import_file WHERE sha256 = $1 AND kind = $2`, [sha256, kind]);
  if (existing[0]) return null;
  const [file] = await q.query<{ id: string }[]>(
    `INSERT INTO import_file (kind, file_name, sha256, encoding, rows_read, rows_inserted, rows_updated, rows_unchanged) VALUES ($1, $2, $3, 'generated', $4, $4, 0, 0) RETURNING id`,
    [kind, name, sha256, rows],
  );
  return file!.id;
}

export async function loadGeneratedData(db: DataSource, data: GeneratedData, name: string): Promise<{ loaded: boolean; cases: number }> {
  // Hashed piece by piece: one JSON string of a million rows is longer than V8 allows.
  const hash = createHash('sha256');
  for (const c of data.cases) hash.update(JSON.stringify(c));
  const sha256 = hash.update(JSON.stringify(data.population)).update(JSON.stringify(data.signals)).digest('hex');
  return db.transaction(async (tx) => {
    const caseFile = await importFile(tx, 'case_record', name, sha256, data.cases.length);
    if (!caseFile) return { loaded: false, cases: 0 };
    for (let i = 0; i < data.cases.length; i += BATCH) {
      const batch = data.cases.slice(i, i + BATCH).map((c: GeneratedCase) => ({ ...c, row_hash: rowHash(c) }));
      await tx.query(
        // The JSON rows have case_record's own column names; the file id and time are added here.
        `INSERT INTO case_record
         SELECT (jsonb_populate_record(x, jsonb_build_object('import_file_id', $2::uuid, 'updated_at', now()))).*
         FROM jsonb_populate_recordset(NULL::case_record, $1::jsonb) AS x
         ON CONFLICT (case_no) DO NOTHING`,
        [JSON.stringify(batch), caseFile],
      );
    }
    const populationFile = await importFile(tx, 'township_population', `${name}:population`, sha256, data.population.length);
    if (populationFile) {
      await tx.query(
        `INSERT INTO township_population (township, year, resident_population, import_file_id)
         SELECT township, year, resident_population, $2 FROM jsonb_to_recordset($1::jsonb) AS r(township text, year int, resident_population int)
         ON CONFLICT (township, year) DO UPDATE SET resident_population = EXCLUDED.resident_population, import_file_id = EXCLUDED.import_file_id`,
        [JSON.stringify(data.population), populationFile],
      );
    }
    const signalFile = await importFile(tx, 'township_signal', `${name}:signals`, sha256, data.signals.length);
    if (signalFile) {
      await tx.query(
        `INSERT INTO township_signal (township, month, petition_count, public_opinion_count, import_file_id)
         SELECT township, month, petition_count, public_opinion_count, $2 FROM jsonb_to_recordset($1::jsonb) AS r(township text, month date, petition_count int, public_opinion_count int)
         ON CONFLICT (township, month) DO UPDATE SET petition_count = EXCLUDED.petition_count, public_opinion_count = EXCLUDED.public_opinion_count, import_file_id = EXCLUDED.import_file_id`,
        [JSON.stringify(data.signals), signalFile],
      );
    }
    return { loaded: true, cases: data.cases.length };
  });
}
