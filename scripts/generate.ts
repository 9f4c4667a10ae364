/**
 * `npm run generate -- --years 2020-2025 --rows 200000 [--seed 411328] [--out .state/generated] [--load]`:
 * synthetic Tanghe case data (src/domain/cases/generator.ts, deterministic for a seed, with the
 * planted risks) written as CSV in the case-record layout of DOMAIN.md §3 (multi-valued cells
 * joined by "|"), plus the two side tables; `--load` also loads it into the configured database.
 * The cases stream to the file about one year at a time, so any size generates in bounded memory;
 * `--load` keeps the whole set in memory for the loader (meant for small, demo-sized sets).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createGenerator, PLANTED_RISKS, type GeneratedCase } from '../src/domain/cases/generator.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { appRolePassword, openAppDatabase } from '../src/db/app-role.ts';
import { startDatabase } from '../src/main/runtime.ts';
import { writeCsvFile } from '../src/services/cases/csv-files.ts';
import { loadGeneratedData } from '../src/services/cases/generated-data.ts';
import { createLogger } from '../src/shared/logger.ts';

const { values } = parseArgs({
  options: {
    years: { type: 'string', default: '2020-2025' },
    rows: { type: 'string', default: '50000' },
    seed: { type: 'string', default: '411328' },
    out: { type: 'string', default: '.state/generated' },
    load: { type: 'boolean', default: false },
  },
});
const [fromYear, toYear] = values.years.split('-').map(Number) as [number, number];
if (!fromYear || !toYear || toYear < fromYear) throw new Error(`--years must look like 2020-2025, got ${values.years}`);
const options = { fromYear, toYear, rows: Number(values.rows), seed: Number(values.seed) };
const started = Date.now();
const generator = createGenerator(options);
// Kept only for --load: loadGeneratedData takes the set in memory (its content hash over the whole
// set is how a set loaded before is recognised).
const kept: GeneratedCase[] | null = values.load ? [] : null;
let caseCount = 0;
function* counted(): Generator<GeneratedCase> {
  for (const c of generator.cases()) {
    caseCount++;
    kept?.push(c);
    yield c;
  }
}

await mkdir(values.out, { recursive: true });
await writeCsvFile(path.join(values.out, 'cases.csv'), counted());
// Drawn from the RNG after the last case, hence after the case file.
const { population, signals } = generator.sideTables();
await writeCsvFile(path.join(values.out, 'township_population.csv'), population);
await writeCsvFile(path.join(values.out, 'township_signals.csv'), signals);
console.log(`generated ${caseCount} cases (${fromYear}–${toYear}, seed ${options.seed}) into ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log('planted risks:', JSON.stringify(PLANTED_RISKS));

if (values.load) {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'generate');
  const database = await startDatabase(config, log);
  try {
    const db = await openAppDatabase(database.url, await appRolePassword(config), { poolSize: 2 });
    const result = await loadGeneratedData(db, { cases: kept!, population, signals }, `generated:${options.seed}:${fromYear}-${toYear}:${options.rows}`);
    await db.destroy();
    console.log(result.loaded ? `loaded ${result.cases} cases` : 'this data set was loaded before: nothing changed');
  } finally {
    await database.stop();
  }
}
