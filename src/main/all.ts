import { loadConfig } from '../config/load-config.ts';
import { demoUsers, seedDemoCaseData, seedDemoUsers } from '../services/demo-seed.ts';
import { createLogger } from '../shared/logger.ts';
import { bootstrapCore, deployProcesses, startLoopCalendar, onShutdown, startHttp, startMail, startWorkers } from './bootstrap.ts';
import { prepareLiveDemo } from './live-demo.ts';
import { checkInstallation } from './preflight.ts';
import { startRuntime } from './runtime.ts';
import { stateSecretFile } from '../shared/state-files.ts';

/**
 * `npm start`: everything on one machine with embedded defaults — PostgreSQL, the Operaton
 * engine, the diagrams deployed, the workers, the web app and demo data. Ctrl-C stops it all.
 */
const config = loadConfig();
checkInstallation();
const log = createLogger(config.LOG_LEVEL);
const started = Date.now();

// Ctrl-C works from the first moment: each part adds its stop as it starts, and the newest stops
// first (the web app, the workers, …, the engine and PostgreSQL last). The engine and PostgreSQL
// run in process groups of their own, so the terminal's Ctrl-C reaches this process only.
const stops: (() => Promise<unknown>)[] = [];
const shutdown = onShutdown(log, stops);
process.on('uncaughtException', (error) => {
  log.fatal({ err: error }, 'uncaught error');
  void shutdown.stop('uncaught error', 1);
});

try {
  const demoPassword = config.DEMO_SEED ? await stateSecretFile(config.STATE_DIR, 'demo-password', 16) : undefined;
  if (demoPassword && config.DEMO_LIVE) {
    await prepareLiveDemo(config, log, demoPassword, (stop) => {
      stops.unshift(stop);
      return () => void stops.splice(stops.indexOf(stop), 1);
    });
  }
  const runtime = await startRuntime(config, log);
  stops.unshift(() => runtime.stop());
  const core = await bootstrapCore(config, log, runtime.databaseUrl, runtime.engine);
  stops.unshift(() => core.close());
  await deployProcesses(core, log);

  if (demoPassword) {
    if (await seedDemoUsers(core.db, core.services.users, demoPassword)) {
      await core.services.engineIdentity.afterUsersChanged(demoUsers.map((u) => ({ username: u.username, password: demoPassword })));
    }
    const cases = await seedDemoCaseData(core.db);
    if (cases) log.info({ cases }, 'demo case data generated and loaded');
  }
  stops.unshift(core.services.engineIdentity.start());
  stops.unshift(core.services.engineTaskAudit.start());
  const mail = await startMail(core, config, log);
  stops.unshift(() => mail.stop());
  const workers = startWorkers(core, log);
  stops.unshift(() => workers.stop());
  await startLoopCalendar(core, log);
  const server = await startHttp(core, config, log, runtime.secrets.session);
  stops.unshift(() => new Promise((r) => server.close(r)));

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
} catch (error) {
  // After a Ctrl-C during the start, the parts still starting fail as what they need stops: no news.
  if (!shutdown.stopping) {
    log.fatal({ err: error }, 'start failed');
    await shutdown.stop('start failed', 1);
  }
}
