import { rm } from 'node:fs/promises';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source.ts';
import { createEngineGateway, type EngineAddress, type EngineGateway } from '../../src/engine/client.ts';
import { startLocalEngine, type EnginePorts, type LocalEngine, type LocalEngineOptions } from '../../src/engine/local-engine.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { freshTestDatabase } from './database.ts';
import { testStateDir } from './ports.ts';

export interface PrivateEngine {
  address: EngineAddress;
  databaseUrl: string;
  db: DataSource;
  engine: EngineGateway;
  options: LocalEngineOptions;
  process: LocalEngine;
  /** Replaces the engine process (after a kill); the gateway reconnects by itself. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A fault test's own engine (ports, state) with its read model in its own database, so killing it
 * or its clock history cannot disturb the shared test engine, and vice versa: a shared engine
 * whose clock was moved and reset defers job time-outs, which a crash test relies on.
 */
export async function startPrivateEngine(name: string, ports: EnginePorts): Promise<PrivateEngine> {
  const log = createLogger('silent');
  const url = new URL(await freshTestDatabase(name));
  const database = url.pathname.slice(1);
  const db = await openDatabase(url.toString(), 4);
  const stateDir = `${testStateDir}/camunda-${name}`;
  await rm(stateDir, { recursive: true, force: true });
  const options: LocalEngineOptions = {
    version: process.env.CAMUNDA_VERSION ?? '8.6.0',
    cacheDir: process.env.CACHE_DIR ?? '.cache',
    stateDir,
    ports,
    clockControlled: false,
    readModel: { host: url.hostname, port: Number(url.port), database, user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) },
    log,
  };
  const address = { restAddress: `http://127.0.0.1:${ports.rest}`, grpcAddress: `grpc://127.0.0.1:${ports.grpc}` };
  const self: PrivateEngine = {
    address,
    databaseUrl: url.toString(),
    db,
    engine: createEngineGateway(address, log),
    options,
    process: await startLocalEngine(options),
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
