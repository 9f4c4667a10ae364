import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createEngineGateway, type EngineGateway } from '../../src/engine/client.ts';
import { databaseStartLock } from '../../src/db/start-lock.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { openTestDatabase, uniqueSuffix } from '../support/database.ts';
import { testEngineAddress } from '../support/engine.ts';

/**
 * QUALITY.md R6 and the engine move: Operaton does not enforce unique business keys, so the
 * product does. Starts of one business key — repeated after a timeout, or made at the same time
 * by two app nodes (two gateways, each with its own database pool) — make exactly one instance;
 * once that instance has ended, the key may start again.
 */
describe('fault: a start is repeated or made concurrently', () => {
  const log = createLogger('silent');
  let dbs: DataSource[];
  let nodes: EngineGateway[];

  beforeAll(async () => {
    dbs = [await openTestDatabase(), await openTestDatabase()];
    nodes = dbs.map((db) => createEngineGateway(testEngineAddress(), log, { startLock: databaseStartLock(db) }));
    await nodes[0]!.deployXml('faults-unique-start.bpmn', await readFile('tests/fixtures/bpmn/faults-unique-start.bpmn', 'utf8'));
  });
  afterAll(async () => {
    await Promise.all((nodes ?? []).map((n) => n.close()));
    await Promise.all((dbs ?? []).map((db) => db.destroy()));
  });

  const running = async (businessKey: string) =>
    (
      await dbs[0]!.query<{ key: string }[]>(
        `SELECT key FROM engine_process_instance WHERE bpmn_process_id = 'faults-unique-start' AND business_key = $1 AND state = 'ACTIVE'`,
        [businessKey],
      )
    ).map((r) => r.key);

  it('when two app nodes start the same business key ten times at once, then exactly one instance runs', async () => {
    const businessKey = `round-2026-H1:rsj:${uniqueSuffix()}`;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        nodes[i % 2]!.publishMessage({ name: 'start-faults-unique-start', correlationKey: businessKey, messageId: `start:${businessKey}:${i}`, variables: { businessKey } }),
      ),
    );
    const instances = await running(businessKey);
    console.log(`R6: instances for one business key after 10 concurrent starts from 2 nodes: ${instances.length}`);
    expect(instances).toHaveLength(1);
  });

  it('when the instance of a key has ended, then the same key starts a new one', async () => {
    const businessKey = `round-2026-H2:rsj:${uniqueSuffix()}`;
    const start = () => nodes[0]!.publishMessage({ name: 'start-faults-unique-start', correlationKey: businessKey, variables: { businessKey } });
    await start();
    const [first] = await running(businessKey);
    await nodes[0]!.cancelProcessInstance(first!);
    await start();
    const second = await running(businessKey);
    expect(second).toHaveLength(1);
    expect(second[0]).not.toBe(first);
  });
});
