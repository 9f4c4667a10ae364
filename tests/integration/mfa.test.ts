import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { totpCode } from '../../src/domain/identity/totp.ts';
import { ApiClient } from '../support/http-client.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser, signedInUser, TEST_PASSWORD } from '../support/users.ts';

/** The second factor of admins and leaders (ASVS 6.3.3, issue 20): TOTP set up at the first login, asked at every later one. */
describe('second factor at login', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false, env: { MFA_ROLES: 'admin,leader', LOGIN_RATE_LIMIT: '8' } });
  });
  afterAll(async () => {
    await system?.stop();
  });

  const audited = async (action: string, userId: string) =>
    (await system.db.query(`SELECT after FROM audit_log WHERE action = $1 AND actor_id = $2 ORDER BY id`, [action, userId])) as { after: unknown }[];
  /** The second step as the login page sends it; a success rotates the session, and with it the CSRF token. */
  const giveCode = async (client: ApiClient, code: string) => {
    const res = await client.request('POST', '/api/session/mfa', { code });
    if (res.status === 200) client.csrfToken = res.body.csrfToken;
    return res;
  };
  const whoAmI = async (client: ApiClient) => ((await client.request('GET', '/api/session')).body.user?.username ?? null) as string | null;
  /** A leader past its password, in the middle of setting up its authenticator. */
  const leaderAtEnrollment = async () => {
    const user = await createTestUser(system.services, ['leader'], null);
    const client = new ApiClient(system.baseUrl);
    const res = await client.login(user.username, TEST_PASSWORD);
    expect(res.status).toBe(200);
    return { user, client, res, secret: res.body.mfa?.enrollment?.secret as string };
  };
  /** A leader whose authenticator is set up with `setupCode`, logged out again. */
  const enrolledLeader = async () => {
    const { user, client, secret } = await leaderAtEnrollment();
    const setupCode = totpCode(secret, Date.now());
    expect((await giveCode(client, setupCode)).status).toBe(200);
    expect((await client.request('DELETE', '/api/session')).status).toBe(200);
    return { user, client, secret, setupCode };
  };

  it('when a leader without a second factor gives its password, then it is not logged in but shown a secret and QR code to set one up, sealed in the database', async () => {
    const { user, client, res, secret } = await leaderAtEnrollment();
    expect(res.body.user).toBeNull();
    expect(res.body.mfa.step).toBe('enroll');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(res.body.mfa.enrollment.uri).toBe(`otpauth://totp/${encodeURIComponent('唐河县社会治理风险闭环管理平台')}:${user.username}?issuer=${encodeURIComponent('唐河县社会治理风险闭环管理平台')}&secret=${secret}&algorithm=SHA1&digits=6&period=30`);
    expect(Buffer.from(res.body.mfa.enrollment.qrCode.replace('data:image/svg+xml;base64,', ''), 'base64').toString()).toMatch(/^<svg /);
    expect(await whoAmI(client)).toBeNull();
    expect((await client.request('GET', '/api/admin/users')).status).toBe(401);
    const [stored] = await system.db.query(`SELECT sealed_secret, enabled_at FROM user_totp WHERE user_id = $1`, [user.id]);
    expect(stored.enabled_at).toBeNull();
    expect(stored.sealed_secret).toMatch(/^v1\./);
    expect(stored.sealed_secret).not.toContain(secret);
  });

  it('when the leader types a wrong code, then 400 names the code and it stays logged out; the right code logs it in and confirms the setup, audited', async () => {
    const { user, client, secret } = await leaderAtEnrollment();
    const good = totpCode(secret, Date.now());
    const wrong = await giveCode(client, good === '000000' ? '000001' : '000000');
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.problems).toEqual([{ field: 'code', reason: '动态口令不正确或已使用过，请输入身份验证器当前显示的 6 位数字' }]);
    expect(await whoAmI(client)).toBeNull();
    const cookieBefore = client.sessionCookie;
    const right = await giveCode(client, good);
    expect(right.status).toBe(200);
    expect(right.body.user.username).toBe(user.username);
    expect(client.sessionCookie).not.toBe(cookieBefore);
    expect(await whoAmI(client)).toBe(user.username);
    expect(await audited('auth.mfa.failed', user.id)).toEqual([{ after: expect.objectContaining({ failures: 1 }) }]);
    expect(await audited('auth.mfa.enrolled', user.id)).toHaveLength(1);
    expect(await audited('auth.login', user.id)).toEqual([{ after: expect.objectContaining({ secondFactor: true }) }]);
  });

  it('when an enrolled leader logs in again, then it is asked for a code without a new secret, and a code already used is refused', async () => {
    // The code the setup took, not one computed again: a new 30-second step may have begun since (CI stop 32).
    const { user, client, secret, setupCode } = await enrolledLeader();
    const res = await client.login(user.username, TEST_PASSWORD);
    expect(res.body).toEqual(expect.objectContaining({ user: null, mfa: { step: 'verify' } }));
    // The code of the setup (or the step before it): its step is not newer than the last one taken.
    expect((await giveCode(client, setupCode)).status).toBe(400);
    expect((await giveCode(client, totpCode(secret, Date.now() - 30_000))).status).toBe(400);
    // The next step's code (a phone a little ahead) is newer: accepted once.
    const next = totpCode(secret, Date.now() + 30_000);
    expect((await giveCode(client, next)).status).toBe(200);
    expect(await whoAmI(client)).toBe(user.username);
  });

  it('when a department user logs in, then its role needs no second factor and the password alone logs it in', async () => {
    const { client, user } = await signedInUser(system, ['department'], 'rsj');
    expect(await whoAmI(client)).toBe(user.username);
    expect(await audited('auth.login', user.id)).toEqual([{ after: expect.objectContaining({ secondFactor: false }) }]);
  });

  it('when five wrong codes are typed, then the password is asked again; and past the failure limit the account is throttled with 429', async () => {
    const { user, client, secret } = await enrolledLeader();
    const wrongCode = () => {
      const good = new Set([-30_000, 0, 30_000].map((d) => totpCode(secret, Date.now() + d)));
      return ['111111', '222222', '333333', '444444'].find((c) => !good.has(c))!;
    };
    await client.login(user.username, TEST_PASSWORD);
    for (let i = 1; i <= 4; i++) expect((await giveCode(client, wrongCode())).status).toBe(400);
    const fifth = await giveCode(client, wrongCode());
    expect(fifth.status).toBe(401);
    expect(fifth.body.error.message).toBe('动态口令错误次数过多，请重新输入用户名和密码');
    const afterwards = await giveCode(client, totpCode(secret, Date.now() + 30_000));
    expect(afterwards.body.error.message).toBe('登录已超时，请重新输入用户名和密码');
    // With the password again, from a new session: the account's 5 failed codes still count (limit 8 here).
    const again = new ApiClient(system.baseUrl);
    await again.login(user.username, TEST_PASSWORD);
    for (let i = 1; i <= 3; i++) expect((await giveCode(again, wrongCode())).status).toBe(400);
    expect((await giveCode(again, wrongCode())).status).toBe(429);
    expect((await giveCode(again, totpCode(secret, Date.now() + 30_000))).status).toBe(429);
    expect(await whoAmI(again)).toBeNull();
  });

  describe('with the clock moved', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('when the code comes more than five minutes after the password, then the password is asked again', async () => {
      const { user, client, secret } = await enrolledLeader();
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
      await client.login(user.username, TEST_PASSWORD);
      vi.setSystemTime(Date.now() + 5 * 60_000 + 1000);
      const late = await giveCode(client, totpCode(secret, Date.now()));
      expect(late.status).toBe(401);
      expect(late.body.error.message).toBe('登录已超时，请重新输入用户名和密码');
      expect(await whoAmI(client)).toBeNull();
    });
  });

  it('when an admin resets a leader\'s second factor, then the leader\'s sessions end and its next login sets one up anew; a leader may not reset one', async () => {
    const { user, client, secret } = await enrolledLeader();
    await client.login(user.username, TEST_PASSWORD);
    expect((await giveCode(client, totpCode(secret, Date.now() + 30_000))).status).toBe(200);
    expect((await client.request('DELETE', `/api/admin/users/${user.id}/mfa`)).status).toBe(403);

    const admin = await createTestUser(system.services, ['admin'], null);
    const adminClient = new ApiClient(system.baseUrl);
    const adminSecret = (await adminClient.login(admin.username, TEST_PASSWORD)).body.mfa.enrollment.secret as string;
    expect((await giveCode(adminClient, totpCode(adminSecret, Date.now()))).status).toBe(200);
    const listed = (await adminClient.request('GET', '/api/admin/users')).body.find((u: { id: string }) => u.id === user.id);
    expect(listed.secondFactor).toBe(true);
    expect((await adminClient.request('DELETE', `/api/admin/users/${user.id}/mfa`)).status).toBe(200);

    expect(await whoAmI(client)).toBeNull();
    const relogin = await client.login(user.username, TEST_PASSWORD);
    expect(relogin.body.mfa.step).toBe('enroll');
    expect(relogin.body.mfa.enrollment.secret).not.toBe(secret);
    const [reset] = (await system.db.query(`SELECT actor_id, entity_id FROM audit_log WHERE action = 'user.mfa.reset' AND entity_id = $1`, [user.id])) as { actor_id: string }[];
    expect(reset).toEqual({ actor_id: admin.id, entity_id: user.id });
  });
});
