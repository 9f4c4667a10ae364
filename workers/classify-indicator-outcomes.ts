import { complete, contractWorker } from './runtime/define-worker.ts';

/** `classify-indicator-outcomes` (effectiveness-evaluation): Last year's high-risk indicators: resolved / improved / unchanged / worse against the county trend, linked to what targeted them. */
export default contractWorker<{ now: string; evaluationYear: number }, Record<string, unknown>>('classify-indicator-outcomes', async (v, { services, job }) => complete(await services.evaluationFlow.classify(v, job.key)));
