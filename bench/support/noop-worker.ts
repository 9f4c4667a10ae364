import { z } from 'zod';
import type { DataSource } from 'typeorm';
import { runOnce } from '../../src/services/effects.ts';
import { enqueueMail } from '../../src/services/outbox.ts';
import { complete, defineWorker } from '../../workers/runtime/define-worker.ts';

/**
 * Our production worker stack around a no-op body: schema check, effect + outbox transaction,
 * logging. `maxJobsToActivate` is the worker host's limit of tasks in flight (default 32).
 */
export function noopProductionWorker(db: DataSource, options: { maxJobsToActivate?: number } = {}) {
  return defineWorker({
    type: 'bench-ours',
    description: 'No-op body inside the production worker stack.',
    input: z.object({ run: z.string(), jobType: z.literal('bench-ours') }),
    maxJobsToActivate: options.maxJobsToActivate ?? 32,
    async handle(vars, ctx) {
      await runOnce(db, { jobType: ctx.job.type, businessKey: `${vars.run}:${ctx.job.key}`, jobKey: ctx.job.key }, (tx) =>
        enqueueMail(tx, { dedupKey: `bench:${vars.run}:${ctx.job.key}`, to: ['bench@example.gov'], subject: 'bench', body: 'bench' }),
      );
      ctx.log.debug('bench step');
      return complete({});
    },
  });
}
