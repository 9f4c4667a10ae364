import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueSuffix } from '../support/database.ts';
import { testEngineCredentials } from '../support/engine.ts';
import { engineAs, webappLogin } from '../support/engine-doors.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signedInUser } from '../support/users.ts';

/**
 * Issue 18 "wrong password in Tasklist": the engine's own lockout (application.yaml: 3 s doubled
 * per failure up to 60 s, locked for good after 10), on the engine's clock, which the test moves.
 * The app’s own login is throttled separately (tests/integration/http-edge.test.ts, 429).
 */
describe('wrong passwords at the engine’s doors', () => {
  let system: TestSystem;
  const password = 'engine-door-password-1';

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: true });
    await system.services.engineIdentity.repair();
  });

  afterAll(async () => {
    await system?.stop();
  });

  const createClerk = async () => {
    const admin = (await signedInUser(system, ['admin'], null)).client;
    const username = `wu-${uniqueSuffix()}`;
    const res = await admin.request('POST', '/api/admin/users', { username, displayName: '吴科长', password, departmentId: 'jrj', roles: ['department'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { username };
  };

  it('when a clerk types wrong passwords, then the engine locks it for 3 s, 6 s … and after 10 until the engine administrator unlocks it', async () => {
    const clerk = await createClerk();
    const wrong = 'wrong-password-typed';
    const start = Date.now();
    let offset = 0;
    /** The engine's clock (the lock's time base) moved `seconds` further on. */
    const later = async (seconds: number) => {
      offset += seconds * 1000;
      await system.engine.pinClock(new Date(start + offset));
    };
    try {
      await later(0);
      expect((await webappLogin('tasklist', clerk.username, wrong)).status).toBe(401);
      // Locked for 3 s: even the right password is refused, in Tasklist and over REST alike.
      expect((await webappLogin('tasklist', clerk.username, password)).status).toBe(401);
      expect((await engineAs(clerk.username, password, 'GET', '/task/count')).status).toBe(401);
      await later(2);
      expect((await webappLogin('tasklist', clerk.username, password)).status).toBe(401);
      await later(1.5);
      expect((await webappLogin('tasklist', clerk.username, password)).status).toBe(200);

      // The right password reset the count; ten failures in a row, each after the previous lock
      // ran out (3, 6, 12, 24, 48, then 60 s each), lock it for good.
      for (const lockedFor of [3, 6, 12, 24, 48, 60, 60, 60, 60]) {
        expect((await webappLogin('tasklist', clerk.username, wrong)).status).toBe(401);
        await later(lockedFor + 0.5);
      }
      expect((await webappLogin('tasklist', clerk.username, wrong)).status).toBe(401);
      await later(86_400);
      expect((await webappLogin('tasklist', clerk.username, password)).status).toBe(401);

      // Admin → 用户 → 解锁, as the engine administrator does it; the app's account may not.
      expect((await engineAs(testEngineCredentials.user, testEngineCredentials.password, 'POST', `/user/${clerk.username}/unlock`)).status).toBe(403);
      expect((await engineAs('engine-admin', 'test-admin-password', 'POST', `/user/${clerk.username}/unlock`)).status).toBe(204);
      expect((await webappLogin('tasklist', clerk.username, password)).status).toBe(200);
    } finally {
      await system.engine.resetClock();
    }
  });
});
