import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { pack as tarPack } from 'tar-stream';
import { APP_SCHEMA, BACKUP_FORMAT, BACKUP_FORMAT_VERSION, MANIFEST_ENTRY, countCopyRows, dataEntryName, loadOrder, qualified, secretEntryName, type Manifest, type TableEntry } from './manifest.ts';
import { COPY_SESSION_SETTINGS, appSequences, engineDdl, foreignKeys, listTables, refuseUnsupported } from './catalog.ts';
import { operatonVersion } from './versions.ts';

/**
 * `npm run backup -- <file>`: one consistent backup of a running system, as a .tar.gz file.
 *
 * Every table of the app's schema and of the engine's is read by `COPY … TO STDOUT` inside one
 * REPEATABLE READ READ ONLY transaction, i.e. from one snapshot: app rows and engine rows are of
 * the same instant while the system keeps working (nothing is locked but schema changes). The
 * rows are spooled to a temporary folder beside the target (sizes are needed for the tar headers),
 * then packed with the manifest (schema versions, the engine schema's definition, row counts and
 * SHA-256 of every table, sequences) and the state folder's secrets, written as `<file>.partial`
 * (mode 0600: it holds personal data and secrets) and renamed into place when complete.
 */

export interface BackupOptions {
  databaseUrl: string;
  /** The state folder whose secrets/ the backup carries. */
  stateDir: string;
  file: string;
  /** Names of secrets the environment gives (kept out of the archive, named in the manifest). */
  secretsFromEnvironment?: string[];
  /** gzip level, 1 (fast) … 9 (small); default 6. */
  compressionLevel?: number;
  /**
   * A snapshot another transaction exported (pg_export_snapshot) to read instead of a new one, so
   * that transaction sees exactly the rows the backup holds (tests count them independently).
   */
  snapshot?: string;
}

export interface BackupResult {
  file: string;
  bytes: number;
  elapsedMs: number;
  /** Of the snapshot read: until COMMIT, before packing. */
  snapshotMs: number;
  manifest: Manifest;
}

/** Hashes, counts rows and bytes of a COPY stream on its way to the spool file. */
function measure(): Transform & { result(): { rows: number; bytes: number; sha256: string } } {
  const hash = createHash('sha256');
  let rows = 0;
  let bytes = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      rows += countCopyRows(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return Object.assign(t, { result: () => ({ rows, bytes, sha256: hash.digest('hex') }) });
}

async function readSecrets(stateDir: string): Promise<{ name: string; data: Buffer }[]> {
  const dir = path.resolve(stateDir, 'secrets');
  if (!existsSync(dir)) return [];
  const out: { name: string; data: Buffer }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) out.push({ name: entry.name, data: await readFile(path.join(dir, entry.name)) });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

export async function createBackup(o: BackupOptions): Promise<BackupResult> {
  const started = performance.now();
  const target = path.resolve(o.file);
  await mkdir(path.dirname(target), { recursive: true });
  const spool = await mkdtemp(path.join(path.dirname(target), '.backup-spool-'));
  const partial = `${target}.partial`;
  try {
    const client = new pg.Client({ connectionString: o.databaseUrl, application_name: 'risk-loop-backup' });
    await client.connect();
    let manifest: Omit<Manifest, 'secrets' | 'secretsFromEnvironment' | 'elapsedMs'>;
    const spooled: { entry: string; file: string; bytes: number }[] = [];
    try {
      for (const s of COPY_SESSION_SETTINGS) await client.query(s);
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      if (o.snapshot) await client.query(`SET TRANSACTION SNAPSHOT '${o.snapshot.replace(/'/g, "''")}'`);
      // The snapshot is taken by the first statement; the locks only keep tables from being dropped or altered meanwhile.
      // App tables in foreign-key order (so a restore without superuser rights can load them as they come), then the engine's.
      const found = await listTables(client);
      const { order } = loadOrder(
        found.filter((t) => t.schema === APP_SCHEMA).map((t) => `${t.schema}.${t.name}`),
        await foreignKeys(client, APP_SCHEMA),
      );
      const tables = [...order.map((key) => found.find((t) => `${t.schema}.${t.name}` === key)!), ...found.filter((t) => t.schema !== APP_SCHEMA)];
      if (tables.length > 0) await client.query(`LOCK TABLE ${tables.map((t) => qualified(t.schema, t.name)).join(', ')} IN ACCESS SHARE MODE`);
      await refuseUnsupported(client);
      const { rows: applied } = await client.query<{ name: string }>(`SELECT name FROM ${qualified(APP_SCHEMA, 'schema_migrations')} ORDER BY id`);
      const { rows: engineVersion } = await client.query<{ version: string }>(
        `SELECT version_ AS version FROM operaton.act_ge_schema_log ORDER BY timestamp_ DESC, length(id_) DESC, id_ DESC LIMIT 1`,
      );
      const { rows: server } = await client.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
      const ddl = await engineDdl(client);
      const entries: TableEntry[] = [];
      for (const [i, t] of tables.entries()) {
        const file = path.join(spool, `${i}.copy`);
        const m = measure();
        const columns = t.columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ');
        await pipeline(client.query(copyTo(`COPY ${qualified(t.schema, t.name)} (${columns}) TO STDOUT`)), m, createWriteStream(file));
        const r = m.result();
        entries.push({ schema: t.schema, name: t.name, columns: t.columns, ...r });
        spooled.push({ entry: dataEntryName(t), file, bytes: r.bytes });
      }
      const sequences = await appSequences(client);
      await client.query('COMMIT');
      manifest = {
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        createdAt: new Date().toISOString(),
        serverVersion: server[0]!.v,
        app: { migrations: applied.map((a) => a.name) },
        engine: { operatonVersion: await operatonVersion(), schemaVersion: engineVersion[0]?.version ?? null, ddl },
        tables: entries,
        sequences,
      };
    } finally {
      await client.end();
    }
    const snapshotMs = performance.now() - started;

    const secrets = await readSecrets(o.stateDir);
    const full: Manifest = {
      ...manifest,
      secrets: secrets.map((s) => ({ name: s.name, sha256: createHash('sha256').update(s.data).digest('hex') })),
      secretsFromEnvironment: o.secretsFromEnvironment ?? [],
      elapsedMs: Math.round(snapshotMs),
    };
    const archive = tarPack();
    const written = pipeline(archive, createGzip({ level: o.compressionLevel ?? 6 }), createWriteStream(partial, { mode: 0o600 }));
    const add = (name: string, data: Buffer) => new Promise<void>((resolve, reject) => archive.entry({ name, mode: 0o600 }, data, (e) => (e ? reject(e) : resolve())));
    await add(MANIFEST_ENTRY, Buffer.from(JSON.stringify(full, null, 1)));
    for (const s of secrets) await add(secretEntryName(s.name), s.data);
    for (const s of spooled) {
      await new Promise<void>((resolve, reject) => {
        const entry = archive.entry({ name: s.entry, size: s.bytes, mode: 0o600 }, (e) => (e ? reject(e) : resolve()));
        pipeline(createReadStream(s.file), entry).catch(reject);
      });
    }
    archive.finalize();
    await written;
    const handle = await open(partial, 'r');
    await handle.sync();
    await handle.close();
    await rename(partial, target);
    return { file: target, bytes: (await stat(target)).size, elapsedMs: performance.now() - started, snapshotMs, manifest: full };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    await rm(spool, { recursive: true, force: true });
  }
}
