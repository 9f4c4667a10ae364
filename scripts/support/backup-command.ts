import { loadConfig } from '../../src/config/load-config.ts';
import type { Config } from '../../src/config/schema.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { ownerDatabase } from '../../src/backup/database.ts';
import { BackupRefused } from '../../src/backup/manifest.ts';

/**
 * The frame of `npm run backup` and `npm run restore`: one file argument, the configuration, the
 * database as its owner (the embedded one started when DATABASE_URL is unset) and stopped again;
 * a refusal (BackupRefused) is its Chinese message and exit code 1, anything else a crash.
 */
export async function runBackupCommand(name: 'backup' | 'restore', work: (o: { file: string; config: Config; databaseUrl: string }) => Promise<void>): Promise<void> {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    console.error(`用法：npm run ${name} -- <备份文件.tar.gz>`);
    process.exit(2);
  }
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, name);
  const database = await ownerDatabase(config, log);
  try {
    await work({ file, config, databaseUrl: database.url });
  } catch (error) {
    if (!(error instanceof BackupRefused)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  } finally {
    await database.stop();
  }
}
