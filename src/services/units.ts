import type { DataSource } from 'typeorm';
import type { Config } from '../config/schema.ts';
import { scoringCategoryLabels } from '../domain/loop/scoring.ts';
import { NotFoundError } from '../shared/errors.ts';
import type { Actor } from './actor.ts';
import { writeAudit } from './audit.ts';
import { calendarSettings } from './loop/calendar.ts';
import { loopSettingsFrom, scoringRulesFrom } from './loop/settings.ts';

/**
 * 单位与配置 for admins: the county's units (where notices are mailed, who is cc'd on a 催办,
 * whether a unit still takes part) edited with an audit row, and the loop's effective settings —
 * durations, dates and scoring as configuration made them (changed in the environment and shown
 * first by `npm run dry-run`).
 */
export function createUnitService(deps: { db: DataSource; config: Config }) {
  const { db } = deps;
  return {
    list: () =>
      db.query(
        `SELECT id, name, kind, email, leader_email AS "leaderEmail", active, sort_order AS "sortOrder" FROM department ORDER BY sort_order, id`,
      ),

    async update(actor: Actor, id: string, change: { email?: string; leaderEmail?: string | null; active?: boolean }) {
      return db.transaction(async (tx) => {
        const [before] = await tx.query<{ email: string; leader_email: string | null; active: boolean }[]>(
          `SELECT email, leader_email, active FROM department WHERE id = $1 FOR UPDATE`,
          [id],
        );
        if (!before) throw new NotFoundError('单位不存在');
        const after = {
          email: change.email ?? before.email,
          leader_email: change.leaderEmail === undefined ? before.leader_email : change.leaderEmail,
          active: change.active ?? before.active,
        };
        await tx.query(`UPDATE department SET email = $2, leader_email = $3, active = $4 WHERE id = $1`, [id, after.email, after.leader_email, after.active]);
        await writeAudit(tx, actor, { action: 'department.update', entityType: 'department', entityId: id, before, after });
        return { id, ...after };
      });
    },

    settings: () => ({
      loop: loopSettingsFrom(deps.config),
      scoring: { ...scoringRulesFrom(deps.config), labels: scoringCategoryLabels },
      calendar: { ...calendarSettings(deps.config), enabled: deps.config.LOOP_CALENDAR_ENABLED },
    }),
  };
}

export type UnitService = ReturnType<typeof createUnitService>;
