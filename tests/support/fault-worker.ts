import { z } from 'zod';
import { createEngineGateway } from '../../src/engine/client.ts';
import { startJobWorkers } from '../../src/engine/worker-host.ts';
import { createDataSource } from '../../src/db/data-source.ts';
import { runOnce } from '../../src/services/effects.ts';
import { enqueueMail } from '../../src/services/outbox.ts';
import type { Services } from '../../src/services/index.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { complete, defineWorker } from '../../workers/runtime/define-worker.ts';
import { toRegistrations } from '../../workers/runtime/registrations.ts';
import { testEngineAddress } from './engine.ts';
import { testDatabaseAdminUrl } from './ports.ts';

/**
 * A worker process for fault tests (run as its own OS process so it can be killed with -9).
 * With CRASH_ON_JOB=N it kills itself on its N-th job after the effect committed and before
 * completing the job — the worst moment for "nothing twice".
 */
const crashOn = Number(process.env.CRASH_ON_JOB ?? 0);
const log = createLogger('warn', 'fault-worker');
const db = createDataSource(testDatabaseAdminUrl(), 4);
await db.initialize();
const engine = createEngineGateway(testEngineAddress(), log);
let handled = 0;

const effect = defineWorker({
  type: 'fault-probe-effect',
  description: 'Records an effect and enqueues its mail once per business key (fault tests).',
  input: z.object({ businessKey: z.string() }),
  // Short lock: the crashed worker's jobs return to the engine after 5 s (handlers take ~0.1 s).
  timeoutMs: 5_000,
  maxJobsToActivate: 4,
  async handle(vars, ctx) {
    const { result } = await runOnce(db, { jobType: ctx.job.type, businessKey: vars.businessKey, jobKey: ctx.job.key }, async (tx) => {
      await enqueueMail(tx, { dedupKey: `fault:${vars.businessKey}`, to: ['pab@tanghe.gov.example'], subject: `故障测试 ${vars.businessKey}`, body: '测试' });
      return { done: vars.businessKey };
    });
    handled++;
    if (crashOn && handled === crashOn) process.kill(process.pid, 'SIGKILL');
    return complete(result);
  },
});

startJobWorkers(engine, toRegistrations([effect], { services: { db } as unknown as Services, log }), log);
process.stdout.write('fault-worker ready\n');
