import { expect } from 'vitest';
import { systemActor, type Role } from '../../src/services/actor.ts';
import type { Services } from '../../src/services/index.ts';
import { uniqueSuffix } from './database.ts';
import { ApiClient } from './http-client.ts';

export const TEST_PASSWORD = 'correct-horse-battery-staple';

/** A fresh user per test (unique name), so tests never share sessions or rate-limit buckets. */
export async function createTestUser(services: Services, roles: Role[], departmentId: string | null) {
  const username = `t-${roles[0]}-${uniqueSuffix()}`.toLowerCase().replace(/_/g, '-');
  return services.users.create(systemActor, { username, displayName: username, password: TEST_PASSWORD, departmentId, roles });
}

/** A fresh user of the roles and unit, logged in through the HTTP API (asserted): its client and the user. */
export async function signedInUser(system: { services: Services; baseUrl: string }, roles: Role[], departmentId: string | null) {
  const user = await createTestUser(system.services, roles, departmentId);
  const client = new ApiClient(system.baseUrl);
  expect((await client.login(user.username, TEST_PASSWORD)).status).toBe(200);
  return { user, client };
}
