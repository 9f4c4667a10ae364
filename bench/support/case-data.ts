import { loadConfig } from '../../src/config/load-config.ts';
import type { Config } from '../../src/config/schema.ts';
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { format, parse } from 'fast-csv';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Papa from 'papaparse';
import pg from 'pg';

/**
 * Shared by bench/import.ts, bench/import-ceiling.ts and bench/indicators.ts: the `--rows` argument, a throw-away database
 * on the local PostgreSQL service, and synthetic case files written by the project's own
 * generator (`scripts/generate.ts`, i.e. src/domain/cases/generator.ts and its CSV layout).
 */

/** The local PostgreSQL service (trust auth); BENCH_POSTGRES_URL points elsewhere. */
export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/';

/** Years the generated cases span (scripts/generate.ts's default). */
export const YEARS = '2020-2025';

/** `--rows N` (how many cases to generate) and the on/off `flags` a bench takes; anything else is refused. */
export function caseBenchArgs<F extends string>(flags: readonly F[] = [], defaultRows = 1_000_000): { rows: number; flags: Record<F, boolean> } {
  const options = Object.fromEntries(flags.map((f) => [f, { type: 'boolean', default: false } as const]));
  const { values } = parseArgs({ options: { rows: { type: 'string', default: String(defaultRows) }, ...options } });
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`--rows must be a positive integer, got ${values.rows}`);
  const given = values as Record<string, string | boolean>;
  return { rows, flags: Object.fromEntries(flags.map((f) => [f, given[f] === true])) as Record<F, boolean> };
}

const databaseUrl = (database: string) => {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  return url.toString();
};

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** An empty database `<prefix>_<pid>`; `drop()` removes it (connections still open are ended). */
export async function throwawayDatabase(prefix: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}`;
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  return { name, url: databaseUrl(name), drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))) };
}

/** A CSV file's header row (its first 4 KiB read, a BOM dropped). */
export async function csvHeader(file: string): Promise<string[]> {
  const handle = await open(file);
  try {
    const head = (await handle.read(Buffer.alloc(4096), 0, 4096, 0)).buffer.toString('utf8');
    return Papa.parse<string[]>(head.slice(0, head.indexOf('\n')).replace(/^\uFEFF/, '')).data[0]!;
  } finally {
    await handle.close();
  }
}

export interface GeneratedFiles {
  dir: string;
  cases: string;
  population: string;
  signals: string;
  /** Case rows in cases.csv (the requested rows plus the planted extras). */
  caseRows: number;
  bytes: number;
  seconds: number;
  remove(): Promise<void>;
}

/**
 * Runs `scripts/generate.ts --rows N` in a child process into a temp folder. The generator streams
 * its cases to the file (about one year of them in memory at a time), so any N is generated as
 * asked, and the benchmark process never holds the cases: its RSS is the importer's alone.
 */
export async function generateCaseFiles(rows: number): Promise<GeneratedFiles> {
  const dir = await mkdtemp(path.join(tmpdir(), 'risk-loop-bench-cases-'));
  const script = fileURLToPath(new URL('../../scripts/generate.ts', import.meta.url));
  const started = performance.now();
  const child = spawn(process.execPath, [script, '--years', YEARS, '--rows', String(rows), '--out', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('exit', resolve));
  if (code !== 0) throw new Error(`scripts/generate.ts exited with ${code}: ${out}`);
  const cases = path.join(dir, 'cases.csv');
  const caseRows = Number(/generated (\d+) cases/.exec(out)?.[1]);
  return {
    dir,
    cases,
    population: path.join(dir, 'township_population.csv'),
    signals: path.join(dir, 'township_signals.csv'),
    caseRows,
    bytes: (await stat(cases)).size,
    seconds: (performance.now() - started) / 1000,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Highest `process.memoryUsage().rss` seen, sampled every 100 ms while running. */
export function rssSampler(): { peakMb(): number; stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const peakMb = () => Math.max(peak, process.memoryUsage().rss) / 1024 / 1024;
  return {
    peakMb,
    stop: () => {
      clearInterval(timer);
      return peakMb();
    },
  };
}

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The importer's configuration against a throw-away database. */
export function benchConfig(databaseUrl: string): Config {
  return loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    UPLOAD_LIMIT_BYTES: String(Number.MAX_SAFE_INTEGER),
    // A fixed key keeps the bench from creating .state/secrets (the generated rows carry no identities).
    PERSONAL_DATA_HMAC_KEY: 'bench-import-hmac-key-not-a-secret',
  });
}

/**
 * The generated cases as two exports a year apart: `before` has the cases filed by `cutoff` (the
 * court's export on the day after), `after` every case, with every `correctEvery`-th case of
 * `before` corrected (its amount in dispute one yuan more: a changed row, whose old version is kept).
 */
export async function exportsAYearApart(files: GeneratedFiles, cutoff: string, correctEvery: number): Promise<{ before: string; after: string; corrected: number; added: number }> {
  const before = path.join(files.dir, 'cases-before.csv');
  const after = path.join(files.dir, 'cases-after.csv');
  const early = format({ headers: true, writeBOM: true });
  const all = format({ headers: true, writeBOM: true });
  const written = [pipeline(early, createWriteStream(before)), pipeline(all, createWriteStream(after))];
  let seen = 0;
  let corrected = 0;
  let added = 0;
  const write = (stream: typeof early, row: Record<string, string>) => (stream.write(row) ? undefined : new Promise((resolve) => stream.once('drain', resolve)));
  for await (const row of createReadStream(files.cases).pipe(parse<Record<string, string>, Record<string, string>>({ headers: (names) => names.map((n) => n?.replace(/^\uFEFF/, '')) }))) {
    if (row.filing_date! > cutoff) {
      added++;
      await write(all, row);
      continue;
    }
    await write(early, row);
    if (++seen % correctEvery === 0 && row.claim_amount) {
      corrected++;
      await write(all, { ...row, claim_amount: (Number(row.claim_amount) + 1).toFixed(2) });
    } else await write(all, row);
  }
  early.end();
  all.end();
  await Promise.all(written);
  return { before, after, corrected, added };
}
