import { rm } from 'node:fs/promises';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source.ts';
import { createEngineGateway, type EngineAddress, type EngineGateway } from '../../src/engine/client.ts';
import { startLocalEngine, type LocalEngine, type LocalEngineOptions } from '../../src/engine/local-engine.ts';
import { ensureEngineReadViews } from '../../src/engine/read-views.ts';
import { databaseStartLock } from '../../src/db/start-lock.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { freshTestDatabase } from './database.ts';
import { TEST_SERVICE_PASSWORD, testEngineCredentials } from './engine.ts';
import { testStateDir } from './ports.ts';

export interface PrivateEngine {
  address: EngineAddress;
  databaseUrl: string;
  db: DataSource;
  engine: EngineGateway;
  options: LocalEngineOptions;
  process: LocalEngine;
  /** Replaces the engine process (after a kill); the gateway needs no reconnect (plain HTTP). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A fault test's own engine (port, state) on its own database, so killing it or its clock history
 * cannot disturb the shared test engine, and vice versa. A clock-controlled one lets the test move
 * its clock past the locks of a worker it killed; the clock's offset is lost when it is restarted.
 */
export async function startPrivateEngine(name: string, port: number, o: { clockControlled?: boolean; databaseUrl?: string } = {}): Promise<PrivateEngine> {
  const log = createLogger('silent');
  // `databaseUrl`: a database the test prepared itself (a restored backup), else a fresh one.
  const url = new URL(o.databaseUrl ?? (await freshTestDatabase(name)));
  const database = url.pathname.slice(1);
  const db = await openDatabase(url.toString(), 4);
  const stateDir = `${testStateDir}/engine-${name}`;
  await rm(stateDir, { recursive: true, force: true });
  const options: LocalEngineOptions = {
    cacheDir: process.env.CACHE_DIR ?? '.cache',
    stateDir,
    port,
    clockControlled: o.clockControlled ?? false,
    production: false,
    database: { host: url.hostname, port: Number(url.port), database, user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) },
    adminPassword: 'test-admin-password',
    servicePassword: TEST_SERVICE_PASSWORD,
    log,
  };
  const address: EngineAddress = { restAddress: `http://127.0.0.1:${port}`, credentials: testEngineCredentials };
  const started = await startLocalEngine(options);
  await ensureEngineReadViews(db);
  const self: PrivateEngine = {
    address,
    databaseUrl: url.toString(),
    db,
    engine: createEngineGateway(address, log, { startLock: databaseStartLock(db) }),
    options,
    process: started,
    async restart() {
      self.process = await startLocalEngine(options);
    },
    async stop() {
      await self.engine.close();
      await self.process.stop();
      await db.destroy();
    },
  };
  return self;
}
