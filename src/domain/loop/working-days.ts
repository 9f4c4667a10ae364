import calendarData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/**
 * Working days in mainland China: Monday to Friday, minus the public holidays the State Council
 * announces each year, plus the make-up workdays (调休上班) that fall on weekends. The calendar
 * data is the `chinese-days` package's (State Council announcements, 2004 onwards); a county can
 * add days the package does not know yet (a year not announced when it was published) through
 * `CalendarOverrides`, which come from configuration.
 *
 * Dates are local calendar dates in China (`YYYY-MM-DD`); instants are converted with a fixed
 * UTC offset (China has no daylight saving time).
 */

export type LocalDate = string;

export interface CalendarOverrides {
  /** Extra days off (e.g. a holiday announced after the package was published). */
  extraHolidays?: readonly LocalDate[];
  /** Extra make-up workdays on weekends. */
  extraWorkdays?: readonly LocalDate[];
}

export interface WorkCalendar {
  isWorkingDay(date: LocalDate): boolean;
  /** The first and last year the holiday data covers; outside it only weekends are days off. */
  readonly coveredYears: { first: number; last: number };
}

/** Wall-clock settings of deadlines: the China offset, when a deadline falls due, when reminders go out. */
export interface DeadlineClock {
  utcOffsetMinutes: number;
  /** Local time a deadline expires on its last working day, `HH:MM`. */
  dueTime: string;
  /** Local time reminders and 催办 go out, `HH:MM`. */
  workdayStart: string;
}

export const CHINA_DEADLINE_CLOCK: DeadlineClock = { utcOffsetMinutes: 480, dueTime: '18:00', workdayStart: '09:00' };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function parseLocalDate(date: LocalDate): number {
  if (!isLocalDate(date)) throw new RangeError(`not a YYYY-MM-DD calendar date: ${date}`);
  return Date.parse(`${date}T00:00:00Z`);
}

/** Whether a text is a real calendar date in YYYY-MM-DD form. */
export function isLocalDate(text: string): text is LocalDate {
  const m = DATE.exec(text);
  return !!m && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === text;
}

function formatUtcDate(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The calendar date `days` days after `date` (negative: before). */
export function addCalendarDays(date: LocalDate, days: number): LocalDate {
  return formatUtcDate(parseLocalDate(date) + days * DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: LocalDate): number {
  return new Date(parseLocalDate(date)).getUTCDay();
}

export function createWorkCalendar(overrides: CalendarOverrides = {}): WorkCalendar {
  const holidays = new Set<string>([...Object.keys(calendarData.holidays), ...(overrides.extraHolidays ?? [])]);
  const workdays = new Set<string>([...Object.keys(calendarData.workdays), ...(overrides.extraWorkdays ?? [])]);
  for (const d of overrides.extraWorkdays ?? []) holidays.delete(d);
  for (const d of overrides.extraHolidays ?? []) workdays.delete(d);
  const years = [...Object.keys(calendarData.holidays), ...Object.keys(calendarData.workdays)].map((d) => Number(d.slice(0, 4)));
  const coveredYears = { first: Math.min(...years), last: Math.max(...years) };
  return {
    coveredYears,
    isWorkingDay(date) {
      parseLocalDate(date);
      if (workdays.has(date)) return true;
      if (holidays.has(date)) return false;
      const day = weekday(date);
      return day !== 0 && day !== 6;
    },
  };
}

/**
 * The `n`-th working day after `from` (`from` itself does not count), or before it when `n` is
 * negative. With `n` = 0: `from` when it is a working day, else the next working day.
 * "Within 15 working days of issue" is `addWorkingDays(cal, issueDate, 15)`.
 */
export function addWorkingDays(cal: WorkCalendar, from: LocalDate, n: number): LocalDate {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be an integer: ${n}`);
  let date = from;
  if (n === 0) {
    while (!cal.isWorkingDay(date)) date = addCalendarDays(date, 1);
    return date;
  }
  const step = n > 0 ? 1 : -1;
  let left = Math.abs(n);
  while (left > 0) {
    date = addCalendarDays(date, step);
    if (cal.isWorkingDay(date)) left -= 1;
  }
  return date;
}

/**
 * Working days in the half-open interval (`from`, `to`]: how many working days lie after `from`
 * up to and including `to`. Negative when `to` is before `from` (counting (`to`, `from`]).
 * So `countWorkingDays(cal, d, addWorkingDays(cal, d, n)) === n` for n ≥ 0.
 */
export function countWorkingDays(cal: WorkCalendar, from: LocalDate, to: LocalDate): number {
  const a = parseLocalDate(from);
  const b = parseLocalDate(to);
  if (b < a) return -countWorkingDays(cal, to, from);
  let count = 0;
  for (let ms = a + DAY_MS; ms <= b; ms += DAY_MS) if (cal.isWorkingDay(formatUtcDate(ms))) count += 1;
  return count;
}

export function nextWorkingDay(cal: WorkCalendar, date: LocalDate): LocalDate {
  return addWorkingDays(cal, date, 1);
}

// --- instants -------------------------------------------------------------------------------

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The local calendar date of an instant (an ISO string or a Date). */
export function toLocalDate(at: string | Date, utcOffsetMinutes: number = CHINA_DEADLINE_CLOCK.utcOffsetMinutes): LocalDate {
  const ms = typeof at === 'string' ? Date.parse(at.replace(/\[[^\]]*\]$/, '')) : at.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${String(at)}`);
  return formatUtcDate(ms + utcOffsetMinutes * 60_000);
}

/** `2025-03-05T18:00:00+08:00`: a local date at a local time, as an ISO-8601 string with offset. */
export function atLocalTime(date: LocalDate, time: string, utcOffsetMinutes: number = CHINA_DEADLINE_CLOCK.utcOffsetMinutes): string {
  parseLocalDate(date);
  if (!/^\d{2}:\d{2}$/.test(time)) throw new RangeError(`not a HH:MM time: ${time}`);
  return `${date}T${time}:00${offsetText(utcOffsetMinutes)}`;
}

/** The last second of a local date (a measure due on that day is due until then), as an ISO-8601 string with offset. */
export function endOfLocalDay(date: LocalDate, utcOffsetMinutes: number = CHINA_DEADLINE_CLOCK.utcOffsetMinutes): string {
  parseLocalDate(date);
  return `${date}T23:59:59${offsetText(utcOffsetMinutes)}`;
}

export function instantMs(at: string): number {
  const ms = Date.parse(at.replace(/\[[^\]]*\]$/, ''));
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${at}`);
  return ms;
}

export interface Deadline {
  /** When the time is up: `dueTime` on the last working day. */
  dueDate: string;
  /** `reminderLeadWorkingDays` working days before, at `workdayStart`; null when not asked for. */
  reminderAt: string | null;
  /** `urgeAfterWorkingDays` working days after, at `workdayStart` (到期催办 "the day after"); null when not asked for. */
  urgeAt: string | null;
}

/**
 * A deadline `workingDays` working days after `now` (the day of `now` not counted), with the
 * reminder before it and the 催办 after it. What the `compute-deadline` job returns.
 */
export function workingDayDeadline(
  cal: WorkCalendar,
  now: string | Date,
  workingDays: number,
  options: { reminderLeadWorkingDays?: number; urgeAfterWorkingDays?: number; clock?: DeadlineClock } = {},
): Deadline {
  const clock = options.clock ?? CHINA_DEADLINE_CLOCK;
  const today = toLocalDate(now, clock.utcOffsetMinutes);
  const dueDay = addWorkingDays(cal, today, workingDays);
  return deadlineOn(cal, dueDay, options);
}

/** The same three dates for a deadline that falls on a given day (a measure's 完成时限). */
export function deadlineOn(
  cal: WorkCalendar,
  dueDay: LocalDate,
  options: { reminderLeadWorkingDays?: number; urgeAfterWorkingDays?: number; clock?: DeadlineClock } = {},
): Deadline {
  const clock = options.clock ?? CHINA_DEADLINE_CLOCK;
  const lead = options.reminderLeadWorkingDays;
  const after = options.urgeAfterWorkingDays;
  return {
    dueDate: atLocalTime(dueDay, clock.dueTime, clock.utcOffsetMinutes),
    reminderAt: lead === undefined ? null : atLocalTime(addWorkingDays(cal, dueDay, -lead), clock.workdayStart, clock.utcOffsetMinutes),
    urgeAt: after === undefined ? null : atLocalTime(addWorkingDays(cal, dueDay, after), clock.workdayStart, clock.utcOffsetMinutes),
  };
}
