import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/http-client.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser, TEST_PASSWORD } from '../support/users.ts';

/** Units and the effective settings for admins: an edit is audited, a bad address named, the auditor reads only. */
describe('units and settings', () => {
  let system: TestSystem;
  const clients: Record<'admin' | 'auditor', ApiClient> = {} as never;

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false, env: { LOOP_SETTINGS: '{"yellowCardAfterUrgeWorkingDays":4}' } });
    for (const role of ['admin', 'auditor'] as const) {
      clients[role] = new ApiClient(system.baseUrl);
      expect((await clients[role].login((await createTestUser(system.services, [role], null)).username, TEST_PASSWORD)).status).toBe(200);
    }
  });

  afterAll(async () => {
    await system?.services.db.query(`UPDATE department SET leader_email = 'wxb-leader@tanghe.gov.example' WHERE id = 'wxb'`);
    await system?.stop();
  });

  it("when the admin changes a unit's leader address, then it is stored and audited; a bad address is named; the auditor may not change it", async () => {
    const changed = await clients.admin.request('PATCH', '/api/admin/departments/wxb', { leaderEmail: 'wxb-fuzeren@tanghe.gov.example' });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.leader_email).toBe('wxb-fuzeren@tanghe.gov.example');
    const [audit] = await system.services.db.query(`SELECT after FROM audit_log WHERE action = 'department.update' AND entity_id = 'wxb' ORDER BY id DESC LIMIT 1`);
    expect(audit.after.leader_email).toBe('wxb-fuzeren@tanghe.gov.example');
    const bad = await clients.admin.request('PATCH', '/api/admin/departments/wxb', { email: 'not-an-address' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('电子邮箱格式不正确');
    expect((await clients.auditor.request('PATCH', '/api/admin/departments/wxb', { active: false })).status).toBe(403);
    const units = await clients.auditor.request('GET', '/api/admin/departments');
    expect(units.body.find((u: { id: string }) => u.id === 'wxb')).toMatchObject({ leaderEmail: 'wxb-fuzeren@tanghe.gov.example', active: true });
  });

  it('when the settings are read, then they show the configured ladder over the defaults', async () => {
    const res = await clients.auditor.request('GET', '/api/admin/settings');
    expect(res.body.loop.yellowCardAfterUrgeWorkingDays).toBe(4);
    expect(res.body.loop.redCardAfterYellowCardWorkingDays).toBe(5);
    expect(res.body.scoring.coUnitFactor).toBe(0.5);
    expect(res.body.calendar.halfYearRoundDate).toBe('07-10');
  });
});
