import type { DataSource } from 'typeorm';
import type { Config } from '../../config/schema.ts';
import { MESSAGE_NAMES, type MessageName } from '../../engine/contract.ts';
import type { EngineGateway } from '../../engine/client.ts';
import { nextOccurrence, type CalendarSettings, type Occurrence, type ScheduleKind } from '../../domain/loop/calendar.ts';
import type { WorkCalendar } from '../../domain/loop/working-days.ts';
import { runOnce } from '../effects.ts';

/**
 * The `loop-calendar` process's two jobs: when the next round, meeting or bulletin is due (from
 * configuration and the engine clock), and starting it once. A round, meeting or bulletin that
 * people already started by hand is not started again; the ledger says which happened.
 */

/** Tanghe's administrative code: the calendar's correlation key (one calendar per county). */
export const CALENDAR_KEY = '411328';

const startMessages: Record<ScheduleKind, MessageName> = {
  round: MESSAGE_NAMES.startAssessmentRound,
  meeting: MESSAGE_NAMES.startJointMeeting,
  bulletin: MESSAGE_NAMES.startSupervisionBulletin,
};

const existingRecord: Record<ScheduleKind, string> = {
  round: `SELECT 1 FROM assessment_round WHERE id = $1`,
  meeting: `SELECT 1 FROM joint_meeting WHERE id = $1`,
  bulletin: `SELECT 1 FROM bulletin WHERE id = $1`,
};

export function calendarSettings(config: Config): CalendarSettings {
  const [first, second] = config.JOINT_MEETING_DATES.split(',') as [string, string];
  return {
    annualRoundDate: config.ANNUAL_ROUND_DATE,
    halfYearRoundDate: config.HALF_YEAR_ROUND_DATE,
    jointMeetingDates: [first, second],
    bulletinDayOfMonth: config.BULLETIN_DAY_OF_MONTH,
    startTime: config.SCHEDULED_START_TIME,
  };
}

export function createCalendarService(deps: { db: DataSource; engine: EngineGateway; config: Config; workCalendar: WorkCalendar }) {
  const workCalendar = deps.workCalendar;
  const settings = calendarSettings(deps.config);

  return {
    /** The next occurrence after the engine's `now`, or null when the calendar is switched off. */
    next(kind: ScheduleKind, now: string): Occurrence | null {
      return deps.config.LOOP_CALENDAR_ENABLED ? nextOccurrence(kind, now, settings, workCalendar) : null;
    },

    /** Publishes the start message of one occurrence, once; skipped when it was started by hand. */
    async start(kind: ScheduleKind, businessId: string, variables: Record<string, unknown>, jobKey: string): Promise<'published' | 'already_started'> {
      const { result } = await runOnce(deps.db, { jobType: 'publish-scheduled-start', businessKey: `${kind}:${businessId}`, jobKey }, async (tx) => {
        const exists = (await tx.query<unknown[]>(existingRecord[kind], [businessId])).length > 0;
        const outcome = exists ? 'already_started' : 'published';
        await tx.query(`INSERT INTO scheduled_start (schedule_kind, business_id, outcome) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [kind, businessId, outcome]);
        // TTL 0 with messageId = correlation key: while an instance of this business id runs, a
        // second start is dropped, never queued (src/engine/contract.ts startContracts).
        if (!exists) await deps.engine.publishMessage({ name: startMessages[kind], correlationKey: businessId, messageId: businessId, timeToLiveMs: 0, variables });
        return outcome;
      });
      return result;
    },

    /** Starts the county's calendar; while it runs, a second start is dropped (same correlation key). */
    async ensureRunning(): Promise<void> {
      if (!deps.config.LOOP_CALENDAR_ENABLED) return;
      await deps.engine.publishMessage({
        name: MESSAGE_NAMES.startLoopCalendar,
        correlationKey: CALENDAR_KEY,
        messageId: `loop-calendar:${CALENDAR_KEY}`,
        timeToLiveMs: 0,
        variables: { calendarKey: CALENDAR_KEY },
      });
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
