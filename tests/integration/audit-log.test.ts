import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { openTestDatabase } from '../support/database.ts';

describe('audit log', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('when a row is written, then the database refuses to update, delete or truncate it', async () => {
    const [row] = await db.query(
      `INSERT INTO audit_log (actor_name, action, entity_type, entity_id) VALUES ('test', 'probe', 'test', 'x') RETURNING id`,
    );
    await expect(db.query(`UPDATE audit_log SET action = 'tampered' WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_log WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    const [still] = await db.query(`SELECT action FROM audit_log WHERE id = $1`, [row.id]);
    expect(still.action).toBe('probe');
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
