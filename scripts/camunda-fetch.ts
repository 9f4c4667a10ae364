/**
 * `npm run camunda:fetch`: fetches the pinned Camunda distribution into the cache ahead of the
 * first start (CI warms it; `npm start` would otherwise do it on first run).
 */
import { loadConfig } from '../src/config/load-config.ts';
import { ensureDistribution } from '../src/engine/local-engine.ts';
import { createLogger } from '../src/shared/logger.ts';

const config = loadConfig(process.env);
const home = await ensureDistribution(config.CACHE_DIR, config.CAMUNDA_VERSION, createLogger(config.LOG_LEVEL, 'camunda-fetch'));
process.stdout.write(`Camunda ${config.CAMUNDA_VERSION}: ${home}\n`);
