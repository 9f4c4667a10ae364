/**
 * Test ports and state, apart from a running demo (which uses 3000/8080/26500/54320), so tests
 * never touch it. Override with TEST_DATABASE_URL / TEST_CAMUNDA_* to point at running services.
 */
export const testPorts = {
  postgres: 54330,
  camundaRest: 8089,
  camundaGrpc: 26600,
  camundaManagement: 9610,
  camundaInternalBase: 26601,
  smtp: 2535,
};

export const testStateDir = '.state/test';

export function testDatabaseAdminUrl(): string {
  return process.env.TEST_DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${testPorts.postgres}/riskloop`;
}
