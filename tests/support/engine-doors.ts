import type { Page, Response } from 'playwright-core';
import { testEngineAddress } from './engine.ts';

/** Where a browser opens the engine's webapps (Tasklist, Cockpit, Admin). */
export const webappsAddress = () => `${testEngineAddress().restAddress}/operaton`;

/**
 * A webapp's login page in Chromium (Tasklist, Cockpit or Admin), as a person uses it; ends on the app's start page.
 * The login form can be drawn again while the app starts, dropping what was typed and the click: when no
 * login request follows a click, the form is filled and sent again. A refused login fails at once with its status.
 */
export async function webappLoginPage(page: Page, app: 'tasklist' | 'cockpit' | 'admin', username: string, password: string): Promise<void> {
  await page.goto(`${webappsAddress()}/app/${app}/default/`);
  const isLogin = (res: Response) => res.request().method() === 'POST' && res.url().endsWith(`/api/admin/auth/user/default/login/${app}`);
  for (let attempt = 1; ; attempt++) {
    await page.getByPlaceholder('用户名').fill(username);
    await page.getByPlaceholder('密码').fill(password);
    const answered = page.waitForResponse(isLogin, { timeout: 10_000 }).catch(() => null);
    await page.getByRole('button', { name: '登录' }).click();
    const answer = await answered;
    if (answer) {
      if (!answer.ok()) throw new Error(`${app} refused the login of ${username}: HTTP ${answer.status()}`);
      break;
    }
    if (attempt === 3) throw new Error(`${app}'s login page sent no login for ${username} after ${attempt} clicks`);
  }
  await page.locator('.brand-name').waitFor();
}

/** Tasklist's login page, as a clerk uses it with the app's password. */
export const tasklistLogin = (page: Page, username: string, password: string) => webappLoginPage(page, 'tasklist', username, password);

/** What a door of the engine answered: its status and its JSON body (null when empty). */
export interface DoorAnswer {
  status: number;
  body: unknown;
}

/** A call to the engine's REST API as an engine user, with HTTP Basic (what Tasklist does for its user). */
export async function engineAs(user: string, password: string, method: string, url: string, body?: unknown): Promise<DoorAnswer> {
  const res = await fetch(`${testEngineAddress().restAddress}/engine-rest${url}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

/** The webapps' own login, as their login page does it (with the CSRF token its first page sets): status and the apps it opens. */
export async function webappLogin(app: 'tasklist' | 'cockpit' | 'admin', user: string, password: string): Promise<{ status: number; apps: string[] }> {
  const webapps = webappsAddress();
  const page = await fetch(`${webapps}/app/${app}/default/`);
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(`${webapps}/api/admin/auth/user/default/login/${app}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-xsrf-token': page.headers.get('x-xsrf-token') ?? '' },
    body: new URLSearchParams({ username: user, password }),
  });
  return { status: res.status, apps: res.ok ? ((await res.json()) as { authorizedApps: string[] }).authorizedApps.sort() : [] };
}
