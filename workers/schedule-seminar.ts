import type { EvaluationFlow } from '../src/services/loop/evaluation-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `schedule-seminar` (effectiveness-evaluation): The 成效研讨会 recorded and announced. */
export default contractWorker<Parameters<EvaluationFlow['seminar']>[0], Record<string, unknown>>('schedule-seminar', async (v, { services }) => complete(await services.evaluationFlow.seminar(v)));
