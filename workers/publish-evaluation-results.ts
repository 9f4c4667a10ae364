import { complete, contractWorker } from './runtime/define-worker.ts';

/** `publish-evaluation-results` (effectiveness-evaluation): The 考核通报 score sheet and the public annual report; once per year. */
export default contractWorker<{ now: string; evaluationYear: number }, Record<string, unknown>>('publish-evaluation-results', async (v, { services, job }) => complete(await services.evaluationFlow.publish(v, job.key)));
