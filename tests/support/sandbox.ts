import path from 'node:path';
import { countyHistory } from '../../src/dry-run/county-year.ts';
import { runDemoCounty, type DemoCounty } from '../../src/dry-run/demo-county.ts';
import { startSandbox, type Sandbox } from '../../src/dry-run/sandbox.ts';
import { loadGeneratedData } from '../../src/services/cases/generated-data.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { freshTestDatabase } from './database.ts';
import { testStateDir } from './ports.ts';

/** A dry run's sandbox (its own engine with a movable clock, workers, a fresh database) for a test file named `name`. */
export async function startTestSandbox(name: string, basePort: number): Promise<Sandbox> {
  const level = process.env.TEST_LOG_LEVEL ?? 'warn';
  return startSandbox({
    stateDir: path.resolve(testStateDir, name),
    basePort,
    databaseUrl: await freshTestDatabase(name),
    env: { ...process.env, LOG_LEVEL: level },
    log: createLogger(level as 'warn', name),
  });
}

/** The living demo as the first start makes it: the demo county's history loaded, its year run on the sandbox up to `today`. */
export async function runTestDemoCounty(sandbox: Sandbox, today: string): Promise<DemoCounty> {
  const history = countyHistory(Number(today.slice(0, 4)));
  await loadGeneratedData(sandbox.core.db, history.data, history.name);
  return runDemoCounty({ services: sandbox.core.services, engine: sandbox.core.engine, config: sandbox.config }, today);
}
