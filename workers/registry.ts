import type { RegisteredWorker } from './runtime/define-worker.ts';

/** The only list of job workers; a test checks it against the task types used in bpmn/. */
export const workerDefinitions: readonly RegisteredWorker[] = [];
