import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { buildWeb, WEB_DIST } from '../scripts/web-build.ts';
import { hashPassword } from '../src/services/users.ts';
import { BENCH_PASSWORD, computeDemoRound, startBenchApp } from './support/bench-app.ts';
import { benchPort, benchStateDir, inParallel } from './support/bench-engine.ts';
import { median } from './support/stats.ts';
import { launchBenchBrowser, renderedAt, renderProbe } from './support/browser.ts';

/**
 * Issue 7 UI benchmark: time to first render of the inbox (its task table on screen) and of the
 * cockpit (its heat grid on screen) in Debian's Chromium, with a year of tasks and the demo
 * county's case data (a computed round), each against a static HTML page of the same size (the
 * rendered screen saved without scripts) served by the same app. Medians of RUNS (default 7)
 * fresh browser contexts each.
 *
 * The year of tasks lives where the inbox reads it, in the app's own Operaton engine (its tables,
 * through the `engine_user_task` view): one answer task (tests/fixtures/bpmn/web-inbox-answer.bpmn)
 * per unit per working day, due ten days after it was created, of which the last six weeks are
 * still open. The open ones, and one completed task per unit, are real engine tasks, started and
 * completed over REST with the engine clock pinned to their day; the other completed ones are that
 * unit's history rows (act_hi_taskinst and its candidate links) copied to each earlier working day
 * by SQL — the engine writes history once and never reads it back at run time, and ten thousand
 * REST round trips would make the set-up longer than the bench.
 *
 *   npm exec -- node bench/ui.ts
 */
const runs = Number(process.env.RUNS ?? 7);
await buildWeb({ quiet: true });
const staticDir = `${benchStateDir}/ui-static`;
const app = await startBenchApp({
  name: 'ui',
  pgPort: benchPort(54342),
  enginePort: benchPort(8098),
  catalogs: ['tests/fixtures/bpmn'],
  fixtures: ['web-inbox-answer'],
  clockControlled: true,
  staticDir,
  poolSize: 10,
});
const { db, base, engine } = app;

const departments: string[] = (await db.query(`SELECT id FROM department WHERE kind IN ('department','township')`)).map((r: { id: string }) => r.id);
const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;
// Day 365 is today; a task of day d was created at 09:00 (Asia/Shanghai) that day.
const todayMidnight = Math.floor((Date.now() + SHANGHAI) / DAY) * DAY - SHANGHAI;
const createdOn = (day: number) => new Date(todayMidnight - (365 - day) * DAY + 9 * 3_600_000);
const workingDays = Array.from({ length: 365 }, (_, i) => i + 1).filter((day) => {
  const weekday = new Date(createdOn(day).getTime() + SHANGHAI).getUTCDay();
  return weekday >= 1 && weekday <= 5;
});
const OPEN_AFTER = 335;
const [templateDay, ...copiedDays] = workingDays.filter((day) => day <= OPEN_AFTER);
const openDays = workingDays.filter((day) => day > OPEN_AFTER);
const PARALLEL = 6;
const setupStarted = performance.now();
const startDay = async (day: number) => {
  await engine.pinClock(createdOn(day));
  const started = new Map<string, string>();
  await inParallel(departments, PARALLEL, async (department) => {
    const instance = await engine.startProcess('web-inbox-answer', { department, dueDate: new Date(createdOn(day).getTime() + 10 * DAY).toISOString() });
    started.set(department, instance.processInstanceKey);
  });
  return started;
};
const openTask = async (instance: string, element: string) =>
  ((await db.query(`SELECT key::text FROM engine_user_task WHERE process_instance_key = $1 AND element_id = $2 AND state = 'CREATED'`, [instance, element])) as { key: string }[])[0]!
    .key;

// One real completed task per unit (answered five days after it came, then reviewed): the history template.
const templates = await startDay(templateDay!);
await engine.pinClock(new Date(createdOn(templateDay!).getTime() + 5 * DAY));
const templateTasks = new Map<string, string>();
await inParallel(departments, PARALLEL, async (department) => {
  const instance = templates.get(department)!;
  const answer = await openTask(instance, 'answer');
  templateTasks.set(department, answer);
  await engine.completeUserTask(answer, { analysis: '已逐项核查，风险可控，按期整改。', riskLevel: 'low', days: 5 });
  await engine.completeUserTask(await openTask(instance, 'review'), { analysis: '同意该单位的研判意见。', riskLevel: 'low', days: 5 });
});
// Its history rows on every other earlier working day, with ids far above the engine's own.
await db.query(
  `WITH unit AS (SELECT u.department, u.template, u.n FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(department, template, n)),
        copy AS (SELECT unit.*, day, (4000000000000000 + unit.n * 1000 + day)::text AS task_id, (5000000000000000 + unit.n * 1000 + day)::text AS instance_id,
                        (date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') - (365 - day) * interval '1 day' + interval '9 hours') AS created
                 FROM unit, unnest($3::int[]) AS day),
        tasks AS (
          INSERT INTO operaton.act_hi_taskinst
          SELECT (jsonb_populate_record(NULL::operaton.act_hi_taskinst, to_jsonb(t) || jsonb_build_object(
                   'id_', c.task_id, 'proc_inst_id_', c.instance_id, 'root_proc_inst_id_', c.instance_id, 'execution_id_', c.instance_id,
                   'act_inst_id_', 'answer:' || c.task_id, 'start_time_', c.created, 'end_time_', c.created + interval '5 days',
                   'duration_', 5 * 86400000, 'due_date_', c.created + interval '10 days'))).*
          FROM copy c JOIN operaton.act_hi_taskinst t ON t.id_ = c.template
          RETURNING id_)
   INSERT INTO operaton.act_hi_identitylink
   SELECT (jsonb_populate_record(NULL::operaton.act_hi_identitylink, to_jsonb(l) || jsonb_build_object(
            'id_', (c.task_id::bigint * 10 + row_number() OVER (PARTITION BY c.task_id ORDER BY l.id_))::text, 'task_id_', c.task_id,
            'root_proc_inst_id_', c.instance_id, 'timestamp_', c.created))).*
   FROM copy c JOIN operaton.act_hi_identitylink l ON l.task_id_ = c.template`,
  [departments, departments.map((d) => templateTasks.get(d)!), copiedDays],
);
// The last six weeks: real open tasks, each created on its day.
for (const day of openDays) await startDay(day);
await engine.resetClock();
console.log(
  `set-up: ${departments.length} units × ${workingDays.length} working days (${openDays.length} of them open): ${departments.length * (openDays.length + 1)} instances started and ${departments.length * 2} tasks completed over REST, ${departments.length * copiedDays.length} history copies, in ${((performance.now() - setupStarted) / 1000).toFixed(0)} s`,
);
await computeDemoRound(app);
const [{ total, open }] = (await db.query(`SELECT count(*) AS total, count(*) FILTER (WHERE state = 'CREATED') AS open FROM engine_user_task`)) as {
  total: string;
  open: string;
}[];
await db.query(`INSERT INTO app_user (username, display_name, password_hash, department_id, roles) VALUES ('bench-rsj', '人社局 赵科长', $1, 'rsj', '{department}')`, [
  await hashPassword(BENCH_PASSWORD),
]);

await rm(staticDir, { recursive: true, force: true });
await mkdir(staticDir, { recursive: true });
await cp(WEB_DIST, staticDir, { recursive: true });

const sessionCookie = () => app.login('bench-rsj');


const browser: Browser = await launchBenchBrowser();

async function firstRender(path: string, selector: string, cookie: string | null): Promise<{ ms: number; bytes: number }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  if (cookie) {
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: base }]);
  }
  await context.addInitScript(renderProbe(selector));
  const page = await context.newPage();
  let bytes = 0;
  page.on('response', (r) => {
    void r.body().then(
      (b) => (bytes += b.length),
      () => undefined,
    );
  });
  await page.goto(base + path);
  const ms = await renderedAt(page);
  await page.waitForLoadState('networkidle');
  await context.close();
  return { ms, bytes };
}

/** One screen against its static twin (the screen exactly as rendered, scripts removed, same stylesheet). */
async function measure(name: string, hash: string, selector: string, note: string): Promise<void> {
  const cookie = await sessionCookie();
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const [cookieName, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name: cookieName, value, url: base }]);
  const page = await context.newPage();
  await page.goto(`${base}/#${hash}`);
  await page.locator(selector).first().waitFor();
  type Node = { outerHTML: string; cloneNode(deep: boolean): Node; querySelectorAll(s: string): Iterable<{ remove(): void }> };
  const html = await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { documentElement: Node } }).document.documentElement.cloneNode(true);
    for (const s of doc.querySelectorAll('script, link[rel="modulepreload"]')) s.remove();
    return '<!doctype html>\n' + doc.outerHTML;
  });
  await writeFile(`${staticDir}/static-${name}.html`, html);
  await context.close();

  const appRuns: { ms: number; bytes: number }[] = [];
  const staticRuns: { ms: number; bytes: number }[] = [];
  await firstRender(`/#${hash}`, selector, await sessionCookie()); // warm the server (JIT, pool), not the browser: every run is a fresh context
  for (let i = 0; i < runs; i++) {
    appRuns.push(await firstRender(`/#${hash}`, selector, await sessionCookie()));
    staticRuns.push(await firstRender(`/static-${name}.html`, selector, null));
  }
  const app50 = median(appRuns.map((r) => r.ms));
  const static50 = median(staticRuns.map((r) => r.ms));
  console.log(`${name} first render, ${runs} runs each, fresh Chromium context per run, 1366×768; ${note}`);
  console.log(`  static page (same rendered screen, no scripts)  median ${static50.toFixed(0).padStart(5)} ms  (${median(staticRuns.map((r) => r.bytes))} bytes transferred)`);
  console.log(
    `  web app #${hash.padEnd(28)} median ${app50.toFixed(0).padStart(5)} ms  (${median(appRuns.map((r) => r.bytes))} bytes transferred)  ${(app50 / Math.max(1, static50)).toFixed(1)}× static`,
  );
  console.log(`  runs (ms): app ${appRuns.map((r) => r.ms.toFixed(0)).join(' ')} | static ${staticRuns.map((r) => r.ms.toFixed(0)).join(' ')}`);
}

await measure('inbox', '/inbox', '#inbox-table tbody tr', `${total} user tasks over a year (${open} open), ${departments.length} units; the user's department sees its own`);
await measure('cockpit', '/cockpit', '#heat-grid button', 'the demo county (32,000 cases 2022–2025), round 2025-H1: 37 indicators × 24 regions');

await browser.close();
await app.stop();
