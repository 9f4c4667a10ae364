import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { openDatabase } from '../src/db/data-source.ts';
import { systemActor } from '../src/services/actor.ts';
import { caseKeys } from '../src/services/imports/case-copy-lines.ts';
import { createImportService } from '../src/services/imports/index.ts';
import { benchConfig, caseBenchArgs, csvHeader, fmtInt, generateCaseFiles, throwawayDatabase } from './support/case-data.ts';
import { median } from './support/stats.ts';

/**
 * Where PostgreSQL's side of a case import goes (issue 17: an import at a third of plain COPY).
 * The generated file is imported once by the import service; its stored rows, as COPY text, are
 * then loaded into empty tables that ask less and less of PostgreSQL — case_record as it is,
 * without its generated row hash, without its two date B-trees, with its key alone, with no key or
 * index at all — and the raw CSV into text tables, logged and unlogged (the import bench's
 * baseline). Each load is timed after a CHECKPOINT, the variants alternating round by round
 * (this machine's speed drifts over minutes), median of 3, each as a share of the baseline in the
 * same run. No importer beats the first line: it is the rows already parsed, checked and laid out.
 *
 *   npm exec -- node bench/import-ceiling.ts [--rows 1000000]
 */
const { rows } = caseBenchArgs();
const ROUNDS = 3;

const files = await generateCaseFiles(rows);
const database = await throwawayDatabase('bench_ceiling');
try {
  const config = benchConfig(database.url);
  const db = await openDatabase(config.DATABASE_URL!, 3);
  try {
    await createImportService({ db, config }).importCases(systemActor, createReadStream(files.cases), { fileName: path.basename(files.cases), format: 'csv', declaredBytes: files.bytes });
  } finally {
    await db.destroy();
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const columns = `${caseKeys.join(', ')}, import_file_id, import_line`;
  const rowsFile = path.join(files.dir, 'case_record.copy');
  await pipeline(client.query(copyTo(`COPY (SELECT ${columns} FROM case_record) TO STDOUT`)), createWriteStream(rowsFile));
  const textColumns = (await csvHeader(files.cases)).map((h) => `"${h.replace(/"/g, '""')}" text`).join(', ');

  /** The date B-trees of a copy of case_record, by what they index. */
  const dropDateIndexes = async (table: string) => {
    const { rows: found } = await client.query<{ name: string }>(
      `SELECT indexrelid::regclass::text AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
       WHERE i.indrelid = $1::regclass AND a.attname IN ('filing_date', 'closing_date') AND i.indnatts = 1`,
      [table],
    );
    if (found.length !== 2) throw new Error(`${table}: expected the two date B-trees, found ${found.length}`);
    for (const { name } of found) await client.query(`DROP INDEX ${name}`);
  };
  const variants: { name: string; label: string; create: (t: string) => Promise<void>; csv?: true }[] = [
    { name: 'as_is', label: 'case_record as it is (key, two date B-trees, BRIN, checks, row hash)', create: async (t) => void (await client.query(`CREATE TABLE ${t} (LIKE case_record INCLUDING ALL)`)) },
    {
      name: 'no_hash',
      label: '… without the generated row hash',
      create: async (t) => void (await client.query(`CREATE TABLE ${t} (LIKE case_record INCLUDING ALL); ALTER TABLE ${t} DROP COLUMN row_hash`)),
    },
    {
      name: 'no_dates',
      label: '… with the row hash, without the two date B-trees',
      create: async (t) => {
        await client.query(`CREATE TABLE ${t} (LIKE case_record INCLUDING ALL)`);
        await dropDateIndexes(t);
      },
    },
    {
      name: 'key_only',
      label: '… its key and checks only (no row hash, no other index)',
      create: async (t) => void (await client.query(`CREATE TABLE ${t} (LIKE case_record INCLUDING DEFAULTS INCLUDING CONSTRAINTS, PRIMARY KEY (case_no)); ALTER TABLE ${t} DROP COLUMN row_hash`)),
    },
    {
      name: 'typed',
      label: '… its typed columns alone (no key, index, check or hash)',
      create: async (t) => void (await client.query(`CREATE TABLE ${t} (LIKE case_record INCLUDING DEFAULTS); ALTER TABLE ${t} DROP COLUMN row_hash`)),
    },
    { name: 'csv_logged', label: 'the raw CSV into text columns, logged', create: async (t) => void (await client.query(`CREATE TABLE ${t} (${textColumns})`)), csv: true },
    { name: 'csv_unlogged', label: 'the raw CSV into text columns, UNLOGGED (bench/import.ts\'s baseline)', create: async (t) => void (await client.query(`CREATE UNLOGGED TABLE ${t} (${textColumns})`)), csv: true },
  ];
  const rates = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  for (const v of variants) await v.create(`v_${v.name}`);
  for (let round = 0; round < ROUNDS; round++) {
    for (const v of variants) {
      await client.query(`TRUNCATE v_${v.name}`);
      await client.query('CHECKPOINT');
      const t = performance.now();
      const copy = client.query(copyFrom(v.csv ? `COPY v_${v.name} FROM STDIN WITH (FORMAT csv, HEADER true)` : `COPY v_${v.name} (${columns}) FROM STDIN`));
      await pipeline(createReadStream(v.csv ? files.cases : rowsFile), copy);
      if (copy.rowCount !== files.caseRows) throw new Error(`${v.name}: COPY loaded ${copy.rowCount} rows of ${files.caseRows}`);
      rates.get(v.name)!.push(copy.rowCount / ((performance.now() - t) / 1000));
    }
  }
  await client.end();
  const baseline = median(rates.get('csv_unlogged')!);
  console.log(`PostgreSQL's side of a case import: ${fmtInt(files.caseRows)} generated rows loaded by COPY, median of ${ROUNDS} (alternating), as a share of the unlogged raw-CSV baseline`);
  for (const v of variants) {
    const r = rates.get(v.name)!;
    console.log(`  ${v.label}: ${fmtInt(median(r))} rows/s (${r.map(fmtInt).join(' / ')}) → ${((median(r) / baseline) * 100).toFixed(1)} %`);
  }
} finally {
  await database.drop();
  await files.remove();
}
