import { BusinessRuleError, PermanentError, TransientError } from '../../src/shared/errors.ts';
import type { Logger } from '../../src/shared/logger.ts';
import type { Services } from '../../src/services/index.ts';
import type { JobInfo, WorkerDefinition } from './define-worker.ts';
import { INITIAL_RETRIES } from '../../src/engine/worker-host.ts';

/** The three things a handler's outcome can do to a job (implemented over the engine's REST API in src/engine/worker-host.ts). */
export interface JobActions<A> {
  complete(variables: Record<string, unknown>): Promise<A>;
  error(code: string, message: string, variables: Record<string, unknown>): Promise<A>;
  fail(message: string, retries: number, retryBackOffMs: number): Promise<A>;
}


/**
 * Back-off after the n-th failure: 10 s, 30 s, 90 s … capped at 10 minutes. With three retries
 * the third attempt comes 40 s after the first, so a database or network outage of half a
 * minute heals by itself instead of raising incidents (QUALITY.md R5).
 */
export function retryBackOffMs(retriesLeft: number, initialRetries = INITIAL_RETRIES): number {
  const failures = Math.max(1, initialRetries - retriesLeft);
  return Math.min(10_000 * 3 ** (failures - 1), 600_000);
}

/**
 * Validates variables, runs the handler and maps its outcome onto the job:
 * complete → complete; BusinessRuleError → BPMN error; TransientError or an unknown error (a
 * database or network fault) → fail with one retry fewer and back-off; PermanentError or invalid
 * variables → fail with no retries, which raises an incident for a person to look at.
 */
export async function runJob<I, A>(
  definition: WorkerDefinition<I, Record<string, unknown>>,
  job: JobInfo & { variables: unknown },
  actions: JobActions<A>,
  deps: { services: Services; log: Logger },
): Promise<A | undefined> {
  const log = deps.log.child({ jobType: job.type, jobKey: job.key, processInstanceKey: job.processInstanceKey });
  const parsed = definition.input.safeParse(job.variables);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    log.error({ detail }, 'job variables invalid');
    return actions.fail(`invalid variables for ${job.type}: ${detail}`, 0, 0);
  }
  let outcome: Awaited<ReturnType<typeof definition.handle>>;
  try {
    outcome = await definition.handle(parsed.data, { job, log, services: deps.services });
  } catch (error) {
    if (error instanceof BusinessRuleError) {
      log.info({ code: error.code }, 'business rule error');
      return actions.error(error.code, error.message, error.variables);
    }
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof PermanentError) {
      log.error({ err: error }, 'permanent failure, raising an incident');
      return actions.fail(message, 0, 0);
    }
    const retries = Math.max(0, job.retries - 1);
    log.warn({ err: error, retries, transient: error instanceof TransientError }, 'job failed, will retry');
    return actions.fail(message, retries, retryBackOffMs(retries));
  }
  try {
    return await actions.complete(outcome.variables);
  } catch (error) {
    // The effect is committed. Either the job is gone (a redelivery completed it, or its instance
    // was cancelled: NOT_FOUND) or the engine did not answer (the job times out, comes back and
    // replays its effect). Failing it now would be a second action on a finished job.
    log.warn({ err: error }, 'completing the job failed after its effect was committed');
    return undefined;
  }
}
