import type { TestProject } from 'vitest/node';
import { startLocalEngine, type LocalEngine } from '../../src/engine/local-engine.ts';
import { openDatabase } from '../../src/db/data-source.ts';
import { ensureEngineReadViews } from '../../src/engine/read-views.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { TEST_SERVICE_PASSWORD } from './engine.ts';
import { testPorts, testStateDir } from './ports.ts';

/**
 * Starts the engine for one test project on the fresh test database that global-setup-database
 * just created (so its state is fresh too), then creates the app's views over its tables. Each
 * project runs in its own vitest invocation (package.json `test`), so a project that moves the
 * clock (process, browser) never shares an engine with one that does not (integration).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'info', 'test-engine');
  const db = new URL(process.env.TEST_DATABASE_URL ?? '');
  const engine: LocalEngine = await startLocalEngine({
    cacheDir: process.env.CACHE_DIR ?? '.cache',
    stateDir: `${testStateDir}/engine-${project.name}`,
    port: testPorts.engine,
    clockControlled: project.name !== 'integration',
    production: false,
    database: { host: db.hostname, port: Number(db.port), database: db.pathname.slice(1), user: decodeURIComponent(db.username), password: decodeURIComponent(db.password) },
    adminPassword: 'test-admin-password',
    servicePassword: TEST_SERVICE_PASSWORD,
    log,
  });
  const ds = await openDatabase(db.toString(), 2);
  await ensureEngineReadViews(ds);
  await ds.destroy();
  return () => engine.stop();
}
