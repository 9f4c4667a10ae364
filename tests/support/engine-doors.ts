import type { Page } from 'playwright-core';
import { testEngineAddress } from './engine.ts';

/** Where a browser opens the engine's webapps (Tasklist, Cockpit, Admin). */
export const webappsAddress = () => `${testEngineAddress().restAddress}/operaton`;

/** Tasklist's login page in Chromium, as a clerk uses it with the app's password; ends on Tasklist's start page. */
export async function tasklistLogin(page: Page, username: string, password: string): Promise<void> {
  await page.goto(`${webappsAddress()}/app/tasklist/default/`);
  await page.getByPlaceholder('用户名').fill(username);
  await page.getByPlaceholder('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('.brand-name').waitFor();
}

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
