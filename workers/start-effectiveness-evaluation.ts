import { complete, contractWorker } from './runtime/define-worker.ts';

/** `start-effectiveness-evaluation`: an approved annual round starts the evaluation of its year (第十六条). */
export default contractWorker<{ year: number }, Record<string, never>>('start-effectiveness-evaluation', async (v, { services }) => {
  await services.rounds.startEvaluation(v.year);
  return complete({});
});
