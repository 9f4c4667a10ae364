import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Config } from '../config/schema.ts';
import { ENGINE_SCHEMA } from '../engine/local-engine.ts';
import { stateSecretFile } from '../shared/state-files.ts';
import { createDataSource, openDatabase } from './data-source.ts';

/**
 * The app's own login role (ASVS 16.4.2). DATABASE_URL (or the embedded server's `postgres`) is
 * the owner: it runs the migrations, owns every table, trigger and function, and sets this role up.
 * The app's runtime pool — API, workers, the data commands — then connects as `<database>_app`,
 * which owns nothing and holds only:
 *
 * - SELECT, INSERT, UPDATE, DELETE on the app's tables in `public` (schema_migrations: SELECT);
 * - SELECT, INSERT on `audit_log`: no UPDATE, DELETE, TRUNCATE or TRIGGER, and as it owns neither
 *   the table nor its triggers it cannot disable, drop or alter them either;
 * - SELECT on the views over the engine's tables (they read as their owner), USAGE on the sequences;
 * - SELECT on the few engine tables the app reads itself (identity without the password columns,
 *   the operation log and task history): the engine keeps its own owner connection;
 * - CONNECT and TEMPORARY (an import's staging table) on the database.
 *
 * Everything is revoked and granted again at every start, after the migrations and the engine's
 * views, in one transaction: a new table, a restored database (backups carry neither roles nor
 * grants) or a grant someone added by hand comes out the same. The role is named after its
 * database, so databases sharing a server (tests, a dry run) never share a role or its password.
 */

/** The engine tables the app reads directly, and the columns it may read of each (undefined: all). */
const ENGINE_READS: Record<string, string[] | undefined> = {
  act_id_group: undefined,
  act_id_user: ['id_', 'first_', 'last_', 'email_'],
  act_id_membership: undefined,
  act_hi_op_log: undefined,
  act_hi_taskinst: undefined,
};

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

function databaseOf(url: URL): string {
  return decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username);
}

/** The app role of the database a URL names: `<database>_app` (PostgreSQL keeps 63 bytes of a name). */
export function appRoleName(ownerUrl: string): string {
  const database = databaseOf(new URL(ownerUrl));
  const name = `${database}_app`;
  if (Buffer.byteLength(name) <= 63) return name;
  const hash = createHash('sha256').update(database).digest('hex').slice(0, 8);
  return `${Buffer.from(database).subarray(0, 50).toString('utf8').replace(/\uFFFD+$/, '')}_${hash}_app`;
}

/** The URL the app's pool connects with: the owner's URL (host, database, options) as the app role. */
export function appDatabaseUrl(ownerUrl: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = encodeURIComponent(appRoleName(ownerUrl));
  url.password = encodeURIComponent(password);
  return url.toString();
}

/** The app role's password: DATABASE_APP_PASSWORD, else generated once into the state folder. */
export async function appRolePassword(config: Config): Promise<string> {
  return config.DATABASE_APP_PASSWORD ?? (await stateSecretFile(config.STATE_DIR, 'database-app-password'));
}

/**
 * The password as a SCRAM-SHA-256 secret, computed here: the clear password never reaches the
 * server, so a server logging DDL (log_statement) does not log it. The same derivation as the
 * client's (pg, UTF-8 without SASLprep).
 */
function scramSecret(password: string): string {
  const salt = randomBytes(16);
  const iterations = 4096;
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const storedKey = createHash('sha256').update(createHmac('sha256', salted).update('Client Key').digest()).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * Creates the app role (or sets its password) and its grants, as the owner, idempotently. App and
 * worker nodes may start together: they take turns on an advisory lock (concurrent GRANTs on one
 * object fail). Refuses to go on when the role could do more than this (superuser, CREATEROLE,
 * BYPASSRLS, a member of the owner, or the owner of anything here).
 */
export async function ensureAppRole(owner: DataSource, ownerUrl: string, password: string): Promise<string> {
  const role = appRoleName(ownerUrl);
  const r = quote(role);
  await owner.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('app-role-grants', 0))`);
    const secret = scramSecret(password).replace(/'/g, "''");
    const [exists] = await tx.query<unknown[]>(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role]);
    await tx.query(
      exists
        ? `ALTER ROLE ${r} LOGIN PASSWORD '${secret}'`
        : `CREATE ROLE ${r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD '${secret}'`,
    );
    const [attributes] = await tx.query<{ unsafe: boolean; member: boolean; owns: string | null }[]>(
      `SELECT (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls) AS unsafe,
              pg_has_role($1, current_user, 'MEMBER') AS member,
              (SELECT string_agg(c.relname, ', ') FROM pg_class c WHERE c.relowner = a.oid AND c.relpersistence <> 't') AS owns
         FROM pg_roles a WHERE rolname = $1`,
      [role],
    );
    if (attributes!.unsafe || attributes!.member || attributes!.owns) {
      throw new Error(`the app role ${role} may do more than read and write data (${attributes!.owns ? `it owns ${attributes!.owns}` : 'a superuser, CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS or a member of the owner'}); fix or drop it`);
    }
    const [{ database }] = await tx.query<{ database: string }[]>(`SELECT current_database() AS database`);
    await tx.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${quote(database)} TO ${r}`);
    await tx.query(`GRANT USAGE ON SCHEMA public TO ${r}`);
    await tx.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${r}`);
    await tx.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${r}`);
    const relations = await tx.query<{ name: string; kind: string }[]>(
      `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') ORDER BY c.relname`,
    );
    for (const { name, kind } of relations) {
      // Views read the engine's tables as their owner, and a simple view would even write through: read only.
      const readOnly = kind === 'v' || kind === 'm' || name === 'schema_migrations';
      const privileges = readOnly ? 'SELECT' : name === 'audit_log' ? 'SELECT, INSERT' : 'SELECT, INSERT, UPDATE, DELETE';
      await tx.query(`GRANT ${privileges} ON ${quote(name)} TO ${r}`);
    }
    await tx.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${r}`);

    const [engineSchema] = await tx.query<unknown[]>(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [ENGINE_SCHEMA]);
    if (!engineSchema) return; // a data command before the engine ever started: its grants come at the next start
    await tx.query(`GRANT USAGE ON SCHEMA ${ENGINE_SCHEMA} TO ${r}`);
    await tx.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${ENGINE_SCHEMA} FROM ${r}`);
    const engineTables = new Set(
      (await tx.query<{ name: string }[]>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = $1`, [ENGINE_SCHEMA])).map((t) => t.name),
    );
    for (const [table, columns] of Object.entries(ENGINE_READS)) {
      if (!engineTables.has(table)) continue;
      await tx.query(`GRANT SELECT${columns ? ` (${columns.map(quote).join(', ')})` : ''} ON ${ENGINE_SCHEMA}.${quote(table)} TO ${r}`);
    }
  });
  return role;
}

/**
 * The app's database: as the owner, the migrations, `prepare` (the engine's views) and the app
 * role with its grants; the owner's connection then closes and the pool returned connects as the
 * app role.
 */
export async function openAppDatabase(
  ownerUrl: string,
  password: string,
  o: { poolSize?: number; prepare?: (owner: DataSource) => Promise<void> } = {},
): Promise<DataSource> {
  const owner = await openDatabase(ownerUrl, 2);
  try {
    await o.prepare?.(owner);
    await ensureAppRole(owner, ownerUrl, password);
  } finally {
    await owner.destroy();
  }
  const db = createDataSource(appDatabaseUrl(ownerUrl, password), o.poolSize);
  await db.initialize();
  return db;
}
