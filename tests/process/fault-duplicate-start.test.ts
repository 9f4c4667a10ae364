import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createEngineGateway, type EngineGateway } from '../../src/engine/client.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { openTestDatabase, uniqueSuffix } from '../support/database.ts';
import { eventually, testEngineAddress } from '../support/engine.ts';

/**
 * QUALITY.md R6: a start request repeated after a timeout (unknown outcome) must not make a
 * second instance. Processes that must be unique per business id start by message: the message
 * id makes the retried publish a no-op, and Zeebe keeps one active instance per correlation key.
 */
describe('fault: a start request is repeated', () => {
  const log = createLogger('silent');
  let db: DataSource;
  let engine: EngineGateway;

  beforeAll(async () => {
    db = await openTestDatabase();
    engine = createEngineGateway(testEngineAddress(), log);
    await engine.deployXml('faults-unique-start.bpmn', await readFile('tests/fixtures/bpmn/faults-unique-start.bpmn', 'utf8'));
  });
  afterAll(async () => {
    await engine?.close();
    await db?.destroy();
  });

  it('when the same start is published three times (twice with the same message id), then exactly one instance runs', async () => {
    const businessId = `round-2026-H1:rsj:${uniqueSuffix()}`;
    const started = new Date(Date.now() - 1000);
    const start = (messageId: string) =>
      engine.publishMessage({ name: 'start-faults-unique-start', correlationKey: businessId, messageId, variables: { businessId } });
    await start(`start:${businessId}`);
    await start(`start:${businessId}`).catch(() => undefined); // ALREADY_EXISTS while buffered is the expected answer
    await start(`start:${businessId}:retry`); // a different message id, same business id
    await eventually(async () => {
      const rows: unknown[] = await db.query(`SELECT 1 FROM engine_user_task WHERE bpmn_process_id = 'faults-unique-start' AND creation_time >= $1`, [started]);
      return rows.length > 0;
    }, 'the first instance');
    // Give a wrongly created second instance the time to show up in the read model before counting.
    await new Promise((r) => setTimeout(r, 1500));
    const [row] = await db.query(`SELECT count(*)::int AS n FROM engine_process_instance WHERE bpmn_process_id = 'faults-unique-start' AND start_time >= $1`, [
      started,
    ]);
    console.log(`R6: instances for one business id after 3 start requests: ${row.n}`);
    expect(row.n).toBe(1);
  });
});
