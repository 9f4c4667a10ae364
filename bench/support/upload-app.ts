import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { Config } from '../../src/config/schema.ts';
import { loadProcessCatalog } from '../../src/engine/catalog.ts';
import { createEngineGateway } from '../../src/engine/client.ts';
import { createApp } from '../../src/http/app.ts';
import { createServices } from '../../src/services/index.ts';
import type { ImportSummary } from '../../src/services/imports/case-import.ts';
import { hashPassword } from '../../src/services/users.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { systemClock } from '../../src/shared/time.ts';
import { BENCH_PASSWORD, sessionSavesLanded, signIn } from './session.ts';

const USER = 'bench-court';

export interface UploadApp {
  /** The file as the request body of POST /api/imports/cases (streamed, with its Content-Length): the summary the app answers. */
  importFile(file: string): Promise<ImportSummary>;
  stop(): Promise<void>;
}

/**
 * The web app in this process over a bench database, uploaded to as the 数据导入 screen does it: a
 * court analyst signed in, the file streamed as the request body. No engine runs: the import route
 * never calls one (the gateway points at a closed port and is never asked).
 */
export async function startUploadApp(db: DataSource, config: Config): Promise<UploadApp> {
  const log = createLogger('silent');
  const engine = createEngineGateway({ restAddress: 'http://127.0.0.1:9/engine-rest', credentials: { user: 'none', password: 'none' } }, log);
  const services = createServices({ db, engine, catalog: await loadProcessCatalog(['bpmn']), clock: systemClock, config, log });
  const app = createApp({ services, config, pool: (db.driver as PostgresDriver).master as pg.Pool, sessionSecret: 'bench-secret-bench-secret-bench-secret', log, staticDir: 'web-dist' });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  await db.query(`INSERT INTO app_user (username, display_name, password_hash, department_id, roles) VALUES ($1, $1, $2, 'court', '{court_analyst}')`, [USER, await hashPassword(BENCH_PASSWORD)]);
  const session = await signIn(`http://127.0.0.1:${port}`, USER, BENCH_PASSWORD);
  return {
    async importFile(file) {
      const query = new URLSearchParams({ fileName: path.basename(file), format: 'csv' });
      const req = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/imports/cases?${query}`,
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'text/csv', 'content-length': (await stat(file)).size },
      });
      const answered = new Promise<{ status: number; body: string }>((resolve, reject) =>
        req.once('response', (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (s: string) => (body += s)).once('end', () => resolve({ status: res.statusCode!, body })).once('error', reject);
        }),
      );
      await pipeline(createReadStream(file), req);
      const { status, body } = await answered;
      if (status !== 201) throw new Error(`upload of ${path.basename(file)} answered ${status}: ${body.slice(0, 500)}`);
      return JSON.parse(body) as ImportSummary;
    },
    async stop() {
      await new Promise((r) => server.close(r));
      await sessionSavesLanded((db.driver as PostgresDriver).master as pg.Pool);
      await engine.close();
    },
  };
}
