import { createServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { uniqueSuffix } from '../support/database.ts';
import { ApiClient } from '../support/http-client.ts';
import { productionEnv } from '../support/production-env.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser, signedInUser, TEST_PASSWORD } from '../support/users.ts';
import { testEngineCredentials } from '../support/engine.ts';

/** Bad input gets a clear Chinese error naming the field and changes nothing; sessions are safe (ASVS 3.3, 3.5, 6.3, 7.2–7.4). */
describe('HTTP edge: bad input, sessions, CSRF, headers', () => {
  let system: TestSystem;
  let admin: ApiClient;
  const userCount = async () => Number((await system.services.db.query(`SELECT count(*) AS n FROM app_user`))[0].n);
  /** Rows of the session a cookie names (`rl.sid=s:<id>.<signature>`, URL-encoded). */
  const storedSessions = async (cookie: string) => {
    const sid = /^s:([^.]+)\./.exec(decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1)))![1];
    return Number((await system.services.db.query(`SELECT count(*) AS n FROM session WHERE sid = $1`, [sid]))[0].n);
  };

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false, env: { HTTP_BODY_LIMIT_BYTES: '2048' } });
    admin = (await signedInUser(system, ['admin'], null)).client;
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('when the JSON is malformed, then 400 says so and nothing is written', async () => {
    const before = await userCount();
    const res = await admin.request('POST', '/api/admin/users', '{"username": "x",', {});
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
    expect(res.body.error.message).toMatch(/JSON/);
    expect(await userCount()).toBe(before);
  });

  it('when a body has an unknown field or a bad value, then 400 names each field with a Chinese reason', async () => {
    const before = await userCount();
    const res = await admin.request('POST', '/api/admin/users', {
      username: 'Bad Name!',
      displayName: '测试',
      password: 'short',
      departmentId: null,
      roles: ['emperor'],
      isAdmin: true,
    });
    expect(res.status).toBe(400);
    const fields = Object.fromEntries(res.body.error.problems.map((p: { field: string; reason: string }) => [p.field, p.reason]));
    expect(fields.username).toMatch(/小写字母/);
    expect(fields.password).toMatch(/不能少于 12/);
    expect(fields['roles.0']).toMatch(/取值无效/);
    expect(Object.values(fields).join()).toMatch(/不允许的字段：isAdmin/);
    expect(await userCount()).toBe(before);
  });

  it('when an admin gives a new user a password common in breaches or made of its own user name, then 400 names the password and no user is created', async () => {
    const before = await userCount();
    const username = `breach-${uniqueSuffix()}`;
    const create = (password: string) => admin.request('POST', '/api/admin/users', { username, displayName: '李明', password, departmentId: null, roles: ['auditor'] });
    const common = await create('password1234');
    expect(common.status).toBe(400);
    expect(common.body.error.problems).toEqual([{ field: 'password', reason: '密码由已泄露的常见密码组成，容易被猜中，请换一个' }]);
    const ownName = await create(`${username}!`);
    expect(ownName.status).toBe(400);
    expect(ownName.body.error.problems).toEqual([{ field: 'password', reason: '密码含有用户名或姓名，容易被猜中，请换一个' }]);
    expect(await userCount()).toBe(before);
    expect((await create('唐河县平安办2026年督办台账')).status).toBe(201);
  });

  it('when a body exceeds the configured limit, then 413 and nothing is written', async () => {
    const before = await userCount();
    const res = await admin.request('POST', '/api/admin/users', { username: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(res.body.error.message).toBe('请求体过大');
    expect(await userCount()).toBe(before);
  });

  it('when credentials are wrong, then 401 in Chinese and the failure is audited', async () => {
    const client = new ApiClient(system.baseUrl);
    const res = await client.login('no-such-user', 'wrong-password-123');
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe('用户名或密码错误');
    const rows = await system.services.db.query(`SELECT 1 FROM audit_log WHERE action = 'auth.login.failed' AND actor_name = 'no-such-user'`);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('when a state change comes without the CSRF token, with a wrong one or with another session\'s, then 403 and nothing changes', async () => {
    const other = (await signedInUser(system, ['admin'], null)).client;
    const token = admin.csrfToken;
    expect(other.csrfToken).not.toBe(token);
    const newUser = (username: string) => ({ username, displayName: 'x', password: 'long-enough-password', departmentId: null, roles: ['auditor'] });
    const before = await userCount();
    const wrong = token.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    for (const [forged, label] of [['', 'missing'], [wrong, 'wrong'], [other.csrfToken, 'another session\'s']] as const) {
      admin.csrfToken = forged;
      const res = await admin.request('POST', '/api/admin/users', newUser(`csrf-victim-${uniqueSuffix()}`));
      expect(res.status, label).toBe(403);
      expect(res.body.error.code, label).toBe('csrf');
    }
    admin.csrfToken = token;
    expect(await userCount()).toBe(before);
    // The same request with the session's own token goes through: the token alone made the difference.
    expect((await admin.request('POST', '/api/admin/users', newUser(`csrf-control-${uniqueSuffix()}`))).status).toBe(201);
  });

  it('when a user logs in, then the session id rotates and the cookie is HttpOnly and SameSite=Strict', async () => {
    const user = await createTestUser(system.services, ['department'], 'rsj');
    const client = new ApiClient(system.baseUrl);
    await client.refreshCsrf();
    const anonymousCookie = client.sessionCookie;
    const res = await client.request('POST', '/api/session', { username: user.username, password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    expect(client.sessionCookie).not.toBe(anonymousCookie);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
  });

  it('when a user logs out, then its session row is gone from the server and the old cookie no longer works', async () => {
    const user = await createTestUser(system.services, ['department'], 'rsj');
    const client = new ApiClient(system.baseUrl);
    await client.login(user.username, TEST_PASSWORD);
    const cookie = client.sessionCookie;
    expect((await client.request('GET', '/api/tasks')).status).toBe(200);
    expect(await storedSessions(cookie)).toBe(1);
    expect((await client.request('DELETE', '/api/session')).status).toBe(200);
    expect(await storedSessions(cookie)).toBe(0);
    const replay = await fetch(`${system.baseUrl}/api/tasks`, { headers: { cookie } });
    expect(replay.status).toBe(401);
  });

  /**
   * Session time is the process's wall clock (express-session's cookie expiry, connect-pg-simple's `expire`
   * column checked in each lookup, the absolute limit in app.ts): the test moves Date, nothing sleeps.
   */
  describe('with the clock moved', () => {
    const minutes = (n: number) => n * 60_000;
    const moveClock = (ms: number) => vi.setSystemTime(Date.now() + ms);
    const signedIn = async () => {
      const user = await createTestUser(system.services, ['department'], 'rsj');
      const client = new ApiClient(system.baseUrl);
      expect((await client.login(user.username, TEST_PASSWORD)).status).toBe(200);
      /** Who the server says is signed in; a session that ended answers 200 with nobody (and a fresh CSRF token), never an error. */
      const whoAmI = async () => {
        const res = await client.request('GET', '/api/session');
        expect(res.status).toBe(200);
        expect(res.body.csrfToken).toEqual(expect.any(String));
        return (res.body.user?.username ?? null) as string | null;
      };
      /** When the cookie the last answer set expires, in the browser's terms. */
      const cookieExpiry = async () => /Expires=([^;]+)/.exec((await client.request('GET', '/api/session')).headers.get('set-cookie') ?? '')?.[1];
      return { user, client, whoAmI, cookieExpiry };
    };
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('when a session stays idle longer than SESSION_IDLE_MINUTES, then it ends on the server; each request before that restarts the wait', async () => {
      const idle = minutes(system.config.SESSION_IDLE_MINUTES);
      const { user, client, whoAmI, cookieExpiry } = await signedIn();
      moveClock(idle - minutes(1));
      expect(await whoAmI()).toBe(user.username);
      // The browser's cookie slides with the session: every answer sets it anew to expire one idle time from now.
      expect(await cookieExpiry()).toBe(new Date(Date.now() + idle).toUTCString());
      // Twice the idle time since login, but never idle for long: still signed in.
      moveClock(idle - minutes(1));
      expect(await whoAmI()).toBe(user.username);
      moveClock(idle + minutes(1));
      expect(await whoAmI()).toBeNull();
      expect((await client.request('GET', '/api/tasks')).status).toBe(401);
    });

    it('when a session is kept busy past its absolute lifetime of 12 hours, then it ends and its row is deleted', async () => {
      const { user, client, whoAmI } = await signedIn();
      const cookie = client.sessionCookie;
      for (let elapsed = minutes(20); elapsed <= minutes(11 * 60 + 40); elapsed += minutes(20)) {
        moveClock(minutes(20));
        expect(await whoAmI(), `${elapsed / 60_000} min after login`).toBe(user.username);
      }
      // 12 h 01 min after login and 21 min after the last request: the idle limit would still allow it.
      moveClock(minutes(21));
      expect(await whoAmI()).toBeNull();
      expect(await storedSessions(cookie)).toBe(0);
    });
  });

  it('when an admin disables a user, then all its sessions end at once', async () => {
    const user = await createTestUser(system.services, ['department'], 'rsj');
    const a = new ApiClient(system.baseUrl);
    const b = new ApiClient(system.baseUrl);
    await a.login(user.username, TEST_PASSWORD);
    await b.login(user.username, TEST_PASSWORD);
    expect((await admin.request('POST', `/api/admin/users/${user.id}/disable`)).status).toBe(200);
    expect((await a.request('GET', '/api/tasks')).status).toBe(401);
    expect((await b.request('GET', '/api/tasks')).status).toBe(401);
    expect((await new ApiClient(system.baseUrl).login(user.username, TEST_PASSWORD)).status).toBe(401);
  });

  it('when logins keep failing for one account, then the address is throttled with 429', async () => {
    const user = await createTestUser(system.services, ['department'], 'rsj');
    const client = new ApiClient(system.baseUrl);
    await client.refreshCsrf();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await client.request('POST', '/api/session', { username: user.username, password: `wrong-${i}-password` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('when any page or API answers, then security headers are set and API responses are not cached', async () => {
    const res = await fetch(`${system.baseUrl}/api/session`);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('when a password is stored, then it is an argon2id hash', async () => {
    const user = await createTestUser(system.services, ['auditor'], null);
    const [row] = await system.services.db.query(`SELECT password_hash FROM app_user WHERE id = $1`, [user.id]);
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=\d+,p=\d+,t=\d+\$/);
  });
});

/**
 * The production configuration (productionEnv: NODE_ENV=production, TRUST_PROXY=loopback) as it runs behind
 * its HTTPS reverse proxy, which the test plays by sending X-Forwarded-Proto: https from the loopback address.
 */
describe('HTTP edge: production cookies behind the HTTPS proxy', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false, env: { ...productionEnv } });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('when a user logs in through the proxy, then the session cookie is __Host- prefixed, Secure, HttpOnly, SameSite=Strict, Path=/ without Domain, and it works', async () => {
    expect(system.config.NODE_ENV).toBe('production');
    const user = await createTestUser(system.services, ['department'], 'rsj');
    const client = new ApiClient(system.baseUrl, { 'x-forwarded-proto': 'https' });
    await client.refreshCsrf();
    const res = await client.request('POST', '/api/session', { username: user.username, password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    client.csrfToken = res.body.csrfToken;
    const attributes = (res.headers.get('set-cookie') ?? '').split(';').map((a) => a.trim());
    expect(attributes[0]).toMatch(/^__Host-rl\.sid=s%3A/);
    expect(attributes.slice(1).map((a) => a.split('=')[0]!.toLowerCase()).sort()).toEqual(['expires', 'httponly', 'path', 'samesite', 'secure']);
    expect(attributes).toContain('Path=/');
    expect(attributes).toContain('SameSite=Strict');
    expect((await client.request('GET', '/api/tasks')).status).toBe(200);
    expect((await client.request('DELETE', '/api/session')).status).toBe(200);
  });

  it('when a request reaches the app over plain HTTP, not through the proxy, then no session cookie is issued and no login holds', async () => {
    const user = await createTestUser(system.services, ['department'], 'rsj');
    const client = new ApiClient(system.baseUrl);
    const session = await client.request('GET', '/api/session');
    expect(session.headers.get('set-cookie')).toBeNull();
    const login = await client.login(user.username, TEST_PASSWORD);
    expect(login.status).toBe(403);
    expect(client.sessionCookie).toBe('');
  });
});

/** QUALITY.md §3: an engine that is away is a passing condition — the caller hears so at once, nothing is written. */
describe('HTTP edge: the engine unreachable', () => {
  let system: TestSystem;
  let court: ApiClient;

  beforeAll(async () => {
    // A port nothing listens on: taken from the OS, then released.
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    system = await startTestSystem({ withEngine: false, engineAddress: { restAddress: `http://127.0.0.1:${closed}`, credentials: testEngineCredentials } });
    court = (await signedInUser(system, ['court_analyst'], 'court')).client;
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('when a round is started by hand, then 503 says in Chinese to retry, within seconds, and no start is recorded', async () => {
    const roundId = `2031-H1-e${Date.now() % 100_000}`;
    const started = performance.now();
    const res = await court.request('POST', '/api/rounds', { roundKind: 'half_year', year: 2031, roundId });
    const took = performance.now() - started;
    console.log(`engine unreachable: POST /api/rounds answered ${res.status} after ${took.toFixed(0)} ms`);
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(/流程引擎暂不可用/);
    expect(took).toBeLessThan(5_000);
    const audit = await system.services.db.query(`SELECT 1 FROM audit_log WHERE action = 'assessment_round.start' AND entity_id = $1`, [roundId]);
    expect(audit).toHaveLength(0);
  });
});
