import { loadConfig } from '../config/load-config.ts';
import { SERVICE_ACCOUNT } from '../engine/client.ts';
import { createLogger } from '../shared/logger.ts';
import { bootstrapCore, onShutdown, startHttp } from './bootstrap.ts';

/** Production shape: the web app and HTTP API alone (workers run in their own processes). */
const config = loadConfig();
const log = createLogger(config.LOG_LEVEL, 'risk-loop-api');
// DATABASE_APP_PASSWORD: every replica sets the app role's password at start, so they must agree.
if (!config.DATABASE_URL || !config.DATABASE_APP_PASSWORD || !config.SESSION_SECRET || !config.ENGINE_SERVICE_PASSWORD) {
  throw new Error('api needs DATABASE_URL, DATABASE_APP_PASSWORD, SESSION_SECRET and ENGINE_SERVICE_PASSWORD');
}
const core = await bootstrapCore(config, log, config.DATABASE_URL, {
  restAddress: config.ENGINE_REST_ADDRESS,
  credentials: { user: SERVICE_ACCOUNT, password: config.ENGINE_SERVICE_PASSWORD },
});
const server = await startHttp(core, config, log, config.SESSION_SECRET);
// The API owns user changes, so it keeps the engine's identity in step (every replica may; they take turns).
const stopIdentityRepair = core.services.engineIdentity.start();
// Tasks completed in the engine's Tasklist get their audit rows (replicas take turns per operation).
const stopTaskAudit = core.services.engineTaskAudit.start();
log.info({ port: config.HTTP_PORT }, 'api ready');
onShutdown(log, [() => new Promise((r) => server.close(r)), stopIdentityRepair, stopTaskAudit, () => core.close()]);
