import { atLocalTime, nextWorkingDay, toLocalDate, instantMs, type WorkCalendar } from './working-days.ts';

/**
 * The county's loop calendar (第六条、第九条、第十四条): the February annual assessment round of
 * the year before, the July half-year round, the joint meeting every six months and the monthly
 * 督办事项专报. Dates come from configuration as MM-DD (a day that is not a working day moves to
 * the next one); each occurrence carries the business id and start variables of the process it
 * starts, so a repeated start of the same occurrence is recognisable.
 */

export type ScheduleKind = 'round' | 'meeting' | 'bulletin';

export interface CalendarSettings {
  /** MM-DD of the annual round (for the previous year), e.g. 02-10. */
  annualRoundDate: string;
  /** MM-DD of the half-year round (January–June), e.g. 07-10. */
  halfYearRoundDate: string;
  /** MM-DD of the two joint meetings, first and second half of the year. */
  jointMeetingDates: readonly [string, string];
  /** Day of the month on which the bulletin of the previous month is compiled. */
  bulletinDayOfMonth: number;
  /** Local time of day at which scheduled starts happen, HH:mm. */
  startTime: string;
}

export interface Occurrence {
  kind: ScheduleKind;
  /** ISO-8601 instant with offset, ready for a timer's timeDate. */
  at: string;
  /** Business id of the started process: roundId, meetingId or bulletinId. */
  businessId: string;
  /** Start variables of the started process (src/engine/contract.ts startContracts). */
  variables: Record<string, unknown>;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

function candidates(kind: ScheduleKind, year: number, s: CalendarSettings): { date: string; businessId: string; variables: Record<string, unknown> }[] {
  switch (kind) {
    case 'round':
      return [
        {
          date: `${year}-${s.annualRoundDate}`,
          businessId: `${year - 1}-Y`,
          variables: { roundId: `${year - 1}-Y`, roundKind: 'annual', year: year - 1, periodStart: `${year - 1}-01-01`, periodEnd: `${year - 1}-12-31` },
        },
        {
          date: `${year}-${s.halfYearRoundDate}`,
          businessId: `${year}-H1`,
          variables: { roundId: `${year}-H1`, roundKind: 'half_year', year, periodStart: `${year}-01-01`, periodEnd: `${year}-06-30` },
        },
      ];
    case 'meeting':
      return s.jointMeetingDates.map((md, i) => ({
        date: `${year}-${md}`,
        businessId: `${year}-H${i + 1}`,
        variables: { meetingId: `${year}-H${i + 1}`, meetingKind: 'scheduled' },
      }));
    case 'bulletin':
      return Array.from({ length: 12 }, (_, i) => {
        // The bulletin compiled in month m reports on month m-1.
        const period = i === 0 ? { y: year - 1, m: 12 } : { y: year, m: i };
        const id = `${period.y}-${pad(period.m)}`;
        return {
          date: `${year}-${pad(i + 1)}-${pad(s.bulletinDayOfMonth)}`,
          businessId: id,
          variables: { bulletinId: id, bulletinKind: 'monthly', periodStart: `${id}-01`, periodEnd: `${id}-${pad(lastDayOfMonth(period.y, period.m))}` },
        };
      });
  }
}

/** The first occurrence of `kind` strictly after `now` (an ISO instant of the engine clock). */
export function nextOccurrence(kind: ScheduleKind, now: string, settings: CalendarSettings, calendar: WorkCalendar): Occurrence {
  const nowMs = instantMs(now);
  const year = Number(toLocalDate(now).slice(0, 4));
  for (const y of [year, year + 1]) {
    for (const c of candidates(kind, y, settings)) {
      const day = calendar.isWorkingDay(c.date) ? c.date : nextWorkingDay(calendar, c.date);
      const at = atLocalTime(day, settings.startTime);
      if (instantMs(at) > nowMs) return { kind, at, businessId: c.businessId, variables: c.variables };
    }
  }
  throw new Error(`no ${kind} occurrence within a year of ${now}`);
}
