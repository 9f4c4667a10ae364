import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/domain/identity/totp.ts';
import { startBrowser, type BrowserSession } from '../support/browser.ts';
import { ApiClient } from '../support/http-client.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser, TEST_PASSWORD } from '../support/users.ts';

/** The login page's second step for admins and leaders (MFA_ROLES), and the admin's reset of a lost one, in Chromium. */
describe('second factor in the browser', () => {
  let system: TestSystem;
  let session: BrowserSession;

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false, env: { MFA_ROLES: 'admin,leader' } });
    session = await startBrowser(() => system.baseUrl);
  });
  afterAll(async () => {
    await session?.close();
    await system?.stop();
  });

  it('when an admin logs in the first time, then it scans the QR code, a wrong code is refused in Chinese, the right one logs it in; and it resets a leader\'s second factor from 用户管理', async () => {
    const admin = await createTestUser(system.services, ['admin'], null);
    // A leader that set up its authenticator over the API, as the login page would.
    const leader = await createTestUser(system.services, ['leader'], null);
    const leaderClient = new ApiClient(system.baseUrl);
    const leaderSecret = (await leaderClient.login(leader.username, TEST_PASSWORD)).body.mfa.enrollment.secret as string;
    expect((await leaderClient.request('POST', '/api/session/mfa', { code: totpCode(leaderSecret, Date.now()) })).status).toBe(200);

    const page = await session.openPage();
    await page.goto(`${system.baseUrl}/#/admin/users`);
    await page.getByLabel('用户名').fill(admin.username);
    await page.getByLabel('密码').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('绑定身份验证器');
    const qr = page.getByRole('img', { name: '身份验证器绑定二维码' });
    expect(await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0)).toBe(true);
    const secret = ((await page.locator('#mfa-secret').textContent()) ?? '').replace(/ /g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await session.shot(page, 'login-second-factor');

    const good = totpCode(secret, Date.now());
    await page.getByLabel('动态口令').fill(good === '000000' ? '000001' : '000000');
    await page.getByRole('button', { name: '绑定并登录' }).click();
    await expect.poll(() => page.locator('.form-errors').textContent()).toContain('动态口令不正确或已使用过');
    await page.getByLabel('动态口令').fill(good);
    await page.getByRole('button', { name: '绑定并登录' }).click();
    await page.locator('.topbar').waitFor();

    const row = page.locator(`#users-table tr[data-username="${leader.username}"]`);
    await expect.poll(() => row.locator('td[data-label="动态口令"]').textContent()).toBe('已绑定');
    page.on('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: `重置动态口令：用户 ${leader.username}` }).click();
    await expect.poll(() => page.locator('.alert-success').textContent()).toBe(`已重置动态口令：${leader.displayName}`);
    await expect.poll(() => page.locator(`#users-table tr[data-username="${leader.username}"] td[data-label="动态口令"]`).textContent()).toBe('—');
    // The leader's session ended with it; the next login sets up a new authenticator.
    expect((await leaderClient.request('GET', '/api/session')).body.user).toBeNull();
    expect((await leaderClient.login(leader.username, TEST_PASSWORD)).body.mfa.step).toBe('enroll');
    expect(session.errors).toEqual([]);
  });
});
