import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/services/actor.ts';
import { computedRound } from '../support/case-data.ts';
import { uniqueSuffix } from '../support/database.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

/**
 * The engine delivers an external task at least once: a use case called twice with the same input changes and
 * audits once. (TypeORM answers UPDATE … RETURNING with [rows, count]; a check on the pair's
 * length once made every repeat look like a first.)
 */
describe('redelivered jobs', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem({ withEngine: false });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('when the leader approval and the 签收 are recorded twice, then each has one audit row', async () => {
    const { services } = system;
    const { db } = services;
    const roundId = `D${uniqueSuffix()}-2025-H1`;
    await computedRound(services, roundId);
    const first = await services.rounds.approve(roundId, '同意');
    expect(await services.rounds.approve(roundId, '同意')).toEqual(first);
    expect(await db.query(`SELECT 1 FROM audit_log WHERE action = 'assessment_round.approve' AND entity_id = $1`, [roundId])).toHaveLength(1);

    const item = await services.supervision.register(systemActor, {
      businessKey: `redelivery:${uniqueSuffix()}`,
      title: '重复投递测试事项',
      sourceKind: 'meeting',
      sourceId: roundId,
      leadDepartmentId: 'rsj',
      coDepartmentIds: [],
      requirements: '按期办结',
      deadline: '2026-12-31T09:30:00Z',
    });
    const sign = { now: '2026-11-20T02:00:00Z', itemId: item.id, handlerName: '人社局劳动监察大队' };
    await services.itemFlow.sign(sign);
    await services.itemFlow.sign(sign);
    expect(await db.query(`SELECT 1 FROM audit_log WHERE action = 'supervision_item.sign' AND entity_id = $1`, [item.id])).toHaveLength(1);
  });
});
