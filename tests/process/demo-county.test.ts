import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoCounty } from '../../src/dry-run/demo-county.ts';
import type { Sandbox } from '../../src/dry-run/sandbox.ts';
import { testPorts } from '../support/ports.ts';
import { runTestDemoCounty, startTestSandbox } from '../support/sandbox.ts';

/**
 * The live demo (issue 21 point 6) on a sandbox of its own, "today" being a working Tuesday in
 * September: what the first start leaves is real process state in every part a visitor should find.
 */
const TODAY = '2026-09-15T10:00:00+08:00';

describe('the live demo county', () => {
  let sandbox: Sandbox;
  let demo: DemoCounty;
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => sandbox.core.db.query<T[]>(sql, params);
  const openTasks = async (table: 'risk_notice' | 'supervision_item', id: string) =>
    (
      await q<{ element_id: string }>(
        `SELECT t.element_id FROM engine_user_task t JOIN ${table} r ON r.process_instance_key = t.process_instance_key WHERE r.id::text = $1 AND t.state = 'CREATED' ORDER BY t.element_id`,
        [id],
      )
    ).map((t) => t.element_id);
  const eventsOf = async (column: 'item_id' | 'notice_id', id: string) =>
    (await q<{ kind: string }>(`SELECT kind FROM escalation_event WHERE ${column} = $1 ORDER BY at, kind`, [id])).map((e) => e.kind);

  beforeAll(async () => {
    sandbox = await startTestSandbox('demo-county', testPorts.demoCountyBase);
    demo = await runTestDemoCounty(sandbox, TODAY);
  }, 1_200_000);

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('when the demo has run up to today, then this year\'s February round is approved and last year\'s annual report is published', async () => {
    expect(demo.year).toBe(2026);
    // The demo users' units play the parts README.md names (人社局, 金融局, 公安局); 教育局's opinion waits for the office.
    expect(demo.units).toMatchObject({ unanswered: 'rsj', awaitingReview: 'jyj', green: 'jrj', dueSoon: 'gaj' });
    expect(demo.roundId).toBe('2025-Y');
    expect(await q(`SELECT id, status FROM assessment_round`)).toEqual([{ id: '2025-Y', status: 'approved' }]);
    expect(await q(`SELECT year FROM effectiveness_evaluation WHERE published_at IS NOT NULL`)).toEqual([{ year: 2025 }]);
    expect(await q(`SELECT 1 FROM engine_incident`)).toHaveLength(0);
  });

  it('when a visitor opens the notices, then most are answered and closed, one waits for the office and one is overdue after its 催办', async () => {
    const [{ n }] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM risk_notice WHERE round_id = '2025-Y'`);
    expect(demo.notices.closed).toHaveLength(n - 6);
    for (const id of demo.notices.closed) expect(await openTasks('risk_notice', id)).toEqual([]);
    expect(await openTasks('risk_notice', demo.notices.awaitingReview)).toEqual(['reviewOpinion']);
    expect(await openTasks('risk_notice', demo.notices.unanswered)).toEqual(['submitOpinion']);
    expect(await eventsOf('notice_id', demo.notices.unanswered)).toEqual(['reminder', 'urge']);
  });

  it('when a visitor opens the items, then the closed ones closed on time, and the open ones stand green, yellow, at 黄牌 and at a 约谈 arranged', async () => {
    const closed = await q<{ status: string; result_on_time: boolean }>(`SELECT status, result_on_time FROM supervision_item WHERE id = ANY($1)`, [demo.items.closed]);
    expect(closed).toHaveLength(demo.notices.closed.length);
    expect(closed.every((i) => i.status === 'closed' && i.result_on_time)).toBe(true);

    const stages = Object.fromEntries(
      (await q<{ id: string; stage: string }>(`SELECT id, stage FROM supervision_item WHERE id = ANY($1)`, [[demo.items.green, demo.items.dueSoon, demo.items.yellowCard, demo.items.interview]])).map((i) => [i.id, i.stage]),
    );
    expect([demo.items.green, demo.items.dueSoon, demo.items.yellowCard, demo.items.interview].map((id) => stages[id])).toEqual(['green', 'yellow', 'yellow_card', 'red_card']);
    expect(await eventsOf('item_id', demo.items.green)).toEqual([]);
    expect(await eventsOf('item_id', demo.items.dueSoon)).toEqual(['reminder']);
    expect(await eventsOf('item_id', demo.items.yellowCard)).toEqual(['reminder', 'urge', 'yellow_card']);
    expect(await eventsOf('item_id', demo.items.interview)).toEqual(['reminder', 'urge', 'yellow_card', 'red_card']);
    expect(await openTasks('supervision_item', demo.items.green)).toEqual(['submitResult']);
    // The 约谈 is arranged (its numbered 约谈通知书 out, the day ahead) and runs beside the handling: the unit may still report its result.
    expect(await openTasks('supervision_item', demo.items.interview)).toEqual(['interview', 'submitResult']);
    const [notice] = await q<{ after: { number: string; at: string; place: string } }>(
      `SELECT after FROM audit_log WHERE action = 'supervision_item.interview_notice' AND entity_id = $1`,
      [demo.items.interview],
    );
    expect(notice!.after.number).toMatch(/^唐平约〔\d{4}〕第\d{3}号$/);
    expect(notice!.after.place).toBe('县委政法委三楼会议室');
    // Three working days after Tuesday 15 September 2026: Friday the 18th.
    expect(notice!.after.at).toBe('2026-09-18T09:30');
  });
});
