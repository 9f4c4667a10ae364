import type { JobHandlerRegistration } from '../../src/engine/worker-host.ts';
import type { Logger } from '../../src/shared/logger.ts';
import type { Services } from '../../src/services/index.ts';
import type { RegisteredWorker } from './define-worker.ts';
import { runJob } from './run-job.ts';

/** Default job timeout: generous against a handler p99 of well under a second (QUALITY.md P6). */
const DEFAULT_TIMEOUT_MS = 60_000;

export function toRegistrations(
  definitions: readonly RegisteredWorker[],
  deps: { services: Services; log: Logger },
): JobHandlerRegistration[] {
  return definitions.map((definition) => ({
    type: definition.type,
    timeoutMs: definition.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxJobsToActivate: definition.maxJobsToActivate ?? 8,
    handle: (job) => runJob(definition, job, job, deps),
  }));
}
