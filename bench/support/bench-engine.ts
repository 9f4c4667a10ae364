import { readFile, rm } from 'node:fs/promises';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { createEngineGateway, type EngineGateway } from '../../src/engine/client.ts';
import { startLocalEngine, type LocalEngine } from '../../src/engine/local-engine.ts';
import { createLogger } from '../../src/shared/logger.ts';

export interface BenchEngine {
  db: DataSource;
  engine: EngineGateway;
  engineProcess: LocalEngine;
  stop(): Promise<void>;
}

/** A private PostgreSQL database and a fresh engine on bench ports, with the fixture diagrams deployed. */
export async function startBenchEngine(database: string, fixtures: string[]): Promise<BenchEngine> {
  const log = createLogger('silent');
  const dir = '.state/bench';
  await rm(`${dir}/camunda`, { recursive: true, force: true });
  const server = await startEmbeddedPostgres(`${dir}/pg`, 54341, log);
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const db = await openDatabase(server.url.replace(/\/riskloop$/, `/${database}`), 8);
  const engineProcess = await startLocalEngine({
    version: '8.6.0',
    cacheDir: '.cache',
    stateDir: `${dir}/camunda`,
    ports: { rest: 8097, grpc: 26640, management: 9640, internalBase: 26641 },
    clockControlled: false,
    readModel: { host: '127.0.0.1', port: 54341, database, user: 'postgres', password: 'postgres' },
    log,
  });
  const engine = createEngineGateway({ restAddress: 'http://127.0.0.1:8097', grpcAddress: 'grpc://127.0.0.1:26640' }, log);
  for (const fixture of fixtures) await engine.deployXml(`${fixture}.bpmn`, await readFile(`tests/fixtures/bpmn/${fixture}.bpmn`, 'utf8'));
  return {
    db,
    engine,
    engineProcess,
    stop: async () => {
      await engine.close();
      await engineProcess.stop();
      await db.destroy();
      await server.stop();
    },
  };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
