import { complete, contractWorker } from './runtime/define-worker.ts';

/** `approve-assessment-round`: the leader approved; one risk notice per unit owning a high or critical indicator (第七条). */
export default contractWorker<{ roundId: string; leaderComments?: string | null }, Record<string, unknown>>('approve-assessment-round', async (v, { services }) => {
  const noticeRecipients = await services.rounds.approve(v.roundId, v.leaderComments ?? null);
  return complete({ noticeRecipients, noticeCount: noticeRecipients.length });
});
