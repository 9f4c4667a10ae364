/**
 * `npm run engine:build`: builds the engine application (src/engine/operaton) into the cache ahead
 * of the first start, so CI and a fresh checkout do the ~30 s Maven build once, visibly. A no-op
 * when the jar for the current sources is already there.
 */
import { loadConfig } from '../src/config/load-config.ts';
import { ensureEngineJar, findJavaHome } from '../src/engine/local-engine.ts';
import { createLogger } from '../src/shared/logger.ts';

const config = loadConfig(process.env);
const log = createLogger(config.LOG_LEVEL, 'engine-build');
const jar = await ensureEngineJar(config.CACHE_DIR, await findJavaHome(), log);
process.stdout.write(`engine jar: ${jar}\n`);
