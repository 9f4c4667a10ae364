import { readFile, rm } from 'node:fs/promises';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { createEngineGateway, type EngineAddress, type EngineGateway } from '../../src/engine/client.ts';
import { startLocalEngine, type LocalEngine } from '../../src/engine/local-engine.ts';
import { createLogger } from '../../src/shared/logger.ts';

export interface BenchEngine {
  db: DataSource;
  engine: EngineGateway;
  engineProcess: LocalEngine;
  /** Where `db` and `engine` point, for benches that assemble the production core (src/main/bootstrap.ts) on top. */
  databaseUrl: string;
  engineAddress: EngineAddress;
  stop(): Promise<void>;
}

/** A private PostgreSQL database and a fresh engine on bench ports, with the fixture diagrams deployed. */
export async function startBenchEngine(database: string, fixtures: string[]): Promise<BenchEngine> {
  const log = createLogger('silent');
  // BENCH_PORT_OFFSET lets two benches run side by side, each with its own engine, database and folder.
  const offset = Number(process.env.BENCH_PORT_OFFSET ?? 0);
  const dir = offset ? `.state/bench-${offset}` : '.state/bench';
  const pgPort = 54341 + offset;
  await rm(`${dir}/camunda`, { recursive: true, force: true });
  const server = await startEmbeddedPostgres(`${dir}/pg`, pgPort, log);
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const databaseUrl = server.url.replace(/\/riskloop$/, `/${database}`);
  const db = await openDatabase(databaseUrl, 8);
  const engineProcess = await startLocalEngine({
    version: '8.6.0',
    cacheDir: '.cache',
    stateDir: `${dir}/camunda`,
    ports: { rest: 8097 + offset, grpc: 26640 + offset, management: 9640 + offset, internalBase: 26641 + offset * 10 },
    clockControlled: false,
    readModel: { host: '127.0.0.1', port: pgPort, database, user: 'postgres', password: 'postgres' },
    log,
  });
  const engineAddress: EngineAddress = { restAddress: `http://127.0.0.1:${8097 + offset}`, grpcAddress: `grpc://127.0.0.1:${26640 + offset}` };
  const engine = createEngineGateway(engineAddress, log);
  for (const fixture of fixtures) await engine.deployXml(`${fixture}.bpmn`, await readFile(`tests/fixtures/bpmn/${fixture}.bpmn`, 'utf8'));
  return {
    db,
    engine,
    engineProcess,
    databaseUrl,
    engineAddress,
    stop: async () => {
      await engine.close();
      await engineProcess.stop();
      await db.destroy();
      await server.stop();
    },
  };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
