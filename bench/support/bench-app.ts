import type { AddressInfo } from 'node:net';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { loadConfig } from '../../src/config/load-config.ts';
import { generateCaseData } from '../../src/domain/cases/generator.ts';
import { loadProcessCatalog } from '../../src/engine/catalog.ts';
import type { EngineGateway } from '../../src/engine/client.ts';
import { createApp } from '../../src/http/app.ts';
import { loadGeneratedData } from '../../src/services/cases/generated-data.ts';
import { DEMO_CASE_DATA } from '../../src/services/demo-seed.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { systemClock } from '../../src/shared/time.ts';
import { startBenchEngine, type BenchEngine } from './bench-engine.ts';
import { BENCH_PASSWORD, sessionSavesLanded, signIn } from './session.ts';

export { BENCH_PASSWORD } from './session.ts';

export interface BenchApp {
  db: DataSource;
  services: Services;
  engine: EngineGateway;
  /** The bench engine under the app (its process, REST address, database). */
  bench: BenchEngine;
  /** http://127.0.0.1:<port> of the running app. */
  base: string;
  /** A logged-in session cookie for `username` (password BENCH_PASSWORD). */
  login(username: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The web app over a fresh database of its own on an embedded PostgreSQL
 * (`<benchStateDir>/pg-<name>`) and an Operaton engine of its own on that database (its tables are
 * what the inbox reads, through the engine read views), with the fixture diagrams deployed, serving
 * `staticDir` like the production app serves the web build. No workers run. Shared by the HTTP and
 * UI benches; ports are bench ports (moved by BENCH_PORT_OFFSET), the app itself listens on an
 * ephemeral port.
 */
export async function startBenchApp(o: {
  name: string;
  pgPort: number;
  enginePort: number;
  /** Folders of diagrams and forms the app's catalog reads (task names, forms). */
  catalogs: string[];
  /** tests/fixtures/bpmn diagrams deployed to the engine. */
  fixtures: string[];
  clockControlled?: boolean;
  staticDir: string;
  poolSize: number;
}): Promise<BenchApp> {
  const log = createLogger('silent');
  const bench = await startBenchEngine(`riskloop_${o.name}`, o.fixtures, {
    suffix: `-${o.name}`,
    pgPort: o.pgPort,
    enginePort: o.enginePort,
    poolSize: o.poolSize,
    clockControlled: o.clockControlled,
  });
  const { db, engine } = bench;
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT: '100000' });
  const services = createServices({ db, engine, catalog: await loadProcessCatalog(o.catalogs), clock: systemClock, config, log });
  const app = createApp({ services, config, pool: (db.driver as PostgresDriver).master as pg.Pool, sessionSecret: 'bench-secret-bench-secret-bench-secret', log, staticDir: o.staticDir });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    db,
    services,
    engine,
    bench,
    base,
    async login(username) {
      return (await signIn(base, username, BENCH_PASSWORD)).cookie;
    },
    async stop() {
      await new Promise((r) => server.close(r));
      await sessionSavesLanded((db.driver as PostgresDriver).master as pg.Pool);
      await bench.stop();
    },
  };
}

/** The cockpit's data: the demo county (generated cases) and its 2025 H1 round computed. */
export async function computeDemoRound(app: BenchApp): Promise<void> {
  await loadGeneratedData(app.db, generateCaseData(DEMO_CASE_DATA), 'bench-demo-county');
  await app.db.query(`INSERT INTO assessment_round (id, kind, period_start, period_end) VALUES ('2025-H1', 'half_year', '2025-01-01', '2025-06-30')`);
  await app.services.rounds.computeIndicators({ roundId: '2025-H1', roundKind: 'half_year', year: 2025, periodStart: '2025-01-01', periodEnd: '2025-06-30' }, '0');
}
