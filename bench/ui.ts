import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { buildWeb, WEB_DIST } from '../scripts/web-build.ts';
import { hashPassword } from '../src/services/users.ts';
import { BENCH_PASSWORD, computeDemoRound, startBenchApp } from './support/bench-app.ts';

/**
 * Issue 7 UI benchmark: time to first render of the inbox (its task table on screen) and of the
 * cockpit (its heat grid on screen) in Debian's Chromium, with a year of generated tasks and the
 * demo county's case data (a computed round), each against a static HTML page of the same size
 * (the rendered screen saved without scripts) served by the same app. Medians of RUNS (default 7)
 * fresh browser contexts each.
 */
const runs = Number(process.env.RUNS ?? 7);
await buildWeb({ quiet: true });
const staticDir = '.state/bench/ui-static';
const app = await startBenchApp({ name: 'ui', port: 54342, catalog: 'tests/fixtures/bpmn', staticDir, poolSize: 10 });
const { db, base } = app;

// A year of the loop in the read model: one answer task per unit per working day (~250 × units),
// of which the last six weeks are still open; the user's department sees its own.
const departments: string[] = (await db.query(`SELECT id FROM department WHERE kind IN ('department','township')`)).map((r: { id: string }) => r.id);
await db.query(
  `INSERT INTO engine_user_task (key, process_instance_key, process_definition_key, bpmn_process_id, element_id, element_instance_key,
     candidate_groups, candidate_users, due_date, priority, form_key, custom_headers, state, creation_time, end_time, position)
   SELECT 4000000000000000 + d.n * 1000 + day, 5000000000000000 + d.n * 1000 + day, 1, 'web-inbox-answer', 'answer', day,
          ARRAY[d.id], '{}', now() - (365 - day) * interval '1 day' + interval '10 days', 50, -1, '{}',
          CASE WHEN day > 335 THEN 'CREATED' ELSE 'COMPLETED' END,
          now() - (365 - day) * interval '1 day', CASE WHEN day > 335 THEN NULL ELSE now() - (360 - day) * interval '1 day' END, day
   FROM unnest($1::text[]) WITH ORDINALITY AS d(id, n), generate_series(1, 365) day
   WHERE extract(isodow FROM now() - (365 - day) * interval '1 day') < 6`,
  [departments],
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

/** Records when the screen's first content (`selector`) is in the DOM and painted (two frames later), relative to navigation start. */
const renderProbe = (selector: string) => `(() => {
  const done = () => requestAnimationFrame(() => requestAnimationFrame(() => { window.__rendered = performance.now(); }));
  const seen = () => document.querySelector(${JSON.stringify(selector)});
  if (seen()) return done();
  const observer = new MutationObserver(() => { if (seen()) { observer.disconnect(); done(); } });
  observer.observe(document, { childList: true, subtree: true });
})();`;

const browser: Browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

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
  // Browser-side code through globalThis: this file is type-checked without the DOM library,
  // and our CSP forbids the eval that string predicates would need.
  await page.waitForFunction(() => typeof (globalThis as { __rendered?: number }).__rendered === 'number', undefined, { timeout: 30_000 });
  const ms = await page.evaluate(() => (globalThis as unknown as { __rendered: number }).__rendered);
  await page.waitForLoadState('networkidle');
  await context.close();
  return { ms, bytes };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

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
