/**
 * Test ports and state, apart from a running demo (which uses 3000/8080/54320), so tests
 * never touch it. TEST_DATABASE_URL / TEST_ENGINE_ADDRESS point a child process (a fault test's
 * worker) at a fault test's private database and engine.
 * TEST_PORT_OFFSET (e.g. 100) moves every port and the state folder, so two checkouts can run
 * their tests side by side on one machine without sharing an engine or a database.
 */
const offset = Number(process.env.TEST_PORT_OFFSET ?? 0);

export const testPorts = {
  postgres: 54330 + offset,
  engine: 8089 + offset,
  /** Fault tests' private engines take ports from here up. */
  privateEngineBase: 8190 + offset,
  smtp: 2535 + offset,
  /** Six ports of the county-year test's own sandbox (src/dry-run/sandbox.ts). */
  countyYearBase: 54390 + offset,
  /** Two ports of the live demo test's own sandbox. */
  demoCountyBase: 54396 + offset,
  /** `npm start` as a whole in the start-and-stop test: its PostgreSQL, engine, web app and mail catcher. */
  npmStart: { postgres: 54380 + offset, engine: 8180 + offset, http: 3080 + offset, smtp: 2580 + offset },
};

export const testStateDir = offset === 0 ? '.state/test' : `.state/test-${offset}`;

export function testDatabaseAdminUrl(): string {
  return process.env.TEST_DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${testPorts.postgres}/riskloop`;
}
