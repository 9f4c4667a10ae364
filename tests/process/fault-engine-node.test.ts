import type { DataSource } from 'typeorm';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineAddress } from '../../src/engine/client.ts';
import { ENGINE_SCHEMA, startLocalEngine, type LocalEngine } from '../../src/engine/local-engine.ts';
import { startMailCatcher, type MailCatcher } from '../../src/mail/catcher.ts';
import { createMailDispatcher } from '../../src/mail/dispatcher.ts';
import { createSmtpTransport } from '../../src/mail/transport.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { workerDefinitions } from '../../workers/registry.ts';
import { ensureCountyData } from '../support/case-data.ts';
import { raiseToRecipients } from '../support/county-round.ts';
import { eventually } from '../support/engine.ts';
import { createDataSource } from '../../src/db/data-source.ts';
import { startPrivateEngine, type PrivateEngine } from '../support/private-engine.ts';
import { testPorts, testStateDir } from '../support/ports.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { workflowActors } from '../support/workflow.ts';

/**
 * Issue 18 §6: two engine nodes on one database, the app and the workers spreading their calls over
 * both (src/engine/rest.ts). One node is killed while a round issues its 30 notices and never comes
 * back; the other finishes the round alone. Then the clock passes the notices' reminder date: on
 * the surviving node each reminder timer fires once. Every notice task opened once, every mail
 * sent once, no incident.
 */
describe('fault: one of two engine nodes dies during a round', () => {
  const log = createLogger('silent');
  let priv: PrivateEngine;
  let nodeB: LocalEngine;
  let system: TestSystem;
  let catcher: MailCatcher;
  let owner: DataSource;
  const { as, openTask, complete } = workflowActors(() => system);
  const roundId = 'N-2025-H1';

  beforeAll(async () => {
    priv = await startPrivateEngine('two-nodes', testPorts.privateEngineBase + 3, { clockControlled: true });
    nodeB = await startLocalEngine({ ...priv.options, port: testPorts.privateEngineBase + 4, stateDir: `${testStateDir}/engine-two-nodes-b` });
    const both: EngineAddress = { ...priv.address, moreNodes: [`http://127.0.0.1:${testPorts.privateEngineBase + 4}`] };
    system = await startTestSystem({ withEngine: true, engineAddress: both, databaseUrl: priv.databaseUrl });
    // The engine's own tables are not the app role's to read (it has the read views): the test reads them as the owner.
    owner = createDataSource(priv.databaseUrl, 1);
    await owner.initialize();
    await ensureCountyData(system.services.db);
    await system.engine.deployProcesses(path.resolve('bpmn'), ['assessment-round', 'risk-notice', 'supervision-item']);
    system.startWorkers(workerDefinitions);
    catcher = await startMailCatcher(0);
  });

  afterAll(async () => {
    await owner?.destroy();
    await system?.stop();
    await catcher?.stop();
    await nodeB?.stop();
    await priv?.stop();
  });

  it('when node A is killed mid-round, then node B opens every notice task once, fires every reminder once, and every mail goes once', async () => {
    const { db } = system.services;
    await system.engine.publishMessage({
      name: 'start-assessment-round',
      correlationKey: roundId,
      messageId: roundId,
      timeToLiveMs: 0,
      variables: { roundId, roundKind: 'half_year', year: 2025, periodStart: '2025-01-01', periodEnd: '2025-06-30' },
    });
    const roundKey = await eventually(
      async () => (await db.query<{ process_instance_key: string | null }[]>(`SELECT process_instance_key FROM assessment_round WHERE id = $1`, [roundId]))[0]?.process_instance_key,
      'the round to compute its indicators',
      90_000,
    );
    const review = await openTask(roundKey, 'courtReview');
    // A county round of 30 departments (the figure), not the demo data's handful.
    expect(await raiseToRecipients(system.services, roundId, 30)).toHaveLength(30);
    await complete(await as('court_analyst', 'court'), review, { courtDecision: 'submit', courtNotes: null });
    await complete(await as('leader', 'zfw'), await openTask(roundKey, 'leaderApproval'), { leaderDecision: 'approve', leaderComments: '同意' });
    const numbered = async () => (await db.query<{ n: number }[]>(`SELECT count(number)::int AS n FROM risk_notice WHERE round_id = $1`, [roundId]))[0]!.n;
    await eventually(async () => (await numbered()) > 0 || undefined, 'the first notice numbered', 60_000);
    const numberedAtKill = await numbered();
    await priv.process.kill();

    const [approval] = await db.query<{ after: { recipients: string[] } }[]>(`SELECT after FROM audit_log WHERE action = 'assessment_round.approve' AND entity_id = $1`, [roundId]);
    const expected = approval!.after.recipients.length;
    expect(expected).toBe(30);
    const instances = await eventually(
      async () => {
        const rows = await db.query<{ key: string }[]>(
          `SELECT n.process_instance_key AS key FROM risk_notice n WHERE n.round_id = $1 AND n.number IS NOT NULL AND n.document_id IS NOT NULL
             AND EXISTS (SELECT 1 FROM engine_user_task t WHERE t.process_instance_key = n.process_instance_key AND t.element_id = 'submitOpinion' AND t.state = 'CREATED')`,
          [roundId],
        );
        return rows.length === expected ? rows.map((r) => r.key) : undefined;
      },
      'every notice numbered, delivered and waiting for its unit on node B',
      120_000,
    );
    console.log(`two nodes: node A killed with ${numberedAtKill} of ${expected} notices numbered`);

    // Past every reminder date, before any due date: each notice's reminder fires, on node B.
    const [{ reminders, dues }] = await owner.query<{ reminders: Date; dues: Date }[]>(
      `SELECT max(j.duedate_) FILTER (WHERE d.act_id_ = 'beforeDue') AS reminders, min(j.duedate_) FILTER (WHERE d.act_id_ = 'atDue') AS dues
       FROM ${ENGINE_SCHEMA}.act_ru_job j JOIN ${ENGINE_SCHEMA}.act_ru_jobdef d ON d.id_ = j.job_def_id_ WHERE j.process_instance_id_ = ANY($1)`,
      [instances],
    );
    expect(reminders.getTime()).toBeLessThan(dues.getTime());
    await system.engine.pinClock(new Date(reminders.getTime() + 60_000));
    const fired = await eventually(
      async () => {
        const rows = await owner.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM ${ENGINE_SCHEMA}.act_hi_actinst WHERE act_id_ = 'remindBeforeDue' AND end_time_ IS NOT NULL AND proc_inst_id_ = ANY($1) GROUP BY proc_inst_id_`,
          [instances],
        );
        return rows.length === expected ? rows.map((r) => r.n) : undefined;
      },
      'every reminder sent',
      90_000,
    );
    expect(fired).toEqual(Array.from({ length: expected }, () => 1));

    // Once each: the notice tasks, the notices' documents and their mails.
    const opened = await owner.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${ENGINE_SCHEMA}.act_hi_taskinst WHERE task_def_key_ = 'submitOpinion' AND proc_inst_id_ = ANY($1) GROUP BY proc_inst_id_`,
      [instances],
    );
    expect(opened.map((r) => r.n)).toEqual(Array.from({ length: expected }, () => 1));
    const [effects] = await db.query<{ n: number; d: number }[]>(`SELECT count(*)::int AS n, count(DISTINCT business_key)::int AS d FROM job_effect WHERE job_type = 'deliver-risk-notice'`);
    expect(effects).toEqual({ n: expected, d: expected });
    const outbox = await db.query<{ message_id: string }[]>(`SELECT message_id FROM outbox WHERE dedup_key LIKE $1`, [`document:risk-notice:${roundId}:%`]);
    expect(outbox).toHaveLength(expected);
    await createMailDispatcher(db, createSmtpTransport(`smtp://127.0.0.1:${catcher.port}`), log, { from: 'test@example.gov' }).drain();
    const arrived = catcher.received().map((m) => m.messageId);
    expect(outbox.map((o) => arrived.filter((id) => id === o.message_id).length)).toEqual(Array.from({ length: expected }, () => 1));
    expect(await db.query(`SELECT 1 FROM engine_incident WHERE state = 'ACTIVE'`)).toHaveLength(0);
  });
});
