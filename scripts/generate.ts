/**
 * `npm run generate -- --years 2020-2025 --rows 200000 [--seed 411328] [--out .state/generated] [--load]`:
 * synthetic Tanghe case data (src/domain/cases/generator.ts, deterministic for a seed, with the
 * planted risks) written as CSV in the case-record layout of DOMAIN.md §3 (multi-valued cells
 * joined by "|"), plus the two side tables; `--load` also loads it into the configured database.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateCaseData, PLANTED_RISKS } from '../src/domain/cases/generator.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { openDatabase } from '../src/db/data-source.ts';
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
const data = generateCaseData(options);

await mkdir(values.out, { recursive: true });
await writeCsvFile(path.join(values.out, 'cases.csv'), data.cases);
await writeCsvFile(path.join(values.out, 'township_population.csv'), data.population);
await writeCsvFile(path.join(values.out, 'township_signals.csv'), data.signals);
console.log(`generated ${data.cases.length} cases (${fromYear}–${toYear}, seed ${options.seed}) into ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log('planted risks:', JSON.stringify(PLANTED_RISKS));

if (values.load) {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'generate');
  const database = await startDatabase(config, log);
  try {
    const db = await openDatabase(database.url, 2);
    const result = await loadGeneratedData(db, data, `generated:${options.seed}:${fromYear}-${toYear}:${options.rows}`);
    await db.destroy();
    console.log(result.loaded ? `loaded ${result.cases} cases` : 'this data set was loaded before: nothing changed');
  } finally {
    await database.stop();
  }
}
