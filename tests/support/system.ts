import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { Pool } from 'pg';
import { loadConfig } from '../../src/config/load-config.ts';
import type { Config } from '../../src/config/schema.ts';
import { loadProcessCatalog } from '../../src/engine/catalog.ts';
import { createEngineGateway, type EngineGateway } from '../../src/engine/client.ts';
import { startJobWorkers, type WorkerHost } from '../../src/engine/worker-host.ts';
import { createApp } from '../../src/http/app.ts';
import { createServices, type Services } from '../../src/services/index.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { systemClock } from '../../src/shared/time.ts';
import type { RegisteredWorker } from '../../workers/runtime/define-worker.ts';
import { toRegistrations } from '../../workers/runtime/registrations.ts';
import { openTestDatabase } from './database.ts';
import { testEngineAddress } from './engine.ts';

export interface TestSystem {
  services: Services;
  engine: EngineGateway;
  config: Config;
  baseUrl: string;
  startWorkers(definitions: readonly RegisteredWorker[]): WorkerHost;
  stop(): Promise<void>;
}

/**
 * The real app (services, HTTP on port 0, workers) against the test database and, when
 * `withEngine`, the test engine. Fixture diagrams come from tests/fixtures/bpmn beside bpmn/.
 */
export async function startTestSystem(o: { withEngine: boolean; env?: Record<string, string> }): Promise<TestSystem> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn', ...o.env });
  const log = createLogger(config.LOG_LEVEL, 'test-system');
  const db = await openTestDatabase();
  const engine = createEngineGateway(testEngineAddress(), log);
  const catalog = await loadProcessCatalog([path.resolve('bpmn'), path.resolve('tests/fixtures/bpmn')]);
  const services = createServices({ db, engine, catalog, clock: systemClock, config, log });
  const pool = (db.driver as PostgresDriver).master as Pool;
  const app = createApp({ services, config, pool, sessionSecret: 'test-secret-test-secret-test-secret-000', log });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const hosts: WorkerHost[] = [];
  return {
    services,
    engine,
    config,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    startWorkers(definitions) {
      if (!o.withEngine) throw new Error('no engine in this test system');
      const host = startJobWorkers(engine, toRegistrations(definitions, { services, log }), log);
      hosts.push(host);
      return host;
    },
    async stop() {
      await Promise.all(hosts.map((h) => h.stop()));
      await new Promise((r) => server.close(r));
      await engine.close();
      await db.destroy();
    },
  };
}
