import { loadConfig } from '../config/load-config.ts';
import { SERVICE_ACCOUNT } from '../engine/client.ts';
import { createLogger } from '../shared/logger.ts';
import { bootstrapCore, deployProcesses, startLoopCalendar, onShutdown, startMail, startWorkers } from './bootstrap.ts';
import { checkInstallation } from './preflight.ts';

/** Production shape: stateless job workers; run as many as needed (docker compose --scale workers=N). */
const config = loadConfig();
checkInstallation();
const log = createLogger(config.LOG_LEVEL, 'risk-loop-workers');
// DATABASE_APP_PASSWORD: every replica sets the app role's password at start, so they must agree.
if (!config.DATABASE_URL || !config.DATABASE_APP_PASSWORD || !config.ENGINE_SERVICE_PASSWORD) throw new Error('workers need DATABASE_URL, DATABASE_APP_PASSWORD and ENGINE_SERVICE_PASSWORD');
const core = await bootstrapCore(config, log, config.DATABASE_URL, {
  restAddress: config.ENGINE_REST_ADDRESS,
  credentials: { user: SERVICE_ACCOUNT, password: config.ENGINE_SERVICE_PASSWORD },
});
// Deploying is idempotent (an unchanged resource is not versioned again), so any replica may do it.
await deployProcesses(core, log);
const workers = startWorkers(core, log);
await startLoopCalendar(core, log);
const mail = await startMail(core, config, log);
log.info('workers ready');
onShutdown(log, [() => workers.stop(), () => mail.stop(), () => core.close()]);
