import { BusinessRuleError, PermanentError, TransientError } from '../../src/shared/errors.ts';
import type { Logger } from '../../src/shared/logger.ts';
import type { Services } from '../../src/services/index.ts';
import type { JobInfo, WorkerDefinition } from './define-worker.ts';
import { INITIAL_RETRIES } from '../../src/engine/worker-host.ts';
import { failureReason } from '../../src/shared/failure-reason.ts';

/** The three things a handler's outcome can do to a job (implemented over the engine's REST API in src/engine/worker-host.ts). */
export interface JobActions<A> {
  complete(variables: Record<string, unknown>): Promise<A>;
  error(code: string, message: string, variables: Record<string, unknown>): Promise<A>;
  /** `message` is the Chinese reason (the incident's message when no retries are left); `details` the technical error. */
  fail(message: string, retries: number, retryBackOffMs: number, details?: string): Promise<A>;
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
 * The error as the log gets it: a failed query (TypeORM's QueryFailedError) carries its statement's
 * parameters — a document's .docx and PDF bytes, case data — which stay out of the log.
 */
function loggable(error: unknown): unknown {
  if (!(error instanceof Error) || !('parameters' in error)) return error;
  const { query, code } = error as Error & { query?: unknown; code?: unknown };
  return Object.assign(new Error(error.message), { name: error.name, stack: error.stack, query, code });
}

/**
 * Validates variables, runs the handler and maps its outcome onto the job:
 * complete → complete; BusinessRuleError → BPMN error; TransientError or an unknown error (a
 * database or network fault) → fail with one retry fewer and back-off; PermanentError or invalid
 * variables → fail with no retries, which raises an incident for a person to look at. The failure
 * is reported with its reason in Chinese (src/shared/failure-reason.ts): the office reads it on the
 * 故障处理 screen, fixes the cause and retries.
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
    return actions.fail(`流程变量不符合要求（${job.type}）：${detail}。请系统管理员检查流程图与任务的约定`, 0, 0, `invalid variables for ${job.type}: ${detail}`);
  }
  let outcome: Awaited<ReturnType<typeof definition.handle>>;
  try {
    outcome = await definition.handle(parsed.data, { job, log, services: deps.services });
  } catch (error) {
    if (error instanceof BusinessRuleError) {
      log.info({ code: error.code }, 'business rule error');
      return actions.error(error.code, error.message, error.variables);
    }
    const reason = failureReason(error);
    const details = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (error instanceof PermanentError) {
      log.error({ err: loggable(error) }, 'permanent failure, raising an incident');
      return actions.fail(reason, 0, 0, details);
    }
    const retries = Math.max(0, job.retries - 1);
    log.warn({ err: loggable(error), retries, transient: error instanceof TransientError }, retries > 0 ? 'job failed, will retry' : 'job failed, retries used up: raising an incident');
    // The last failure raises an incident, which alone keeps the task from workers: no back-off
    // on top, so a 重试 after the fix runs at once (the engine keeps the lock's expiry on retry).
    return actions.fail(reason, retries, retries > 0 ? retryBackOffMs(retries) : 0, details);
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
