import pg from 'pg';
import type { Config } from '../config/schema.ts';
import { countyHistory } from '../dry-run/county-year.ts';
import { demoYear, runDemoCounty } from '../dry-run/demo-county.ts';
import { isEngineReady } from '../engine/local-engine.ts';
import { loadGeneratedData } from '../services/cases/generated-data.ts';
import { demoUsers, seedDemoUsers } from '../services/demo-seed.ts';
import type { Logger } from '../shared/logger.ts';
import { bootstrapCore, deployProcesses, startWorkers } from './bootstrap.ts';
import { startDatabase, startRuntime } from './runtime.ts';

/** Whether the database holds no case data yet (the app's tables may not even exist). */
async function isFreshDatabase(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const [row] = (await client.query<{ fresh: boolean }>(`SELECT to_regclass('public.import_file') IS NULL AS fresh`)).rows;
    if (row!.fresh) return true;
    return (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM import_file`)).rows[0]!.n === 0;
  } finally {
    await client.end();
  }
}

/**
 * The demo's first start (DEMO_SEED, issue 21 point 6): before the system starts for real, a
 * throw-away engine with a moved clock runs the county's loop from January up to today on the
 * same database (src/dry-run/demo-county.ts), so a visitor finds a county at work — rounds,
 * answered and pending notices, items green to 约谈, a published annual report — not an empty one.
 * Then that engine stops, and the real one carries on with every timer still pending. Once only: a
 * database with case data is left alone, and so is an engine this start does not manage.
 * `register` hands the parts it starts to the caller's Ctrl-C.
 */
export async function prepareLiveDemo(config: Config, log: Logger, password: string, register: (stop: () => Promise<unknown>) => () => void): Promise<boolean> {
  if (!config.ENGINE_MANAGED || (await isEngineReady(config.ENGINE_REST_ADDRESS))) return false;
  const database = await startDatabase(config, log);
  const fresh = await isFreshDatabase(database.url).finally(() => database.stop());
  if (!fresh) return false;

  const started = Date.now();
  log.info('first start: the live demo runs the county\'s year up to today on a throw-away engine (a few minutes, once)');
  const demoConfig: Config = { ...config, ENGINE_CLOCK_CONTROLLED: true, ENGINE_NODES: 1, LOOP_CALENDAR_ENABLED: false };
  const runtime = await startRuntime(demoConfig, log);
  const unregister = register(() => runtime.stop());
  try {
    const core = await bootstrapCore(demoConfig, log, runtime.databaseUrl, runtime.engine);
    try {
      await deployProcesses(core, log);
      if (await seedDemoUsers(core.db, core.services.users, password)) {
        await core.services.engineIdentity.afterUsersChanged(demoUsers.map((u) => ({ username: u.username, password })));
      }
      const now = new Date().toISOString();
      const history = countyHistory(demoYear(now, config, core.services.workCalendar));
      const { cases } = await loadGeneratedData(core.db, history.data, history.name);
      log.info({ cases }, 'demo case data generated and loaded');
      const workers = startWorkers(core, log);
      try {
        const demo = await runDemoCounty(
          { services: core.services, engine: core.engine, config: demoConfig, onEntry: (e) => log.info({ at: e.at }, `演示：${e.event}`) },
          now,
        );
        log.info({ round: demo.roundId, notices: Object.values(demo.notices).flat().length, seconds: Math.round((Date.now() - started) / 1000) }, 'live demo ready');
        return true;
      } finally {
        await workers.stop();
        await core.engine.resetClock();
      }
    } finally {
      await core.close();
    }
  } finally {
    unregister();
    await runtime.stop();
  }
}
