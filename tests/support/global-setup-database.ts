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

/** Starts the test PostgreSQL only when it is not reachable, then migrates it. */
export default async function setup(): Promise<() => Promise<void>> {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'warn', 'test-db');
  const url = testDatabaseAdminUrl();
  let embedded: EmbeddedDatabase | undefined;
  if (!(await reachable(url))) {
    embedded = await startEmbeddedPostgres(`${testStateDir}/pg`, testPorts.postgres, log);
  }
  try {
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
