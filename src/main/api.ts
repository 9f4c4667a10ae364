import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../shared/logger.ts';
import { bootstrapCore, onShutdown, startHttp } from './bootstrap.ts';

/** Production shape: the web app and HTTP API alone (workers run in their own processes). */
const config = loadConfig();
const log = createLogger(config.LOG_LEVEL, 'risk-loop-api');
if (!config.DATABASE_URL || !config.SESSION_SECRET) throw new Error('api needs DATABASE_URL and SESSION_SECRET');
const core = await bootstrapCore(config, log, config.DATABASE_URL, { restAddress: config.ENGINE_REST_ADDRESS });
const server = await startHttp(core, config, log, config.SESSION_SECRET);
log.info({ port: config.HTTP_PORT }, 'api ready');
onShutdown(log, [() => new Promise((r) => server.close(r)), () => core.close()]);
