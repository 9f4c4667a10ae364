import { startBenchEngine } from './support/bench-engine.ts';
import { toTypedVariables } from '../src/engine/variables.ts';
import { startBareWorkers } from './support/bare-worker.ts';
import { startJobWorkers } from '../src/engine/worker-host.ts';
import { toRegistrations } from '../workers/runtime/registrations.ts';
import { noopProductionWorker } from './support/noop-worker.ts';
import type { Services } from '../src/services/index.ts';
import { createLogger } from '../src/shared/logger.ts';
const log = createLogger('silent');
const bench = await startBenchEngine('riskloop_bench', ['bench-ten-tasks']);
const ours = startJobWorkers(bench.engine, toRegistrations([noopProductionWorker(bench.db)], { services: { db: bench.db } as unknown as Services, log }), log);
const bare = startBareWorkers(bench.engineAddress.restAddress, [{ type: 'bench-bare', lockMs: 20000 }], { maxTasks: 32 });
const url = `${bench.engineAddress.restAddress}/engine-rest/process-definition/key/bench-ten-tasks/start`;
for (let round = 0; round < 6; round++) {
  const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ variables: toTypedVariables({ jobType: round % 2 ? 'bench-ours' : 'bench-bare', run: 'r' }), businessKey: `r:${round}:${i}` }) }).then(async (r) => `${r.status} ${(await r.text()).slice(0, 30)}`)));
  for (const r of results) console.log(round, r.status === 'fulfilled' ? r.value : (r.reason as Error).stack, r.status === 'rejected' ? (r.reason as { cause?: unknown }).cause : '');
  await new Promise((r) => setTimeout(r, 3000));
}
console.log('bare', bare.completed, bare.failed);
await bare.stop();
await ours.stop();
await bench.stop();
