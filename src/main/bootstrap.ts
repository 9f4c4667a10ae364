import path from 'node:path';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { Config } from '../config/schema.ts';
import { appRolePassword, openAppDatabase } from '../db/app-role.ts';
import { loadProcessCatalog, type ProcessCatalog } from '../engine/catalog.ts';
import { createEngineGateway, type EngineAddress, type EngineGateway } from '../engine/client.ts';
import { startJobWorkers, type WorkerHost } from '../engine/worker-host.ts';
import { engineSchemaExists, ensureEngineReadViews } from '../engine/read-views.ts';
import { databaseStartLock } from '../db/start-lock.ts';
import { waitFor } from '../shared/wait-for.ts';
import { createApp } from '../http/app.ts';
import { createServices, type Services } from '../services/index.ts';
import type { Logger } from '../shared/logger.ts';
import { systemClock } from '../shared/time.ts';
import { workerDefinitions } from '../../workers/registry.ts';
import { readdir } from 'node:fs/promises';
import { toRegistrations } from '../../workers/runtime/registrations.ts';
import type { Server } from 'node:http';
import { startMailCatcher, type MailCatcher } from '../mail/catcher.ts';
import { createMailDispatcher } from '../mail/dispatcher.ts';
import { createConfiguredSmtpTransport } from '../mail/transport.ts';

export const BPMN_DIR = path.resolve(import.meta.dirname, '../../bpmn');

export interface Core {
  db: DataSource;
  engine: EngineGateway;
  catalog: ProcessCatalog;
  services: Services;
  close(): Promise<void>;
}

/**
 * config → database (as its owner: migrated, engine read views, the app role's grants; then the
 * pool as the app role, src/db/app-role.ts) → engine client → catalog → services: shared by every
 * composition root. `databaseUrl` is the owner's.
 */
export async function bootstrapCore(
  config: Config,
  log: Logger,
  databaseUrl: string,
  engineAddress: EngineAddress,
  extraBpmnDirs: string[] = [],
): Promise<Core> {
  const db = await openAppDatabase(databaseUrl, await appRolePassword(config), {
    prepare: async (owner) => {
      await waitFor(() => engineSchemaExists(owner).then((yes) => yes || undefined), 'the engine schema (operaton) in the database', 180_000);
      await ensureEngineReadViews(owner);
    },
  });
  const engine = createEngineGateway(engineAddress, log, { startLock: databaseStartLock(db) });
  const catalog = await loadProcessCatalog([BPMN_DIR, ...extraBpmnDirs]);
  const services = createServices({ db, engine, catalog, clock: systemClock, config, log });
  return {
    db,
    engine,
    catalog,
    services,
    close: async () => {
      await engine.close();
      await db.destroy();
    },
  };
}

/**
 * Deploys every diagram and form of bpmn/ in one deployment (an unchanged resource is not
 * versioned again). Every topic has its worker: the diagram contract test fails the build otherwise.
 */
export async function deployProcesses(core: Core, log: Logger): Promise<void> {
  const ids = (await readdir(BPMN_DIR)).filter((f) => f.endsWith('.bpmn')).map((f) => f.replace(/\.bpmn$/, ''));
  const deployment = await core.engine.deployProcesses(BPMN_DIR, ids);
  log.info({ processes: deployment.processes, forms: deployment.forms.length }, 'diagrams deployed');
}

/** Starts the county's loop calendar (a running calendar ignores the repeat). */
export async function startLoopCalendar(core: Core, log: Logger): Promise<void> {
  await core.services.calendar.ensureRunning();
  log.info({ enabled: core.services.config.LOOP_CALENDAR_ENABLED }, 'loop calendar running');
}

export function startWorkers(core: Core, log: Logger): WorkerHost {
  return startJobWorkers(core.engine, toRegistrations(workerDefinitions, { services: core.services, log }), log, core.catalog);
}

export async function startHttp(core: Core, config: Config, log: Logger, sessionSecret: string): Promise<Server> {
  const app = createApp({
    services: core.services,
    config,
    pool: (core.db.driver as PostgresDriver).master as Pool,
    sessionSecret,
    log,
    staticDir: path.resolve(import.meta.dirname, '../../web-dist'),
  });
  return new Promise((resolve) => {
    const server = app.listen(config.HTTP_PORT, config.HTTP_HOST, () => resolve(server));
  });
}

/**
 * The outbox dispatcher, sending to SMTP_URL; without one (development), to a local mail catcher
 * whose received mail stays in memory for the running process.
 */
export async function startMail(core: Core, config: Config, log: Logger): Promise<{ catcher?: MailCatcher; stop(): Promise<void> }> {
  const catcher = config.SMTP_URL ? undefined : await startMailCatcher(config.MAIL_CATCHER_PORT);
  const dispatcher = createMailDispatcher(core.db, createConfiguredSmtpTransport(config, catcher?.port), log, {
    from: config.MAIL_FROM,
  });
  dispatcher.start();
  if (catcher) core.services.devMailbox.attach(catcher.received);
  return {
    catcher,
    stop: async () => {
      await dispatcher.stop();
      await catcher?.stop();
    },
  };
}

export interface Shutdown {
  /** True once a signal (or `stop`) began the shutdown. */
  readonly stopping: boolean;
  /** Runs the steps once, in order, and exits with `code`. */
  stop(reason: string, code?: number): Promise<void>;
}

/**
 * Stops in reverse order of start on SIGINT (Ctrl-C) and SIGTERM: `steps` run in order (workers
 * drain, the server closes, then connections), then the process exits 0. The steps are read when
 * the shutdown begins, so a composition root may add them as its parts start.
 */
export function onShutdown(log: Logger, steps: (() => Promise<unknown>)[]): Shutdown {
  let stopping = false;
  const stop = async (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'stopping');
    for (const step of [...steps]) await step().catch((e: unknown) => log.warn({ err: e }, 'shutdown step failed'));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  return {
    get stopping() {
      return stopping;
    },
    stop,
  };
}
