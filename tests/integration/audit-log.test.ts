import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { appDatabaseUrl, appRoleName, ensureAppRole } from '../../src/db/app-role.ts';
import { createDataSource } from '../../src/db/data-source.ts';
import { openTestDatabase, TEST_DATABASE_APP_PASSWORD } from '../support/database.ts';
import { testDatabaseAdminUrl } from '../support/ports.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

/** The SQLSTATE and message a refused statement ends with (the driver's error under TypeORM's). */
async function refusal(statement: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await statement.then(
    () => undefined,
    (e: unknown) => e as { code?: string; message: string; driverError?: { code: string; message: string } },
  );
  if (!error) throw new Error('the statement went through');
  const cause = error.driverError ?? error;
  return { code: cause.code ?? '', message: cause.message };
}

describe('audit log', () => {
  let db: DataSource;
  let system: TestSystem;
  const role = appRoleName(testDatabaseAdminUrl());
  beforeAll(async () => {
    db = await openTestDatabase();
    // The app's start: migrations and grants as the owner, then its pool as the app role.
    system = await startTestSystem({ withEngine: false });
  });
  afterAll(async () => {
    await system?.stop();
    await db?.destroy();
  });

  it('when a row is written, then the database refuses to update, delete or truncate it, even for its owner', async () => {
    const [row] = await db.query(
      `INSERT INTO audit_log (actor_name, action, entity_type, entity_id) VALUES ('test', 'probe', 'test', 'x') RETURNING id`,
    );
    await expect(db.query(`UPDATE audit_log SET action = 'tampered' WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_log WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    const [still] = await db.query(`SELECT action FROM audit_log WHERE id = $1`, [row.id]);
    expect(still.action).toBe('probe');
  });

  it('when the app is running, then its pool is connected as the app role, which owns neither the audit table nor its triggers', async () => {
    expect(role).toBe('riskloop_app');
    expect(await system.db.query(`SELECT current_user AS current, session_user AS session`)).toEqual([{ current: role, session: role }]);
    // The session store shares that pool (src/main/bootstrap.ts startHttp).
    expect(await system.db.query(`SELECT count(*)::int AS n FROM session WHERE false`)).toEqual([{ n: 0 }]);
    const [owner] = await db.query(`SELECT current_user AS name`);
    expect(owner.name).toBe('postgres');
    expect(await db.query(`SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_log'`)).toEqual([{ tableowner: owner.name }]);
    expect(await db.query(`SELECT pg_get_userbyid(proowner) AS owner FROM pg_proc WHERE proname = 'audit_log_refuse_change'`)).toEqual([{ owner: owner.name }]);
    expect(
      await db.query(`SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = $1`, [role]),
    ).toEqual([{ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false, rolcanlogin: true }]);
    expect(
      await db.query(`SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = $1 AND table_name = 'audit_log' ORDER BY 1`, [role]),
    ).toEqual([{ privilege_type: 'INSERT' }, { privilege_type: 'SELECT' }]);
  });

  it('when the app role writes and reads the audit log, then it may; when it updates, deletes, truncates, disables or drops, then PostgreSQL refuses it for lack of privilege', async () => {
    // A connection of its own made the way the app makes its pool: the owner's URL with the role and its password.
    const app = createDataSource(appDatabaseUrl(testDatabaseAdminUrl(), TEST_DATABASE_APP_PASSWORD), 1);
    await app.initialize();
    try {
      expect(await app.query(`SELECT current_user AS name`)).toEqual([{ name: role }]);
      const [row] = await app.query(
        `INSERT INTO audit_log (actor_name, action, entity_type, entity_id) VALUES ('app-role', 'probe', 'test', 'role') RETURNING id`,
      );
      expect(await app.query(`SELECT actor_name, action FROM audit_log WHERE id = $1`, [row.id])).toEqual([{ actor_name: 'app-role', action: 'probe' }]);

      const denied = { code: '42501', message: 'permission denied for table audit_log' };
      const notOwner = { code: '42501', message: 'must be owner of table audit_log' };
      expect(await refusal(app.query(`UPDATE audit_log SET action = 'tampered' WHERE id = $1`, [row.id]))).toEqual(denied);
      expect(await refusal(app.query(`DELETE FROM audit_log WHERE id = $1`, [row.id]))).toEqual(denied);
      expect(await refusal(app.query(`TRUNCATE audit_log`))).toEqual(denied);
      expect(await refusal(app.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`))).toEqual(notOwner);
      expect(await refusal(app.query(`ALTER TABLE audit_log DISABLE TRIGGER ALL`))).toEqual(notOwner);
      expect(await refusal(app.query(`DROP TRIGGER audit_log_no_update ON audit_log`))).toEqual({ code: '42501', message: 'must be owner of relation audit_log' });
      expect(await refusal(app.query(`DROP TABLE audit_log`))).toEqual(notOwner);
      expect(await refusal(app.query(`ALTER TABLE audit_log OWNER TO ${role}`))).toEqual(notOwner);
      expect(await refusal(app.query(`DROP FUNCTION audit_log_refuse_change()`))).toEqual({ code: '42501', message: 'must be owner of function audit_log_refuse_change' });
      expect(
        await refusal(app.query(`CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`)),
      ).toEqual({ code: '42501', message: 'permission denied for schema public' });
      expect(await refusal(app.query(`CREATE TABLE audit_log_copy (id bigint)`))).toEqual({ code: '42501', message: 'permission denied for schema public' });

      // The app's pool is refused the same.
      expect(await refusal(system.db.query(`DELETE FROM audit_log WHERE id = $1`, [row.id]))).toEqual(denied);
      expect(await refusal(system.db.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate`))).toEqual(notOwner);

      expect(await db.query(`SELECT actor_name, action FROM audit_log WHERE id = $1`, [row.id])).toEqual([{ actor_name: 'app-role', action: 'probe' }]);
      expect(await db.query(`SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass ORDER BY tgname`)).toEqual([
        { tgname: 'audit_log_no_truncate', tgenabled: 'O' },
        { tgname: 'audit_log_no_update', tgenabled: 'O' },
      ]);
    } finally {
      await app.destroy();
    }
  });

  it('when someone grants the app role more by hand, then the next start takes it back', async () => {
    await db.query(`GRANT UPDATE, DELETE, TRUNCATE, TRIGGER ON audit_log TO ${role}`);
    await db.query(`GRANT INSERT ON schema_migrations TO ${role}`);
    await ensureAppRole(db, testDatabaseAdminUrl(), TEST_DATABASE_APP_PASSWORD);
    expect(
      await db.query(
        `SELECT table_name, privilege_type FROM information_schema.role_table_grants WHERE grantee = $1 AND table_name IN ('audit_log', 'schema_migrations') ORDER BY 1, 2`,
        [role],
      ),
    ).toEqual([
      { table_name: 'audit_log', privilege_type: 'INSERT' },
      { table_name: 'audit_log', privilege_type: 'SELECT' },
      { table_name: 'schema_migrations', privilege_type: 'SELECT' },
    ]);
  });

  it('when migrations ran, then the 23 townships and the county departments are seeded', async () => {
    const rows: { kind: string; n: string }[] = await db.query(`SELECT kind, count(*) AS n FROM department GROUP BY kind`);
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
    expect(byKind.township).toBe(23);
    expect(byKind.court).toBe(1);
    expect(byKind.office).toBe(1);
    expect(byKind.department).toBeGreaterThanOrEqual(20);
  });
});
