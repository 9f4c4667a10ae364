/**
 * `npm run dry-run -- --year 2026`: runs a county year (src/dry-run/county-year.ts) on a
 * throw-away engine and database with the moved clock, under this environment's configuration,
 * and prints the timeline of what happened. Admins run it before changing timers or dates.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCountyYearData, runCountyYear } from '../src/dry-run/county-year.ts';
import { startSandbox } from '../src/dry-run/sandbox.ts';
import { createLogger } from '../src/shared/logger.ts';

const { values } = parseArgs({ options: { year: { type: 'string' }, 'base-port': { type: 'string', default: '54600' } } });
const year = Number(values.year ?? new Date().getFullYear());
if (!Number.isInteger(year) || year < 2000 || year > 2100) {
  console.error('usage: npm run dry-run -- --year 2026 [--base-port 54600]');
  process.exit(2);
}
const log = createLogger(process.env.LOG_LEVEL ?? 'warn', 'dry-run');
const started = Date.now();
console.log(`演练 ${year} 年度闭环：启动临时引擎和数据库……`);
const sandbox = await startSandbox({ stateDir: path.join(os.tmpdir(), `risk-loop-dry-run-${process.pid}`), basePort: Number(values['base-port']), log });
try {
  const cases = await loadCountyYearData(sandbox.core.services, year);
  console.log(`已生成并载入演练数据 ${cases} 件（${year - 4}–${year} 年）`);
  const result = await runCountyYear(
    {
      services: sandbox.core.services,
      engine: sandbox.core.engine,
      config: sandbox.config,
      // Beijing time, as the county reads its calendar.
      onEntry: (e) => console.log(`${new Date(Date.parse(e.at) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')}  ${e.event}`),
    },
    year,
  );
  const [counts] = await sandbox.core.db.query(
    `SELECT (SELECT count(*) FROM risk_notice)::int AS notices, (SELECT count(*) FROM supervision_item)::int AS items,
            (SELECT count(*) FROM escalation_event)::int AS escalations, (SELECT count(*) FROM deduction WHERE year = $1)::int AS deductions,
            (SELECT count(*) FROM document)::int AS documents, (SELECT count(*) FROM engine_incident WHERE state <> 'RESOLVED')::int AS incidents`,
    [year],
  );
  console.log(
    `\n演练结束（用时 ${((Date.now() - started) / 1000).toFixed(0)} 秒）：评估轮次 ${Object.values(result.rounds).join('、')}，风险提示函 ${counts.notices} 份，` +
      `督办事项 ${counts.items} 件，升级事件 ${counts.escalations} 次，公文 ${counts.documents} 份，${year} 年扣分 ${counts.deductions} 项，未解决事故 ${counts.incidents} 个。`,
  );
} finally {
  await sandbox.stop();
}
