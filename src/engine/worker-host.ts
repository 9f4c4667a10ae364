import type { ZBWorker } from '@camunda8/sdk/dist/zeebe/index.js';
import type { EngineGateway } from './client.ts';
import type { Logger } from '../shared/logger.ts';

/** What a handler knows about the job it works on: enough to key its effect and to log. */
export interface JobInfo {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  retries: number;
}

/** The job as the worker runtime sees it, with the three actions it may take. */
export interface HostedJob extends JobInfo {
  variables: unknown;
  complete(variables: Record<string, unknown>): Promise<unknown>;
  error(code: string, message: string, variables: Record<string, unknown>): Promise<unknown>;
  fail(message: string, retries: number, retryBackOffMs: number): Promise<unknown>;
}

export interface JobHandlerRegistration {
  type: string;
  timeoutMs: number;
  maxJobsToActivate: number;
  handle(job: HostedJob): Promise<unknown>;
}

/**
 * How soon a worker opens its next long poll after one ended. The SDK ends a long poll as soon
 * as it delivers jobs and re-polls on this timer, so it bounds the hand-off latency (measured:
 * 1 s per task at the SDK's 1 s); a waiting long poll blocks the timer, so a short one costs nothing.
 */
export const POLL_INTERVAL_MS = 50;

/**
 * Upper bound of one long poll. A poll parked in the gateway while the engine restarts can miss
 * the "jobs available" signal; a short bound makes the worker ask again soon (QUALITY.md R2).
 */
export const LONG_POLL_MS = 5000;

export interface WorkerHost {
  stop(): Promise<void>;
}

/**
 * Opens one polling job worker per registration. Polling (not streaming) because the SDK's
 * polling worker bounds in-flight jobs by maxJobsToActivate and backs off after errors, and
 * its long poll keeps the hand-off fast enough (QUALITY.md §1, P2).
 */
/** How a polling worker for `r` is opened (also by benchmarks' bare-SDK baselines, to compare like with like). */
export function pollingOptions(r: Pick<JobHandlerRegistration, 'type' | 'maxJobsToActivate' | 'timeoutMs'>, log: Logger) {
  return {
    taskType: r.type,
    maxJobsToActivate: r.maxJobsToActivate,
    timeout: r.timeoutMs,
    pollInterval: POLL_INTERVAL_MS,
    longPoll: LONG_POLL_MS,
    // The SDK's own chatter (a channel closing is "info") goes to our logger a level lower.
    stdout: {
      info: (m: unknown) => log.debug({ zeebe: m }, 'worker'),
      error: (m: unknown) => log.warn({ zeebe: m }, 'worker'),
      debug: (m: unknown) => log.trace({ zeebe: m }, 'worker'),
      trace: (m: unknown) => log.trace({ zeebe: m }, 'worker'),
      warn: (m: unknown) => log.warn({ zeebe: m }, 'worker'),
    },
  };
}

export function startJobWorkers(engine: EngineGateway, registrations: JobHandlerRegistration[], log: Logger): WorkerHost {
  const zeebe = engine.sdk().getZeebeGrpcApiClient();
  const workers: ZBWorker<never, never, never>[] = registrations.map((r) =>
    zeebe.createWorker({
      ...pollingOptions(r, log),
      taskHandler: async (job) => {
        await r.handle({
          key: job.key,
          type: job.type,
          processInstanceKey: job.processInstanceKey,
          bpmnProcessId: job.bpmnProcessId,
          elementId: job.elementId,
          retries: job.retries,
          variables: job.variables,
          complete: (variables) => job.complete(variables as never),
          error: (code, message, variables) => job.error({ errorCode: code, errorMessage: message, variables: variables as never }),
          fail: (message, retries, retryBackOff) => job.fail({ errorMessage: message, retries, retryBackOff }),
        });
        return 'JOB_ACTION_ACKNOWLEDGEMENT' as const;
      },
    }) as unknown as ZBWorker<never, never, never>,
  );
  return {
    stop: async () => {
      await Promise.all(workers.map((w) => w.close(10_000)));
    },
  };
}
