import pg from 'pg';
import type { Config } from '../config/schema.ts';
import { startDatabase } from '../main/runtime.ts';
import type { Logger } from '../shared/logger.ts';

/**
 * The owner's connection to the configured database for the backup commands: DATABASE_URL; else
 * the embedded server of the state folder — the running one when `npm start` holds it (a backup of
 * a running system), started for the command when it is not.
 */
export async function ownerDatabase(config: Config, log: Logger): Promise<{ url: string; running: boolean; stop(): Promise<void> }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, running: true, stop: async () => {} };
  // The embedded server's fixed owner account and database (src/db/embedded-postgres.ts).
  const url = `postgres://postgres:postgres@127.0.0.1:${config.EMBEDDED_PG_PORT}/riskloop`;
  const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await probe.connect();
    await probe.end();
    return { url, running: true, stop: async () => {} };
  } catch {
    await probe.end().catch(() => undefined);
  }
  const started = await startDatabase(config, log);
  return { url: started.url, running: false, stop: started.stop };
}

/** Secrets the configuration takes from the environment (never written to a backup). */
export const ENVIRONMENT_SECRETS = ['SESSION_SECRET', 'PERSONAL_DATA_HMAC_KEY', 'ENGINE_ADMIN_PASSWORD', 'ENGINE_SERVICE_PASSWORD', 'DATABASE_APP_PASSWORD'] as const;

export function secretsFromEnvironment(config: Config): string[] {
  return ENVIRONMENT_SECRETS.filter((key) => (config as unknown as Record<string, unknown>)[key] !== undefined);
}
