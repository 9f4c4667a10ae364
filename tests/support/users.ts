import { systemActor, type Role } from '../../src/services/actor.ts';
import type { Services } from '../../src/services/index.ts';
import { uniqueSuffix } from './database.ts';

export const TEST_PASSWORD = 'correct-horse-battery-staple';

/** A fresh user per test (unique name), so tests never share sessions or rate-limit buckets. */
export async function createTestUser(services: Services, roles: Role[], departmentId: string | null) {
  const username = `t-${roles[0]}-${uniqueSuffix()}`.toLowerCase().replace(/_/g, '-');
  return services.users.create(systemActor, { username, displayName: username, password: TEST_PASSWORD, departmentId, roles });
}
