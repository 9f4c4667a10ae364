import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { loadConfig } from '../../src/config/load-config.ts';
import { openDatabase } from '../../src/db/data-source.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { generateCaseData } from '../../src/domain/cases/generator.ts';
import { loadProcessCatalog } from '../../src/engine/catalog.ts';
import { createEngineGateway } from '../../src/engine/client.ts';
import { createApp } from '../../src/http/app.ts';
import { loadGeneratedData } from '../../src/services/cases/generated-data.ts';
import { DEMO_CASE_DATA } from '../../src/services/demo-seed.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { systemClock } from '../../src/shared/time.ts';
import { waitFor } from '../../src/shared/wait-for.ts';

export const BENCH_PASSWORD = 'bench-password-123';

export interface BenchApp {
  db: DataSource;
  services: Services;
  /** http://127.0.0.1:<port> of the running app. */
  base: string;
  /** A logged-in session cookie for `username` (password BENCH_PASSWORD). */
  login(username: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The web app over a fresh database of its own on an embedded PostgreSQL (`.state/bench/pg-<name>`),
 * with no engine behind it (the screens read the read model), serving `staticDir` like the
 * production app serves the web build. Shared by the HTTP and UI benches.
 */
export async function startBenchApp(o: { name: string; port: number; catalog: string; staticDir: string; poolSize: number }): Promise<BenchApp> {
  const log = createLogger('silent');
  const database = await startEmbeddedPostgres(`.state/bench/pg-${o.name}`, o.port, log);
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS riskloop_${o.name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE riskloop_${o.name}`);
  await admin.end();
  const db = await openDatabase(database.url.replace(/\/riskloop$/, `/riskloop_${o.name}`), o.poolSize);
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT: '100000' });
  const engine = createEngineGateway({ restAddress: 'http://127.0.0.1:1', grpcAddress: 'grpc://127.0.0.1:1' }, log);
  const services = createServices({ db, engine, catalog: await loadProcessCatalog([o.catalog]), clock: systemClock, config, log });
  const app = createApp({ services, config, pool: (db.driver as PostgresDriver).master as pg.Pool, sessionSecret: 'bench-secret-bench-secret-bench-secret', log, staticDir: o.staticDir });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    db,
    services,
    base,
    async login(username) {
      const first = await fetch(`${base}/api/session`);
      const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
      const { csrfToken } = (await first.json()) as { csrfToken: string };
      const res = await fetch(`${base}/api/session`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: JSON.stringify({ username, password: BENCH_PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`login of ${username} answered ${res.status}`);
      return res.headers.get('set-cookie')!.split(';')[0]!;
    },
    async stop() {
      await new Promise((r) => server.close(r));
      // Rolling sessions are saved after their responses: let the last saves land before the pool ends.
      const pool = (db.driver as PostgresDriver).master as pg.Pool;
      await waitFor(async () => pool.waitingCount === 0 && pool.idleCount === pool.totalCount, 'the session saves to finish', 10_000);
      await engine.close();
      await db.destroy();
      await database.stop();
    },
  };
}

/** The cockpit's data: the demo county (generated cases) and its 2025 H1 round computed. */
export async function computeDemoRound(app: BenchApp): Promise<void> {
  await loadGeneratedData(app.db, generateCaseData(DEMO_CASE_DATA), 'bench-demo-county');
  await app.db.query(`INSERT INTO assessment_round (id, kind, period_start, period_end) VALUES ('2025-H1', 'half_year', '2025-01-01', '2025-06-30')`);
  await app.services.rounds.computeIndicators({ roundId: '2025-H1', roundKind: 'half_year', year: 2025, periodStart: '2025-01-01', periodEnd: '2025-06-30' }, '0');
}
