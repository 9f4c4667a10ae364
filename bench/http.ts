import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import pg from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { loadConfig } from '../src/config/load-config.ts';
import { openDatabase } from '../src/db/data-source.ts';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { loadProcessCatalog } from '../src/engine/catalog.ts';
import { createEngineGateway } from '../src/engine/client.ts';
import { createApp } from '../src/http/app.ts';
import { createServices } from '../src/services/index.ts';
import { hashPassword } from '../src/services/users.ts';
import { createLogger } from '../src/shared/logger.ts';
import { systemClock } from '../src/shared/time.ts';

/**
 * Issue 8 HTTP load: 100 concurrent logged-in users on the inbox endpoints for 60 s (BENCH_SECONDS
 * to shorten), against a static file of the same size served by the same app in the same run.
 * Data: a year of open tasks (2,000) spread over the county's departments in the read model.
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const log = createLogger('silent');
const database = await startEmbeddedPostgres('.state/bench/pg', 54341, log);
const admin = new pg.Client({ connectionString: database.url });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS riskloop_http WITH (FORCE)`);
await admin.query(`CREATE DATABASE riskloop_http`);
await admin.end();
const db = await openDatabase(database.url.replace(/\/riskloop$/, '/riskloop_http'), 20);
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT: '1000' });
const engine = createEngineGateway({ restAddress: 'http://127.0.0.1:1', grpcAddress: 'grpc://127.0.0.1:1' }, log);
const services = createServices({ db, engine, catalog: await loadProcessCatalog(['bpmn']), clock: systemClock, config, log });

const departments: string[] = (await db.query(`SELECT id FROM department WHERE kind IN ('department','township')`)).map((r: { id: string }) => r.id);
await db.query(
  `INSERT INTO engine_user_task (key, process_instance_key, process_definition_key, bpmn_process_id, element_id, element_instance_key,
     candidate_groups, candidate_users, due_date, priority, form_key, custom_headers, state, creation_time, position)
   SELECT 3000000000000000 + g, g, 1, 'risk-notice', 'submit-opinion', g, ARRAY[($1::text[])[1 + g % cardinality($1::text[])]], '{}',
          now() + (g % 40 - 10) * interval '1 day', 50, -1, '{}', 'CREATED', now() - (g % 365) * interval '1 day', g
   FROM generate_series(1, 2000) g`,
  [departments],
);
const hash = await hashPassword('bench-password-123');
for (let i = 0; i < 100; i++) {
  await db.query(`INSERT INTO app_user (username, display_name, password_hash, department_id, roles) VALUES ($1, $1, $2, $3, '{department}')`, [
    `bench-${i}`,
    hash,
    departments[i % departments.length],
  ]);
}

const staticDir = '.state/bench/static';
const app = createApp({ services, config, pool: (db.driver as PostgresDriver).master as pg.Pool, sessionSecret: 'bench-secret-bench-secret-bench-secret', log, staticDir });
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function login(username: string): Promise<string> {
  const first = await fetch(`${base}/api/session`);
  const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await first.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken },
    body: JSON.stringify({ username, password: 'bench-password-123' }),
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
}
const cookies = await Promise.all(Array.from({ length: 100 }, (_, i) => login(`bench-${i}`)));
const sample = await (await fetch(`${base}/api/tasks?limit=50`, { headers: { cookie: cookies[0]! } })).text();
await rm(staticDir, { recursive: true, force: true });
await mkdir(staticDir, { recursive: true });
await writeFile(`${staticDir}/same-size.json`, sample);

async function load(path: string, withSession: boolean) {
  let next = 0;
  const result = await autocannon({
    url: base + path,
    connections: 100,
    duration: seconds,
    setupClient: (client) => {
      if (withSession) client.setHeaders({ cookie: cookies[next++ % cookies.length]! });
    },
  });
  return {
    path,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

const rows = [await load('/same-size.json', false), await load('/api/tasks?limit=50', true), await load('/api/tasks/count', true)];
console.log(`100 concurrent users, ${seconds} s each, ${sample.length} bytes per inbox page`);
for (const r of rows) {
  console.log(
    `  ${r.path.padEnd(22)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  errors ${r.errors}` +
      (r === rows[0] ? '  (static baseline)' : `  (p99 ${(r.p99 / Math.max(1, rows[0]!.p99)).toFixed(1)}× static)`),
  );
}
await new Promise((r) => server.close(r));
await engine.close();
await db.destroy();
await database.stop();
