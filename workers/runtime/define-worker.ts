import type { z } from 'zod';
import type { Logger } from '../../src/shared/logger.ts';
import type { Services } from '../../src/services/index.ts';
import type { JobInfo } from '../../src/engine/worker-host.ts';
import { taskContracts, type TaskType } from '../../src/engine/contract.ts';

export type { JobInfo };

export interface WorkerContext {
  job: JobInfo;
  log: Logger;
  services: Services;
}

export interface Complete<O> {
  kind: 'complete';
  variables: O;
}

/**
 * One job type. The handler parses nothing and touches no job API: it gets validated variables
 * and returns an outcome, or throws BusinessRuleError (→ BPMN error), TransientError (→ retry
 * with back-off) or PermanentError (→ incident). `run-job.ts` is the only adapter to the job.
 */
export interface WorkerDefinition<I = unknown, O = Record<string, unknown>> {
  type: string;
  description: string;
  input: z.ZodType<I>;
  /** BPMN error codes the handler may raise; a boundary event in the diagram must catch each. */
  errorCodes?: readonly string[];
  timeoutMs?: number;
  maxJobsToActivate?: number;
  handle(variables: I, ctx: WorkerContext): Promise<Complete<O>>;
}

/** A definition with its variable types erased, as the registry and the runtime hold it. */
export type RegisteredWorker = WorkerDefinition<unknown, Record<string, unknown>>;

/** Types the handler against its schema, then erases the types for the registry (the schema still checks at run time). */
export function defineWorker<I, O extends Record<string, unknown>>(definition: WorkerDefinition<I, O>): RegisteredWorker {
  return definition as unknown as RegisteredWorker;
}

export function complete<O>(variables: O): Complete<O> {
  return { kind: 'complete', variables };
}

/**
 * A worker for a job type of src/engine/contract.ts: its description, input schema and BPMN
 * error codes come from the contract, so a worker cannot drift from the diagrams. `I` is the
 * parsed input the handler reads (the contract's schema checks it at run time).
 */
export function contractWorker<I, O extends Record<string, unknown>>(
  type: TaskType,
  handle: (variables: I, ctx: WorkerContext) => Promise<Complete<O>>,
  options: Pick<WorkerDefinition, 'timeoutMs' | 'maxJobsToActivate'> = {},
): RegisteredWorker {
  const contract = taskContracts[type];
  return defineWorker<I, O>({
    type,
    description: contract.description,
    input: contract.input as unknown as z.ZodType<I>,
    errorCodes: contract.errorCodes,
    handle,
    ...options,
  });
}
