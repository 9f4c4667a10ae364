import { z } from 'zod';

/**
 * The answers of Operaton's REST API that the product reads, as schemas: every answer is checked
 * as it arrives (`EngineRest.read`), so the types the code works with are the engine's own shapes,
 * proven against the real engine by every test that makes the call, instead of hand-written types
 * that drift with an upgrade. (A client generated from the engine's OpenAPI description would do
 * the same; Operaton 1.0.3 does not ship that description in its jars nor on Maven Central:
 * docs/engine.md.) Only the fields we use are named; the engine's others are dropped.
 */

export const typedValueAnswer = z.object({
  type: z.string(),
  value: z.unknown(),
  valueInfo: z.record(z.string(), z.unknown()).optional(),
});

/** `GET /task/{id}/variables`, and the variables of a locked external task. */
export const typedVariablesAnswer = z.record(z.string(), typedValueAnswer);

/** `POST /external-task/fetchAndLock`: the tasks locked for this worker. */
export const lockedExternalTasksAnswer = z.array(
  z.object({
    id: z.string(),
    topicName: z.string(),
    processInstanceId: z.string(),
    processDefinitionKey: z.string(),
    activityId: z.string(),
    retries: z.number().int().nullable(),
    variables: typedVariablesAnswer.optional(),
  }),
);
export type LockedExternalTask = z.infer<typeof lockedExternalTasksAnswer>[number];

/** A list of resources whose ids are all we read (`GET /external-task`, `GET /process-instance`). */
export const idsAnswer = z.array(z.object({ id: z.string() }));

/** `POST /process-definition/key/{key}/start`. */
export const startedInstanceAnswer = z.object({ id: z.string(), definitionId: z.string() });

/** `POST /message` with `resultEnabled`: one result per execution or definition the message reached. */
export const correlationResultsAnswer = z.array(z.object({ resultType: z.enum(['Execution', 'ProcessDefinition']) }));

/** `GET /task/{id}`: the execution a task-local variable is set on. */
export const taskExecutionAnswer = z.object({ executionId: z.string() });

/** `POST /deployment/create`: the process definitions this deployment made (null when nothing changed). */
export const deploymentAnswer = z.object({
  deployedProcessDefinitions: z.record(z.string(), z.object({ key: z.string(), version: z.number().int() })).nullish(),
});
