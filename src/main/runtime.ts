import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { startEmbeddedPostgres } from '../db/embedded-postgres.ts';
import { SERVICE_ACCOUNT, type EngineAddress, type EngineCredentials } from '../engine/client.ts';
import { isEngineReady, startLocalEngine } from '../engine/local-engine.ts';
import type { Logger } from '../shared/logger.ts';
import { personalDataKey, stateSecretFile } from '../shared/state-files.ts';

/**
 * The infrastructure a start needs, with embedded defaults: PostgreSQL (DATABASE_URL or
 * embedded) and the Operaton engine (remote if it answers, else built and started as a local child process).
 */
export interface Runtime {
  databaseUrl: string;
  engine: EngineAddress;
  engineLog?: string;
  secrets: { session: string; hmac: string };
  stop(): Promise<void>;
}

/** PostgreSQL as configured: DATABASE_URL, or the embedded one in the state folder (also for scripts). */
export async function startDatabase(config: Config, log: Logger): Promise<{ url: string; stop(): Promise<void> }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, stop: async () => {} };
  const pg = await startEmbeddedPostgres(path.join(config.STATE_DIR, 'pg'), config.EMBEDDED_PG_PORT, log);
  return { url: pg.url, stop: pg.stop };
}

/** The app's engine account: its password from ENGINE_SERVICE_PASSWORD, else generated once into the state folder. */
export async function engineCredentials(config: Config): Promise<EngineCredentials> {
  return { user: SERVICE_ACCOUNT, password: config.ENGINE_SERVICE_PASSWORD ?? (await stateSecretFile(config.STATE_DIR, 'engine-service-password', 16)) };
}

export async function startRuntime(config: Config, log: Logger): Promise<Runtime> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e: unknown) => log.warn({ err: e }, 'stop failed'));
  };
  try {
    const database = await startDatabase(config, log);
    stops.push(database.stop);
    const databaseUrl = database.url;
    const first = new URL(config.ENGINE_REST_ADDRESS);
    // ENGINE_NODES > 1: further nodes of the same engine on the next ports, sharing the database.
    const nodes = Array.from({ length: config.ENGINE_NODES }, (_, i) => {
      const url = new URL(first);
      url.port = String(Number(first.port || 80) + i);
      return url.origin;
    });
    const engine: EngineAddress = { restAddress: nodes[0]!, moreNodes: nodes.slice(1), credentials: await engineCredentials(config) };
    let engineLog: string | undefined;
    for (const [i, node] of nodes.entries()) {
      if (await isEngineReady(node)) continue;
      if (!config.ENGINE_MANAGED) throw new Error(`the engine does not answer at ${node} and ENGINE_MANAGED=false`);
      const db = new URL(databaseUrl);
      // One after the other: the first node creates the engine's tables, the next ones find them.
      const local = await startLocalEngine({
        cacheDir: config.CACHE_DIR,
        stateDir: path.join(config.STATE_DIR, i === 0 ? 'engine' : `engine-${i + 1}`),
        port: Number(new URL(node).port),
        clockControlled: config.ENGINE_CLOCK_CONTROLLED,
        production: config.NODE_ENV === 'production',
        database: {
          host: db.hostname,
          port: Number(db.port || 5432),
          database: db.pathname.slice(1),
          user: decodeURIComponent(db.username),
          password: decodeURIComponent(db.password),
        },
        adminPassword: config.ENGINE_ADMIN_PASSWORD ?? (await stateSecretFile(config.STATE_DIR, 'engine-admin-password', 16)),
        servicePassword: engine.credentials.password,
        javaHome: config.JAVA_HOME,
        log,
      });
      stops.push(local.stop);
      engineLog ??= local.logFile;
    }
    const secrets = {
      // Secrets not given in the environment are generated once into the state folder.
      session: config.SESSION_SECRET ?? (await stateSecretFile(config.STATE_DIR, 'session-secret')),
      hmac: await personalDataKey(config),
    };
    return { databaseUrl, engine, engineLog, secrets, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
