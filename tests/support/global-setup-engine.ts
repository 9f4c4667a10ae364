import { isEngineReady, startLocalEngine, type LocalEngine } from '../../src/engine/local-engine.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { testEngineAddress } from './engine.ts';
import { testPorts, testStateDir } from './ports.ts';
import { rm } from 'node:fs/promises';

/**
 * Starts a clock-controlled engine on test ports, with fresh state, unless one already answers.
 * Its exporter writes the read model into the test database started by global-setup-database.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'info', 'test-engine');
  const address = testEngineAddress();
  if (await isEngineReady(address.restAddress)) return async () => {};
  const stateDir = `${testStateDir}/camunda`;
  // Fresh engine state each run; the read model rows of old runs never collide (keys are unique per state).
  await rm(stateDir, { recursive: true, force: true });
  const db = new URL(process.env.TEST_DATABASE_URL ?? '');
  const engine: LocalEngine = await startLocalEngine({
    version: process.env.CAMUNDA_VERSION ?? '8.6.0',
    cacheDir: process.env.CACHE_DIR ?? '.cache',
    stateDir,
    ports: {
      rest: testPorts.camundaRest,
      grpc: testPorts.camundaGrpc,
      management: testPorts.camundaManagement,
      internalBase: testPorts.camundaInternalBase,
    },
    clockControlled: true,
    readModel: { host: db.hostname, port: Number(db.port), database: db.pathname.slice(1), user: decodeURIComponent(db.username), password: decodeURIComponent(db.password) },
    log,
  });
  return () => engine.stop();
}
