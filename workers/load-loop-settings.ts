import { loopSettingsFrom } from '../src/services/loop/settings.ts';
import { complete, contractWorker } from './runtime/define-worker.ts';

/**
 * `load-loop-settings` (first job of every diagram): the working-day counts and cycles from
 * configuration into `settings`, and the option lists the forms need. Reads only: no effect.
 */
export default contractWorker<Record<string, unknown>, Record<string, unknown>>('load-loop-settings', async (_v, { services }) => {
  const units: { id: string; name: string; kind: string }[] = await services.db.query(`SELECT id, name, kind FROM department WHERE active ORDER BY sort_order`);
  return complete({
    settings: loopSettingsFrom(services.config),
    departmentOptions: units.filter((u) => u.kind !== 'township').map((u) => ({ label: u.name, value: u.id })),
    townshipOptions: units.filter((u) => u.kind === 'township').map((u) => ({ label: u.name.replace(/(人民政府|办事处)$/, ''), value: u.id })),
  });
});
