import path from 'node:path';
import type { Server } from 'node:http';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { Pool } from 'pg';
import { loadConfig } from '../config/load-config.ts';
import { openDatabase } from '../db/data-source.ts';
import { loadProcessCatalog } from '../engine/catalog.ts';
import { createEngineGateway } from '../engine/client.ts';
import { startJobWorkers } from '../engine/worker-host.ts';
import { createApp } from '../http/app.ts';
import { seedDemoUsers, demoUsers } from '../services/demo-seed.ts';
import { createServices } from '../services/index.ts';
import { createLogger } from '../shared/logger.ts';
import { systemClock } from '../shared/time.ts';
import { workerDefinitions } from '../../workers/registry.ts';
import { toRegistrations } from '../../workers/runtime/registrations.ts';
import { startRuntime } from './runtime.ts';
import { stateSecretFile } from './state-files.ts';

/**
 * `npm start`: everything on one machine with embedded defaults — PostgreSQL, the Camunda
 * engine, the diagrams deployed, the workers, the web app and demo data. Ctrl-C stops it all.
 */
const config = loadConfig();
const log = createLogger(config.LOG_LEVEL);
const started = Date.now();

const runtime = await startRuntime(config, log);
process.on('uncaughtException', (error) => {
  log.fatal({ err: error }, 'start failed');
  void runtime.stop().finally(() => process.exit(1));
});
const db = await openDatabase(runtime.databaseUrl);
const engine = createEngineGateway(runtime.engine, log);
const bpmnDir = path.resolve('bpmn');
const deployment = await engine.deployDirectory(bpmnDir);
log.info({ processes: deployment.processes, forms: deployment.forms.length }, 'diagrams deployed');
const catalog = await loadProcessCatalog([bpmnDir]);
const services = createServices({ db, engine, catalog, clock: systemClock, config, log });

let demoPassword: string | undefined;
if (config.DEMO_SEED) {
  demoPassword = await stateSecretFile(config.STATE_DIR, 'demo-password', 16);
  await seedDemoUsers(db, services.users, demoPassword);
}

const workers = startJobWorkers(engine, toRegistrations(workerDefinitions, { services, log }), log);
const app = createApp({
  services,
  config,
  pool: (db.driver as PostgresDriver).master as Pool,
  sessionSecret: runtime.secrets.session,
  log,
  staticDir: path.resolve('web-dist'),
});
const server: Server = await new Promise((resolve) => {
  const s = app.listen(config.HTTP_PORT, config.HTTP_HOST, () => resolve(s));
});

const appUrl = `http://${config.HTTP_HOST}:${config.HTTP_PORT}`;
const lines = [
  '',
  `risk-loop is ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  `  Web app and API:   ${appUrl}`,
  `  Camunda REST API:  ${runtime.engine.restAddress}/v2 (Zeebe gRPC ${runtime.engine.grpcAddress})`,
  ...(runtime.engineLog ? [`  Camunda log:       ${runtime.engineLog}`] : []),
  `  Camunda Tasklist and Operate: not available — the Camunda 8.6 distribution on Maven Central needs`,
  `    Elasticsearch for them; the same user tasks are in the app's inbox (see docs/engine.md).`,
  ...(demoPassword
    ? ['  Demo users (password for all: ' + demoPassword + '):', ...demoUsers.map((u) => `    ${u.username.padEnd(8)} ${u.roles.join(',').padEnd(14)} ${u.displayName}`)]
    : []),
  '  Stop with Ctrl-C; wipe everything with `npm run reset`.',
  '',
];
process.stdout.write(lines.join('\n') + '\n');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping');
  await workers.stop();
  await new Promise((r) => server.close(r));
  await engine.close();
  await db.destroy();
  await runtime.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
