import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { createBackup, type BackupResult } from '../src/backup/backup.ts';
import { restoreBackup } from '../src/backup/restore.ts';
import { loadCountyYearData, runCountyYear } from '../src/dry-run/county-year.ts';
import { startSandbox } from '../src/dry-run/sandbox.ts';
import { createLogger } from '../src/shared/logger.ts';
import { benchPort, benchStateDir } from './support/bench-engine.ts';
import { median } from './support/stats.ts';

/**
 * Issue 20 §8: backup size and time, restore time, for the demo county. The county is the dry
 * run's (src/dry-run/county-year.ts): the demo county's cases plus a calmer year, and one county
 * year of the loop run on the moved clock (rounds, notices, items, escalations, meetings,
 * bulletins, evaluation, their documents, the engine's history) — or, with --no-loop, the case
 * data alone. On a sandbox of its own (embedded PostgreSQL and engine on benchPort(54346) and
 * the next port, workers running while the backup is taken).
 *
 * Backup (`createBackup`, the code of `npm run backup`) and restore (`restoreBackup`, of
 * `npm run restore`, each into a new database on the same server) 3 times each, medians, against
 * the baseline measured in the same run: a plain `COPY … TO` of the largest table into a file
 * and a plain `COPY … FROM` of it into an empty copy of that table (no index), i.e. what
 * PostgreSQL alone needs to move that table's rows out and in.
 *
 *   npm exec -- node bench/backup.ts [--year 2026] [--no-loop]
 */
const { values } = parseArgs({ options: { year: { type: 'string', default: '2026' }, 'no-loop': { type: 'boolean', default: false } } });
const year = Number(values.year);
const RUNS = 3;
const log = createLogger('warn', 'bench-backup');
const dir = path.resolve(benchStateDir, 'backup');
await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

const sandbox = await startSandbox({ stateDir: path.join(dir, 'sandbox'), basePort: benchPort(54346), log });
try {
  const { services } = sandbox.core;
  const cases = await loadCountyYearData(services, year);
  const loopStart = performance.now();
  if (!values['no-loop']) await runCountyYear({ services, engine: sandbox.core.engine, config: sandbox.config }, year);
  const loopMs = performance.now() - loopStart;
  // The owner's URL of the sandbox's embedded server (src/db/embedded-postgres.ts); the app's pool is a restricted role.
  const sourceUrl = `postgres://postgres:postgres@127.0.0.1:${benchPort(54346)}/riskloop`;
  const admin = new pg.Client({ connectionString: sourceUrl });
  await admin.connect();
  await admin.query('VACUUM ANALYZE');
  const {
    rows: [counts],
  } = await admin.query(
    `SELECT (SELECT count(*) FROM document)::int AS documents, (SELECT count(*) FROM audit_log)::int AS audit,
            (SELECT count(*) FROM operaton.act_hi_actinst)::int AS activities, pg_database_size(current_database())::bigint AS db_bytes`,
  );

  const backups: BackupResult[] = [];
  const file = path.join(dir, 'county.tar.gz');
  for (let i = 0; i < RUNS; i++) {
    await rm(file, { force: true });
    backups.push(await createBackup({ databaseUrl: sourceUrl, stateDir: sandbox.config.STATE_DIR, file }));
  }
  const manifest = backups[0]!.manifest;
  const largest = [...manifest.tables].sort((a, b) => b.bytes - a.bytes)[0]!;
  const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
  const copied = manifest.tables.reduce((n, t) => n + t.bytes, 0);

  // Baseline: the largest table out by plain COPY into a file, and in again into a bare copy of it.
  const baselineOut: number[] = [];
  const baselineIn: number[] = [];
  const qualified = `"${largest.schema}"."${largest.name}"`;
  const columns = largest.columns.map((c) => `"${c}"`).join(', ');
  const baselineFile = path.join(dir, 'baseline.copy');
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    await pipeline(admin.query(copyTo(`COPY ${qualified} (${columns}) TO STDOUT`)), createWriteStream(baselineFile));
    baselineOut.push(performance.now() - t);
    await admin.query(`DROP TABLE IF EXISTS bench_copy_in; CREATE UNLOGGED TABLE bench_copy_in AS SELECT ${columns} FROM ${qualified} WITH NO DATA`);
    t = performance.now();
    await pipeline(createReadStream(baselineFile), admin.query(copyFrom(`COPY bench_copy_in (${columns}) FROM STDIN`)));
    baselineIn.push(performance.now() - t);
  }
  await admin.query('DROP TABLE bench_copy_in');

  const restores: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const database = `bench_restore_${i}`;
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database}`);
    const url = sourceUrl.replace(/\/riskloop$/, `/${database}`);
    const stateDir = path.join(dir, `restored-${i}`);
    const result = await restoreBackup({ databaseUrl: url, stateDir, file });
    restores.push(result.elapsedMs);
    if (result.rows !== rows - manifest.tables.find((t) => t.name === 'schema_migrations')!.rows) throw new Error(`restore ${i} loaded ${result.rows} rows`);
    await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
    await rm(stateDir, { recursive: true, force: true });
  }
  await admin.end();

  const size = (await stat(file)).size;
  const backupMs = median(backups.map((b) => b.elapsedMs));
  const snapshotMs = median(backups.map((b) => b.snapshotMs));
  const restoreMs = median(restores);
  console.log(
    [
      `demo county: ${cases} cases loaded${values['no-loop'] ? '' : `, county year ${year} run in ${seconds(loopMs)}`}; ${counts.documents} documents, ${counts.audit} audit rows, ${counts.activities} engine activity instances; database ${mb(Number(counts.db_bytes))} on disk`,
      `backup: ${mb(size)} file (${manifest.tables.length} tables, ${rows} rows, ${mb(copied)} of COPY text, ${manifest.secrets.length} secrets); median of ${RUNS}: ${seconds(backupMs)} (snapshot read ${seconds(snapshotMs)}, packing ${seconds(backupMs - snapshotMs)}); runs ${backups.map((b) => seconds(b.elapsedMs)).join(', ')}`,
      `restore: median of ${RUNS}: ${seconds(restoreMs)} into a new database (migrations, ${manifest.engine.ddl.tables.length} engine tables with ${manifest.engine.ddl.constraints.length} constraints and ${manifest.engine.ddl.indexes.length} indexes, COPY, checks); runs ${restores.map(seconds).join(', ')}`,
      `baseline, largest table ${largest.schema}.${largest.name} (${largest.rows} rows, ${mb(largest.bytes)}): plain COPY out ${seconds(median(baselineOut))}, in ${seconds(median(baselineIn))}`,
      `ratios: backup ${(backupMs / median(baselineOut)).toFixed(1)}× the largest table's COPY out; restore ${(restoreMs / median(baselineIn)).toFixed(1)}× its COPY in`,
    ].join('\n'),
  );
} finally {
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
}
