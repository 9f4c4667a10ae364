import { DataSource } from 'typeorm';
import { migrations } from '../../migrations/index.ts';

/** The one TypeORM DataSource shape, shared by the app, the workers, the CLI and tests. */
export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'schema_migrations',
    extra: { max: poolSize, application_name: 'risk-loop' },
    // bigint stays a string end to end: Operaton's ids (numeric strings from its `simple` id generator)
    // are kept as bigint, and a bigint is not guaranteed to fit a JS number.
    parseInt8: false,
  });
}

export async function openDatabase(url: string, poolSize?: number): Promise<DataSource> {
  const ds = createDataSource(url, poolSize);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}
