import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source.ts';
import { testDatabaseAdminUrl } from './ports.ts';

/**
 * A DataSource on the migrated test database, as its owner (the app's pool connects as the app
 * role: startTestSystem's `db`). Tests isolate their data by unique keys
 * (random suffixes), not by truncating: the audit log cannot be truncated, by design.
 */
export async function openTestDatabase(): Promise<DataSource> {
  const ds = createDataSource(testDatabaseAdminUrl(), 4);
  await ds.initialize();
  return ds;
}

/**
 * The app role's password in every test system and test child process (DATABASE_APP_PASSWORD):
 * each start sets it, so the test database's role keeps one password however many start.
 */
export const TEST_DATABASE_APP_PASSWORD = 'test-database-app-password';

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** A fresh, empty database of its own on the test server (dropped first if a run left it), as a URL. */
export async function freshTestDatabase(name: string): Promise<string> {
  const database = `riskloop_${name.replace(/-/g, '_')}`;
  const admin = new pg.Client({ connectionString: testDatabaseAdminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testDatabaseAdminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}
