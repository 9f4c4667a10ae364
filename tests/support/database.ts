import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source.ts';
import { testDatabaseAdminUrl } from './ports.ts';

/**
 * A DataSource on the migrated test database. Tests isolate their data by unique keys
 * (random suffixes), not by truncating: the audit log cannot be truncated, by design.
 */
export async function openTestDatabase(): Promise<DataSource> {
  const ds = createDataSource(testDatabaseAdminUrl(), 4);
  await ds.initialize();
  return ds;
}

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
