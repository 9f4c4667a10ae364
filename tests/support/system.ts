import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config.ts';
import type { DataSource } from 'typeorm';
import type { Config } from '../../src/config/schema.ts';
import type { EngineAddress, EngineGateway } from '../../src/engine/client.ts';
import { startJobWorkers, type WorkerHost } from '../../src/engine/worker-host.ts';
import { bootstrapCore, startHttp } from '../../src/main/bootstrap.ts';
import type { Services } from '../../src/services/index.ts';
import { createLogger } from '../../src/shared/logger.ts';
import type { RegisteredWorker } from '../../workers/runtime/define-worker.ts';
import { toRegistrations } from '../../workers/runtime/registrations.ts';
import { testEngineAddress } from './engine.ts';
import { testDatabaseAdminUrl } from './ports.ts';
import { TEST_DATABASE_APP_PASSWORD } from './database.ts';

export interface TestSystem {
  services: Services;
  /** The app's pool: connected as the app role, as in production (src/db/app-role.ts). */
  db: DataSource;
  engine: EngineGateway;
  config: Config;
  baseUrl: string;
  startWorkers(definitions: readonly RegisteredWorker[]): WorkerHost;
  stop(): Promise<void>;
}

/**
 * The real app (the same bootstrap as `npm start`: services, HTTP on port 0, workers) against
 * the test database and the test engine (or a fault test's private engine and its database). Fixture diagrams in tests/fixtures/bpmn join bpmn/.
 */
export async function startTestSystem(o: { withEngine: boolean; env?: Record<string, string>; engineAddress?: EngineAddress; databaseUrl?: string }): Promise<TestSystem> {
  const engineAddress = o.engineAddress ?? testEngineAddress();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    HTTP_PORT: '0',
    ENGINE_REST_ADDRESS: engineAddress.restAddress,
    DATABASE_APP_PASSWORD: TEST_DATABASE_APP_PASSWORD,
    ...o.env,
  });
  const log = createLogger(config.LOG_LEVEL, 'test-system');
  const core = await bootstrapCore(config, log, o.databaseUrl ?? testDatabaseAdminUrl(), engineAddress, [path.resolve('tests/fixtures/bpmn')]);
  const server = await startHttp(core, config, log, config.SESSION_SECRET ?? 'test-secret-test-secret-test-secret-000');
  const hosts: WorkerHost[] = [];
  return {
    services: core.services,
    db: core.db,
    engine: core.engine,
    config,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    startWorkers(definitions) {
      if (!o.withEngine) throw new Error('no engine in this test system');
      const host = startJobWorkers(core.engine, toRegistrations(definitions, { services: core.services, log }), log, core.catalog);
      hosts.push(host);
      return host;
    },
    async stop() {
      await Promise.all(hosts.map((h) => h.stop()));
      await new Promise((r) => server.close(r));
      await core.close();
    },
  };
}
