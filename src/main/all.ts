import { loadConfig } from '../config/load-config.ts';
import { demoUsers, seedDemoCaseData, seedDemoUsers } from '../services/demo-seed.ts';
import { createLogger } from '../shared/logger.ts';
import { bootstrapCore, deployProcesses, startLoopCalendar, onShutdown, startHttp, startMail, startWorkers } from './bootstrap.ts';
import { startRuntime } from './runtime.ts';
import { stateSecretFile } from '../shared/state-files.ts';

/**
 * `npm start`: everything on one machine with embedded defaults — PostgreSQL, the Operaton
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
const core = await bootstrapCore(config, log, runtime.databaseUrl, runtime.engine);
await deployProcesses(core, log);

let demoPassword: string | undefined;
if (config.DEMO_SEED) {
  demoPassword = await stateSecretFile(config.STATE_DIR, 'demo-password', 16);
  if (await seedDemoUsers(core.db, core.services.users, demoPassword)) {
    await core.services.engineIdentity.afterUsersChanged(demoUsers.map((u) => ({ username: u.username, password: demoPassword })));
  }
  const cases = await seedDemoCaseData(core.db);
  if (cases) log.info({ cases }, 'demo case data generated and loaded');
}
const stopIdentityRepair = core.services.engineIdentity.start();
const stopTaskAudit = core.services.engineTaskAudit.start();
const mail = await startMail(core, config, log);
const workers = startWorkers(core, log);
await startLoopCalendar(core, log);
const server = await startHttp(core, config, log, runtime.secrets.session);

const lines = [
  '',
  `risk-loop is ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  `  Web app and API:   http://${config.HTTP_HOST}:${config.HTTP_PORT}`,
  `  Engine (Operaton): ${runtime.engine.restAddress}/engine-rest · Tasklist and Cockpit: ${runtime.engine.restAddress}/operaton/`,
  ...(runtime.engine.moreNodes ?? []).map((node) => `  Engine, more node: ${node}`),
  ...(runtime.engineLog ? [`  Engine log:        ${runtime.engineLog}`] : []),
  mail.catcher ? `  Mail catcher SMTP: 127.0.0.1:${mail.catcher.port} (development: mail stays on this machine)` : `  Mail relay:        ${config.SMTP_URL}`,
  ...(demoPassword
    ? ['  Demo users (password for all: ' + demoPassword + '):', ...demoUsers.map((u) => `    ${u.username.padEnd(8)} ${u.roles.join(',').padEnd(14)} ${u.displayName}`)]
    : []),
  '  Stop with Ctrl-C; wipe everything with `npm run reset`.',
  '',
];
process.stdout.write(lines.join('\n') + '\n');

onShutdown(log, [
  () => workers.stop(),
  () => mail.stop(),
  () => new Promise((r) => server.close(r)),
  stopIdentityRepair,
  stopTaskAudit,
  () => core.close(),
  () => runtime.stop(),
]);
