/** `npm run db:migrate`: applies pending migrations to DATABASE_URL or the embedded database, then stops. */
import { loadConfig } from '../src/config/load-config.ts';
import { openDatabase } from '../src/db/data-source.ts';
import { startDatabase } from '../src/main/runtime.ts';
import { createLogger } from '../src/shared/logger.ts';

const config = loadConfig();
const log = createLogger(config.LOG_LEVEL, 'db-migrate');
const database = await startDatabase(config, log);
try {
  const ds = await openDatabase(database.url, 1);
  const applied: { name: string }[] = await ds.query(`SELECT name FROM schema_migrations ORDER BY id`);
  await ds.destroy();
  console.log(`database up to date: ${applied.length} migrations applied (last: ${applied.at(-1)?.name ?? 'none'})`);
} finally {
  await database.stop();
}
