import { readFile, rm } from 'node:fs/promises';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { databaseStartLock } from '../../src/db/start-lock.ts';
import { createEngineGateway, SERVICE_ACCOUNT, type EngineAddress, type EngineGateway } from '../../src/engine/client.ts';
import { startLocalEngine, type LocalEngine } from '../../src/engine/local-engine.ts';
import { ensureEngineReadViews } from '../../src/engine/read-views.ts';
import { createLogger } from '../../src/shared/logger.ts';

/**
 * BENCH_PORT_OFFSET lets two benches run side by side (or a bench beside a test run), each with
 * its own engine, database and folder: every port a bench opens is `benchPort(base)`, every
 * folder is under `benchStateDir`. Bases (offset 0) stay clear of the demo (3000/8080/54320) and
 * of the tests (8089, 8190+, 54330, 54390+, 2535):
 *
 *   8097 / 54341  bench engine and its PostgreSQL (worker-overhead, burst, soak)
 *   8098 / 54342  UI bench app (ui.ts)
 *   8099 / 54343  HTTP bench app (http.ts)
 *   8096 / 54344 / 3900 / 2590  `npm start` under start.ts
 *   2541          burst's mail catcher
 *   54346 / 54347 backup.ts's sandbox (PostgreSQL, engine)
 */
const BENCH_SERVICE_PASSWORD = 'bench-service-password';

export const benchOffset = Number(process.env.BENCH_PORT_OFFSET ?? 0);
export const benchPort = (base: number) => base + benchOffset;
export const benchStateDir = benchOffset ? `.state/bench-${benchOffset}` : '.state/bench';

export interface BenchEngine {
  db: DataSource;
  engine: EngineGateway;
  engineProcess: LocalEngine;
  /** With `secondNode`: the second node on the same database (port enginePort + 1). */
  secondNode?: { process: LocalEngine; restAddress: string };
  /** Where `db` and `engine` point, for benches that assemble the production core (src/main/bootstrap.ts) on top. */
  databaseUrl: string;
  engineAddress: EngineAddress;
  stop(): Promise<void>;
}

export interface BenchEngineOptions {
  /** Folder names under benchStateDir (`pg<suffix>`, `engine<suffix>`) and ports; the defaults are the bench engine's. */
  suffix?: string;
  pgPort?: number;
  enginePort?: number;
  poolSize?: number;
  /** An engine whose clock the bench may pin (`engine.pinClock`), to date the tasks it creates. */
  clockControlled?: boolean;
  /** Also a second engine node on the same database, as ENGINE_NODES=2 runs (docs/engine.md). */
  secondNode?: boolean;
}

/**
 * A private PostgreSQL database and a fresh Operaton engine (its tables in schema `operaton` of
 * that database) on bench ports, the engine read views over them, and the fixture diagrams
 * (tests/fixtures/bpmn/<name>.bpmn, with the forms of that folder) deployed.
 */
export async function startBenchEngine(database: string, fixtures: string[], o: BenchEngineOptions = {}): Promise<BenchEngine> {
  const log = createLogger('silent');
  const suffix = o.suffix ?? '';
  const pgPort = o.pgPort ?? benchPort(54341);
  const enginePort = o.enginePort ?? benchPort(8097);
  const engineState = `${benchStateDir}/engine${suffix}`;
  await rm(engineState, { recursive: true, force: true });
  await rm(`${engineState}-b`, { recursive: true, force: true });
  const server = await startEmbeddedPostgres(`${benchStateDir}/pg${suffix}`, pgPort, log);
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const databaseUrl = server.url.replace(/\/riskloop$/, `/${database}`);
  const db = await openDatabase(databaseUrl, o.poolSize ?? 8);
  const engineOptions = {
    cacheDir: process.env.CACHE_DIR ?? '.cache',
    stateDir: engineState,
    port: enginePort,
    clockControlled: o.clockControlled ?? false,
    production: false,
    database: { host: '127.0.0.1', port: pgPort, database, user: 'postgres', password: 'postgres' },
    adminPassword: 'bench-admin-password',
    servicePassword: BENCH_SERVICE_PASSWORD,
    log,
  };
  const engineProcess = await startLocalEngine(engineOptions);
  const secondNode = o.secondNode
    ? {
        process: await startLocalEngine({ ...engineOptions, port: enginePort + 1, stateDir: `${engineState}-b` }),
        restAddress: `http://127.0.0.1:${enginePort + 1}`,
      }
    : undefined;
  // The views read the engine's tables, which the engine created as it started.
  await ensureEngineReadViews(db);
  const engineAddress: EngineAddress = { restAddress: `http://127.0.0.1:${enginePort}`, credentials: { user: SERVICE_ACCOUNT, password: BENCH_SERVICE_PASSWORD } };
  const engine = createEngineGateway(engineAddress, log, { startLock: databaseStartLock(db) });
  if (fixtures.length > 0) await engine.deployProcesses('tests/fixtures/bpmn', fixtures);
  return {
    db,
    engine,
    engineProcess,
    secondNode,
    databaseUrl,
    engineAddress,
    stop: async () => {
      await engine.close();
      await secondNode?.process.stop();
      await engineProcess.stop();
      await db.destroy();
      await server.stop();
    },
  };
}

/** Runs `work` over `items`, at most `limit` at a time (the benches' set-up calls to the engine). */
export async function inParallel<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** Resident memory of one process (VmRSS of /proc/<pid>/status), MB; 0 when it has ended. */
export async function rssMb(pid: number): Promise<number> {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}
