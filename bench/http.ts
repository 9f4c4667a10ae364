import { mkdir, rm, writeFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import { hashPassword } from '../src/services/users.ts';
import { BENCH_PASSWORD, computeDemoRound, startBenchApp } from './support/bench-app.ts';
import { benchPort, benchStateDir, inParallel } from './support/bench-engine.ts';

/**
 * Issue 8 / 20 HTTP load: 100 concurrent logged-in users for 60 s per endpoint (BENCH_SECONDS to
 * shorten) on the inbox (a page of tasks, the open count), the cockpit and two ledgers, against a static file
 * of the inbox page's size served by the same app, in the same run. Users: three in four are
 * department staff (their inbox), one in four county leaders (the whole county's cockpit).
 * Data: 2,000 open user tasks spread over the departments, real tasks of the app's own Operaton
 * engine (the inbox reads the engine's tables through the `engine_user_task` view): instances of
 * the answer diagram (tests/fixtures/bpmn/web-inbox-answer.bpmn, candidate group = the
 * department, due dates from 10 days overdue to 30 days ahead) started over REST before the load,
 * six at a time; the demo county's cases and its 2025 H1 round computed (37 indicators × 24
 * regions). The engine stays idle during the load.
 *
 *   npm exec -- node bench/http.ts
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const TASKS = 2000;
const staticDir = `${benchStateDir}/http-static`;
const app = await startBenchApp({
  name: 'http',
  pgPort: benchPort(54343),
  enginePort: benchPort(8099),
  catalogs: ['bpmn', 'tests/fixtures/bpmn'],
  fixtures: ['web-inbox-answer'],
  staticDir,
  poolSize: 20,
});
const { db } = app;

const departments: string[] = (await db.query(`SELECT id FROM department WHERE kind IN ('department','township')`)).map((r: { id: string }) => r.id);
const setupStarted = performance.now();
await inParallel(
  Array.from({ length: TASKS }, (_, i) => i + 1),
  6,
  (g) =>
    app.engine.startProcess('web-inbox-answer', {
      department: departments[g % departments.length],
      dueDate: new Date(Date.now() + ((g % 40) - 10) * 86_400_000).toISOString(),
    }),
);
const [{ open }] = (await db.query(`SELECT count(*)::int AS open FROM engine_user_task WHERE state = 'CREATED'`)) as { open: number }[];
if (open !== TASKS) throw new Error(`${open} open tasks in the engine, expected ${TASKS}`);
console.log(`set-up: ${TASKS} tasks started in the engine in ${((performance.now() - setupStarted) / 1000).toFixed(0)} s`);
await computeDemoRound(app);
const hash = await hashPassword(BENCH_PASSWORD);
for (let i = 0; i < 100; i++) {
  const leader = i % 4 === 0;
  await db.query(`INSERT INTO app_user (username, display_name, password_hash, department_id, roles) VALUES ($1, $1, $2, $3, $4)`, [
    `bench-${i}`,
    hash,
    leader ? 'zfw' : departments[i % departments.length],
    leader ? '{leader}' : '{department}',
  ]);
}
const cookies = await Promise.all(Array.from({ length: 100 }, (_, i) => app.login(`bench-${i}`)));
const sample = await (await fetch(`${app.base}/api/tasks?limit=50`, { headers: { cookie: cookies[1]! } })).text();
await rm(staticDir, { recursive: true, force: true });
await mkdir(staticDir, { recursive: true });
await writeFile(`${staticDir}/same-size.json`, sample);

async function load(path: string, withSession: boolean) {
  let next = 0;
  const result = await autocannon({
    url: app.base + path,
    connections: 100,
    duration: seconds,
    setupClient: (client) => {
      if (withSession) client.setHeaders({ cookie: cookies[next++ % cookies.length]! });
    },
  });
  return { path, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

const rows = [
  await load('/same-size.json', false),
  await load('/api/tasks?limit=50', true),
  await load('/api/tasks/count', true),
  await load('/api/cockpit?roundId=2025-H1', true),
  // Ledgers: each read is audited (第二十条), so the load writes an audit row per request too.
  await load('/api/ledgers/notices?limit=50', true),
  await load('/api/ledgers/items?limit=50', true),
];
console.log(`100 concurrent users (75 department staff, 25 leaders), ${seconds} s per endpoint, ${sample.length} bytes per inbox page`);
for (const r of rows) {
  console.log(
    `  ${r.path.padEnd(30)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  errors ${r.errors}` +
      (r === rows[0] ? '  (static baseline)' : `  (p99 ${(r.p99 / Math.max(1, rows[0]!.p99)).toFixed(1)}× static)`),
  );
}
await app.stop();
