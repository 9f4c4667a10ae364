import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildWeb, WEB_DIST } from '../scripts/web-build.ts';
import { hashPassword } from '../src/services/users.ts';
import { BENCH_PASSWORD, startBenchApp } from './support/bench-app.ts';
import { benchPort, inParallel } from './support/bench-engine.ts';
import { median } from './support/stats.ts';
import { launchBenchBrowser, renderedAt, renderProbe } from './support/browser.ts';

/**
 * Issue 18 figure: a department clerk's two doors to the same tasks, in Debian's Chromium — the
 * engine's own Tasklist and our inbox. For each: first paint of the task list (the list's first
 * task on screen, relative to navigation start) and task open (click on the first task → its
 * Camunda Form's first field on screen). Medians of RUNS (default 5); each run a fresh browser
 * context that has logged in once through the door's own login page, so both are measured as a
 * returning user with a warm cache and a live session.
 *
 * The county holds OPEN (default 200) open tasks of tests/fixtures/bpmn/web-inbox-answer.bpmn
 * (form web-inbox-answer.form), all for the clerk's unit (人社局) — the worst case of a unit's
 * list. The clerk is an app user kept in step with the engine's identity as the admin screen does.
 *
 *   npm exec -- node bench/tasklist.ts
 */
const runs = Number(process.env.RUNS ?? 5);
const openTasks = Number(process.env.OPEN ?? 200);
await buildWeb({ quiet: true });
const app = await startBenchApp({
  name: 'tasklist',
  pgPort: benchPort(54345),
  enginePort: benchPort(8097),
  catalogs: ['tests/fixtures/bpmn'],
  fixtures: ['web-inbox-answer'],
  staticDir: WEB_DIST,
  poolSize: 10,
});
const { db, base, engine, services } = app;
const webapps = `${app.bench.engineAddress.restAddress}/operaton`;
const clerk = 'bench-rsj';

const dueDate = new Date(Date.now() + 10 * 86_400_000).toISOString();
await inParallel(
  Array.from({ length: openTasks }, (_, i) => i),
  6,
  (i) => engine.startProcess('web-inbox-answer', { department: 'rsj', dueDate }, `tasklist-bench-${i}`),
);
await db.query(`INSERT INTO app_user (username, display_name, password_hash, department_id, roles) VALUES ($1, '人社局 赵科长', $2, 'rsj', '{department}')`, [
  clerk,
  await hashPassword(BENCH_PASSWORD),
]);
await services.engineIdentity.repair();
await services.engineIdentity.afterUsersChanged([{ username: clerk, password: BENCH_PASSWORD }]);
const [{ open }] = (await db.query(`SELECT count(*)::int AS open FROM engine_user_task WHERE state = 'CREATED'`)) as { open: number }[];

const browser: Browser = await launchBenchBrowser();


interface Door {
  name: string;
  /** Logs the clerk in through the door's own login page, leaving the session in the context. */
  logIn(context: BrowserContext): Promise<void>;
  listUrl: string;
  /** The list's first task (what "first paint" waits for). */
  firstTask: string;
  /** What the clerk clicks on it to open it. */
  openLink: string;
  /** The opened task's first form field. */
  formField: string;
}

const doors: Door[] = [
  {
    name: 'Tasklist (Operaton)',
    async logIn(context) {
      const page = await context.newPage();
      await page.goto(`${webapps}/app/tasklist/default/`);
      await page.getByPlaceholder('用户名').fill(clerk);
      await page.getByPlaceholder('密码').fill(BENCH_PASSWORD);
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('.brand-name').waitFor({ timeout: 120_000 });
      await page.close();
    },
    listUrl: `${webapps}/app/tasklist/default/`,
    firstTask: '.tasks-list .task',
    openLink: '.tasks-list .task',
    formField: '.fjs-form .fjs-form-field textarea, .fjs-form .fjs-form-field input',
  },
  {
    name: 'our inbox',
    async logIn(context) {
      const page = await context.newPage();
      await page.goto(`${base}/#/inbox`);
      await page.getByLabel('用户名').fill(clerk);
      await page.getByLabel('密码').fill(BENCH_PASSWORD);
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('#inbox-table tbody tr').first().waitFor({ timeout: 120_000 });
      await page.close();
    },
    listUrl: `${base}/#/inbox`,
    firstTask: '#inbox-table tbody tr',
    openLink: '#inbox-table tbody tr a.task-name',
    formField: '.fjs-form .fjs-form-field textarea, .fjs-form .fjs-form-field input',
  },
];

async function once(door: Door): Promise<{ paint: number; open: number }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  await door.logIn(context);
  await context.addInitScript(renderProbe(door.firstTask));
  const page: Page = await context.newPage();
  await page.goto(door.listUrl);
  const paint = await renderedAt(page);
  const clicked = performance.now();
  await page.locator(door.openLink).first().click();
  await page.locator(door.formField).first().waitFor({ timeout: 60_000 });
  const opened = performance.now() - clicked;
  await context.close();
  return { paint, open: opened };
}

console.log(`${open} open tasks in the county, all of the clerk's unit; ${runs} runs per door, fresh Chromium context each (logged in once, then measured), 1366×768`);
for (const door of doors) {
  await once(door); // warms the servers (JIT, pools), not the browser
  const results: { paint: number; open: number }[] = [];
  for (let i = 0; i < runs; i++) results.push(await once(door));
  const paint = median(results.map((r) => r.paint));
  const opened = median(results.map((r) => r.open));
  console.log(
    `  ${door.name.padEnd(20)} first paint of the list median ${paint.toFixed(0).padStart(5)} ms (${results.map((r) => r.paint.toFixed(0)).join(' ')}); task open median ${opened.toFixed(0).padStart(5)} ms (${results.map((r) => r.open.toFixed(0)).join(' ')})`,
  );
}
await browser.close();
await app.stop();
