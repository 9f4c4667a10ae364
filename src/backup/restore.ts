import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { extract as tarExtract } from 'tar-stream';
import { MigrationExecutor } from 'typeorm';
import { createDataSource } from '../db/data-source.ts';
import { COPY_SESSION_SETTINGS } from './catalog.ts';
import {
  APP_SCHEMA,
  BackupRefused,
  ENGINE_SCHEMA_NAME,
  MANIFEST_ENTRY,
  countCopyRows,
  createEngineTables,
  dataEntryName,
  finishEngineTables,
  parseManifest,
  qualified,
  quoteIdent,
  secretEntryName,
  versionProblems,
  type Manifest,
  type TableEntry,
} from './manifest.ts';
import { codeVersions } from './versions.ts';

/**
 * `npm run restore -- <file>`: a backup (backup.ts) into an empty database and state folder.
 *
 * Refuses, before writing anything, a file that is not a backup, a backup of other schema versions
 * than this code's (app migrations, Operaton version), a database that has any table, and a state
 * folder holding a different secret of the same name. Then, in ONE transaction: the app's
 * migrations create its schema as a first start does (their reference rows are replaced by the
 * backup's), the engine's schema is created from the definition the backup carries, every table
 * is loaded by COPY and checked against the manifest (rows and SHA-256), the engine schema gets
 * its keys and indexes, sequences are set, and locks held by the old system's job executor and
 * workers are released. The secrets are written just before COMMIT (and removed again if it
 * fails): a failed restore leaves the target as empty as it was.
 */

export interface RestoreOptions {
  databaseUrl: string;
  stateDir: string;
  file: string;
}

export interface RestoreResult {
  elapsedMs: number;
  tables: number;
  rows: number;
  secretsWritten: string[];
  manifest: Manifest;
}

async function readAll(entry: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of entry) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Every table, view, sequence or foreign table outside PostgreSQL's own schemas. */
async function existingRelations(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
      ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

/** Secrets of the backup whose file exists in the state folder with other content. */
async function conflictingSecrets(stateDir: string, manifest: Manifest): Promise<string[]> {
  const out: string[] = [];
  for (const s of manifest.secrets) {
    const file = path.resolve(stateDir, 'secrets', s.name);
    if (existsSync(file) && sha256(await readFile(file)) !== s.sha256) out.push(s.name);
  }
  return out;
}

/** Loads one table's COPY data and checks it against the manifest. */
async function loadTable(client: pg.ClientBase, table: TableEntry, entry: AsyncIterable<unknown>): Promise<void> {
  const hash = createHash('sha256');
  let rows = 0;
  let bytes = 0;
  const check = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      rows += countCopyRows(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const columns = table.columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ');
  const copy = client.query(copyFrom(`COPY ${qualified(table.schema, table.name)} (${columns}) FROM STDIN`));
  await pipeline(Readable.from(entry), check, copy);
  if (hash.digest('hex') !== table.sha256 || bytes !== table.bytes || rows !== table.rows || copy.rowCount !== table.rows) {
    throw new BackupRefused(`表 ${table.schema}.${table.name} 的数据与备份清单不符（行数 ${copy.rowCount}/${table.rows}），备份文件可能已损坏。`);
  }
}

/** An error of the file itself: gzip (zlib's Z_* codes) or tar (tar-stream's messages). */
function isArchiveError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return (typeof e.code === 'string' && e.code.startsWith('Z_')) || /^(Unexpected end of data|Invalid header|Invalid tar header|Header exceeds max size)/.test(String(e.message));
}

export async function restoreBackup(o: RestoreOptions): Promise<RestoreResult> {
  const started = performance.now();
  const entries = tarExtract();
  // A damaged or cut file fails the entry being read, and with it the restore (pipe() alone would not pass the error on).
  const input = createReadStream(path.resolve(o.file)).on('error', (e) => entries.destroy(e));
  input.pipe(createGunzip().on('error', (e) => entries.destroy(e))).pipe(entries);
  try {
    return await restoreEntries(o, entries[Symbol.asyncIterator](), started);
  } catch (error) {
    if (isArchiveError(error)) throw new BackupRefused(`备份文件已损坏或不完整（${(error as Error).message}），未恢复任何内容。`, { cause: error });
    throw error;
  } finally {
    input.destroy();
    entries.destroy();
  }
}

async function restoreEntries(o: RestoreOptions, iterator: AsyncIterator<AsyncIterable<unknown> & { header: { name: string } }>, started: number): Promise<RestoreResult> {
  const code = await codeVersions();
  const first = await iterator.next();
  if (first.done || first.value.header.name !== MANIFEST_ENTRY) throw new BackupRefused(`备份文件的第一项不是清单 ${MANIFEST_ENTRY}，这不是 risk-loop 的备份文件。`);
  const manifest = parseManifest((await readAll(first.value)).toString('utf8'));
  const problems = versionProblems(manifest, code);
  if (problems.length > 0) throw new BackupRefused(`不能恢复：备份与本程序的数据结构版本不一致。\n${problems.join('\n')}`);
  const conflicts = await conflictingSecrets(o.stateDir, manifest);
  if (conflicts.length > 0) {
    throw new BackupRefused(`不能恢复：状态目录 ${path.resolve(o.stateDir, 'secrets')} 中已有内容不同的密钥 ${conflicts.join('、')}。恢复只能写入空的状态目录。`);
  }

  const ds = createDataSource(o.databaseUrl, 1);
  await ds.initialize();
  const runner = ds.createQueryRunner();
  const written: string[] = [];
  try {
    const client = (await runner.connect()) as pg.PoolClient;
    const existing = await existingRelations(client);
    if (existing.length > 0) {
      throw new BackupRefused(
        `不能恢复：目标数据库不是空的，已有 ${existing.length} 张表或视图（例如 ${existing.slice(0, 3).join('、')}）。恢复只能写入空数据库：请新建一个空数据库（内置数据库可先执行 npm run reset）。`,
      );
    }
    for (const s of COPY_SESSION_SETTINGS) await client.query(s);
    await runner.startTransaction();
    // The app's schema as a first start makes it, inside this transaction.
    await client.query(`SET search_path = ${APP_SCHEMA}`);
    const migrate = new MigrationExecutor(ds, runner);
    migrate.transaction = 'all';
    await migrate.executePendingMigrations();
    await client.query(`SET search_path = pg_catalog`);
    const { rows: su } = await client.query<{ on: boolean }>(`SELECT rolsuper AS on FROM pg_roles WHERE rolname = current_user`);
    // Triggers (the audit log's refusals) and foreign-key checks stay off while rows go in as they were;
    // without superuser rights the tables come in foreign-key order (backup.ts writes them so).
    if (su[0]?.on) await client.query(`SET LOCAL session_replication_role = replica`);

    const appTables = manifest.tables.filter((t) => t.schema === APP_SCHEMA && t.name !== 'schema_migrations');
    const { rows: made } = await client.query<{ name: string }>(`SELECT relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`, [APP_SCHEMA]);
    const madeNames = new Set(made.map((m) => m.name));
    const missing = appTables.filter((t) => !madeNames.has(t.name)).map((t) => t.name);
    if (missing.length > 0) throw new BackupRefused(`不能恢复：备份中的表 ${missing.join('、')} 在本程序的数据库结构中不存在。`);
    // Reference rows the migrations inserted (units, indicator definitions) are replaced by the backup's.
    for (const t of [...appTables].reverse()) {
      const { rows: any } = await client.query(`SELECT 1 FROM ${qualified(t.schema, t.name)} LIMIT 1`);
      if (any.length > 0) await client.query(`DELETE FROM ${qualified(t.schema, t.name)}`);
    }
    await client.query(`CREATE SCHEMA ${quoteIdent(ENGINE_SCHEMA_NAME)}`);
    for (const statement of createEngineTables(ENGINE_SCHEMA_NAME, manifest.engine.ddl)) await client.query(statement);

    const byEntry = new Map(manifest.tables.filter((t) => t.name !== 'schema_migrations' || t.schema !== APP_SCHEMA).map((t) => [dataEntryName(t), t]));
    const secretsByEntry = new Map(manifest.secrets.map((s) => [secretEntryName(s.name), s]));
    const secrets: { name: string; data: Buffer }[] = [];
    let rows = 0;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const entry = next.value;
      const name = entry.header.name;
      const table = byEntry.get(name);
      const secret = secretsByEntry.get(name);
      if (table) {
        await loadTable(client, table, entry);
        rows += table.rows;
        byEntry.delete(name);
      } else if (secret) {
        const data = await readAll(entry);
        if (sha256(data) !== secret.sha256) throw new BackupRefused(`密钥 ${secret.name} 与备份清单不符，备份文件可能已损坏。`);
        secrets.push({ name: secret.name, data });
        secretsByEntry.delete(name);
      } else if (name === dataEntryName({ schema: APP_SCHEMA, name: 'schema_migrations' })) {
        // The migrations just run wrote their own rows; the versions were compared above.
        await readAll(entry);
      } else {
        throw new BackupRefused(`备份文件中有清单未列出的项 ${name}，备份文件可能已损坏。`);
      }
    }
    const absent = [...byEntry.keys(), ...secretsByEntry.keys()];
    if (absent.length > 0) throw new BackupRefused(`备份文件不完整，缺少 ${absent.join('、')}。`);

    for (const statement of finishEngineTables(ENGINE_SCHEMA_NAME, manifest.engine.ddl)) await client.query(statement);
    for (const s of manifest.sequences) await client.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [qualified(s.schema, s.name), s.lastValue, s.isCalled]);
    // The old system's job executor and workers are gone: their locks would hold timers and tasks until they lapse.
    await client.query(`UPDATE ${qualified(ENGINE_SCHEMA_NAME, 'act_ru_job')} SET lock_owner_ = NULL, lock_exp_time_ = NULL WHERE lock_owner_ IS NOT NULL OR lock_exp_time_ IS NOT NULL`);
    await client.query(`UPDATE ${qualified(ENGINE_SCHEMA_NAME, 'act_ru_ext_task')} SET worker_id_ = NULL, lock_exp_time_ = NULL WHERE lock_exp_time_ IS NOT NULL`);

    const dir = path.resolve(o.stateDir, 'secrets');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const s of secrets) {
      const file = path.join(dir, s.name);
      if (existsSync(file)) continue; // the same content: checked above
      await writeFile(file, s.data, { mode: 0o600, flag: 'wx' });
      written.push(file);
    }
    await runner.commitTransaction();
    await client.query(`SET search_path = ${APP_SCHEMA}, pg_catalog`);
    await client.query('ANALYZE');
    return { elapsedMs: performance.now() - started, tables: manifest.tables.length, rows, secretsWritten: secrets.map((s) => s.name), manifest };
  } catch (error) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    for (const file of written) await rm(file, { force: true });
    throw error;
  } finally {
    await runner.release();
    await ds.destroy();
  }
}
