import { COUNTY, noticeRecipients } from '../../src/domain/indicators/evaluate.ts';
import type { Services } from '../../src/services/index.ts';

export type Recipient = { departmentId: string; indicatorIds: string[] };

/**
 * A county round of `count` notices (issue 18 §6, QUALITY.md P4b): the demo county's data gives
 * only a handful of units with a high indicator. The approval step lists the owners of the high
 * indicators of the round's stored run, so once the run is computed (before the court submits)
 * this raises levels in that run to `high` — first county values of indicators whose owner is
 * not yet a recipient, then township values of indicators routed to townships — until exactly
 * `count` units own one; their reason is marked as set for the test. The production approval then
 * reads `count` units and each notice quotes its figures as usual. Returns that notice list.
 */
export async function raiseToRecipients(svc: Pick<Services, 'db' | 'indicators'>, roundId: string, count: number): Promise<Recipient[]> {
  const [round] = await svc.db.query<{ indicator_run_id: string | null }[]>(`SELECT indicator_run_id FROM assessment_round WHERE id = $1`, [roundId]);
  const runId = round?.indicator_run_id;
  if (!runId) throw new Error(`round ${roundId} has no indicator run`);
  const definitions = await svc.indicators.latestDefinitions();
  const results = await svc.indicators.results(runId);
  const high = (level: string) => level === 'high' || level === 'critical';
  const definition = (id: string) => definitions.find((d) => d.id === id);
  let recipients = noticeRecipients(definitions, results);
  if (recipients.length > count) throw new Error(`the data already gives ${recipients.length} recipients, more than ${count}`);
  const candidates = [
    ...results.filter((r) => r.region === COUNTY && !high(r.level) && definition(r.indicatorId)?.owners[0] !== 'court'),
    ...results.filter((r) => r.region !== COUNTY && !high(r.level) && definition(r.indicatorId)?.routeToTownships),
  ];
  const raised: string[] = [];
  for (const candidate of candidates) {
    if (recipients.length === count) break;
    const before = candidate.level;
    candidate.level = 'high';
    const next = noticeRecipients(definitions, results);
    // Keep a raise only if it adds a unit without overshooting (a township value can add two).
    if (next.length > recipients.length && next.length <= count) {
      recipients = next;
      raised.push(candidate.valueId);
    } else {
      candidate.level = before;
    }
  }
  if (recipients.length !== count) throw new Error(`could only reach ${recipients.length} recipients`);
  await svc.db.query(`UPDATE indicator_value SET level = 'high', reason = '【测试设定为高风险】' || reason WHERE id = ANY($1::uuid[])`, [raised]);
  const stored = (await svc.indicators.summary(runId)).recipients;
  if (stored.length !== count) throw new Error(`the run lists ${stored.length} recipients after the raise`);
  return stored;
}
