import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.ts';
import { openDatabase } from '../../src/db/data-source.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { testDatabaseAdminUrl, testPorts, testStateDir } from './ports.ts';

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the test PostgreSQL server only when it is not reachable, then gives the run a fresh
 * database (dropped and created again, then migrated): a rerun cannot pass on an earlier run's
 * rows, and the engine started next (global-setup-engine) starts from an empty state.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'warn', 'test-db');
  const url = testDatabaseAdminUrl();
  const server = new URL(url);
  server.pathname = '/postgres';
  let embedded: EmbeddedDatabase | undefined;
  if (!(await reachable(server.toString()))) {
    embedded = await startEmbeddedPostgres(`${testStateDir}/pg`, testPorts.postgres, log);
  }
  try {
    const admin = new pg.Client({ connectionString: server.toString() });
    await admin.connect();
    const name = new URL(url).pathname.slice(1);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const ds = await openDatabase(url, 2);
    await ds.destroy();
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  process.env.TEST_DATABASE_URL = url;
  return async () => {
    await embedded?.stop();
  };
}
