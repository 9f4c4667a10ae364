import { complete, contractWorker } from './runtime/define-worker.ts';

/** `close-assessment-round`: every risk notice of the round has finished. */
export default contractWorker<{ roundId: string }, Record<string, unknown>>('close-assessment-round', async (v, { services }) =>
  complete({ roundClosedAt: await services.rounds.close(v.roundId) }),
);
