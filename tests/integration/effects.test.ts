import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { runOnce } from '../../src/services/effects.ts';
import { openTestDatabase, uniqueSuffix } from '../support/database.ts';

/** At-least-once jobs, exactly-once effects (QUALITY.md §3.3). */
describe('idempotent worker effects', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('when the same job is delivered twice, even concurrently, then the effect happens once and both get its result', async () => {
    const businessKey = `round:${uniqueSuffix()}:rsj`;
    let effects = 0;
    const effect = async () => {
      effects++;
      await new Promise((r) => setTimeout(r, 50));
      return { noticeId: 'n-1' };
    };
    const results = await Promise.all([
      runOnce(db, { jobType: 'issue-risk-notice', businessKey, jobKey: '10' }, effect),
      runOnce(db, { jobType: 'issue-risk-notice', businessKey, jobKey: '11' }, effect),
    ]);
    const again = await runOnce(db, { jobType: 'issue-risk-notice', businessKey, jobKey: '12' }, effect);
    expect(results.map((r) => r.result)).toEqual([{ noticeId: 'n-1' }, { noticeId: 'n-1' }]);
    expect(again).toEqual({ result: { noticeId: 'n-1' }, replayed: true });
    const rows = await db.query(`SELECT count(*)::int AS n FROM job_effect WHERE business_key = $1`, [businessKey]);
    expect(rows[0].n).toBe(1);
    // The second delivery waited on the first one's claim and took its result: the body ran once.
    expect(effects).toBe(1);
  });

  it('when the effect fails, then nothing is recorded and a redelivery runs it again', async () => {
    const businessKey = `round:${uniqueSuffix()}:zjj`;
    await expect(runOnce(db, { jobType: 'x', businessKey, jobKey: '1' }, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const second = await runOnce(db, { jobType: 'x', businessKey, jobKey: '2' }, async () => 'done');
    expect(second).toEqual({ result: 'done', replayed: false });
  });
});
