import { rm } from 'node:fs/promises';
import { loadConfig } from '../config/load-config.ts';
import type { Config } from '../config/schema.ts';
import { bootstrapCore, deployProcesses, startWorkers, type Core } from '../main/bootstrap.ts';
import { startRuntime } from '../main/runtime.ts';
import { seedDemoUsers } from '../services/demo-seed.ts';
import type { Logger } from '../shared/logger.ts';

export interface SandboxOptions {
  /** Throw-away state folder (engine state, embedded PostgreSQL); removed at stop. */
  stateDir: string;
  /** First of two consecutive free ports: PostgreSQL, the engine. */
  basePort: number;
  /** A database to use instead of an embedded one (tests: a fresh database on the test server). */
  databaseUrl?: string;
  /** The configuration whose durations and dates the run follows (default: this environment's). */
  env?: NodeJS.ProcessEnv;
  log: Logger;
}

export interface Sandbox {
  core: Core;
  config: Config;
  stop(): Promise<void>;
}

/**
 * A whole system of its own — engine with clock control, PostgreSQL, the diagrams deployed, the
 * workers — on its own ports and state, for the dry run and the county-year test. It shares
 * nothing with a running demo or the test engine, so its moved clock disturbs no one.
 */
export async function startSandbox(o: SandboxOptions): Promise<Sandbox> {
  const p = o.basePort;
  const config = loadConfig({
    ...(o.env ?? process.env),
    STATE_DIR: o.stateDir,
    DATABASE_URL: o.databaseUrl,
    EMBEDDED_PG_PORT: String(p),
    ENGINE_MANAGED: 'true',
    ENGINE_REST_ADDRESS: `http://127.0.0.1:${p + 1}`,
    ENGINE_CLOCK_CONTROLLED: 'true',
    LOOP_CALENDAR_ENABLED: 'false',
  });
  await rm(o.stateDir, { recursive: true, force: true });
  const runtime = await startRuntime(config, o.log);
  try {
    const core = await bootstrapCore(config, o.log, runtime.databaseUrl, runtime.engine);
    await deployProcesses(core, o.log);
    await seedDemoUsers(core.db, core.services.users, 'dry-run-only-password');
    const workers = startWorkers(core, o.log);
    return {
      core,
      config,
      async stop() {
        await workers.stop();
        await core.engine.resetClock().catch(() => undefined);
        await core.close();
        await runtime.stop();
        await rm(o.stateDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await runtime.stop();
    throw error;
  }
}
