import { complete, contractWorker } from './runtime/define-worker.ts';

/** `compute-unit-deductions` (effectiveness-evaluation): Each unit's deductions with evidence (lead full, co-units half) and the draft score sheet; recomputed every pass. */
export default contractWorker<{ now: string; evaluationYear: number; scoreCorrections?: string | null }, Record<string, unknown>>('compute-unit-deductions', async (v, { services, job }) => complete(await services.evaluationFlow.deductions(v, job.key)));
