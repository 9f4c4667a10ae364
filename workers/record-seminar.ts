import type { EvaluationFlow } from '../src/services/loop/evaluation-flow.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/** `record-seminar` (effectiveness-evaluation): the 成效研讨会 held, its attendance and conclusions kept with the evaluation. */
export default contractWorker<Parameters<EvaluationFlow['recordSeminar']>[0], Record<string, unknown>>('record-seminar', async (v, { services }) => complete(await services.evaluationFlow.recordSeminar(v)));
