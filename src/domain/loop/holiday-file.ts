import { z } from 'zod';
import { addCalendarDays, type CalendarOverrides } from './working-days.ts';

/**
 * The county's own holiday file (`HOLIDAYS_FILE`): public holidays and make-up workdays (调休上班)
 * for years the shipped calendar does not know yet, or corrections of it. The IT office copies the
 * State Council's announcement into it once a year:
 *
 *     holidays:
 *       - 2031-01-01
 *       - 2031-01-27..2031-02-02   # a range, first and last day included
 *     workdays:
 *       - 2031-01-26
 *
 * A listed day wins over the shipped calendar: a holiday here is a day off even where the package
 * says workday, and the other way round. Parsing is pure; reading the file is configuration's.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const RANGE = /^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$/;
/** Longer than any holiday period: a range beyond it is a typo (a wrong month or year). */
const MAX_RANGE_DAYS = 31;

const isCalendarDate = (v: string) => {
  const m = DATE.exec(v);
  return !!m && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === v;
};

/** One list entry: a date or a range of dates, expanded to its days. */
const entry = z
  .string({ error: (issue) => `must be a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD, not ${JSON.stringify(issue.input) ?? String(issue.input)}` })
  .transform((raw, ctx): string[] => {
    const value = raw.trim();
    const range = RANGE.exec(value);
    if (!range && !DATE.test(value)) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD` });
      return z.NEVER;
    }
    const [first, last] = range ? [range[1]!, range[2]!] : [value, value];
    for (const date of new Set([first, last])) {
      if (!isCalendarDate(date)) {
        ctx.addIssue({ code: 'custom', message: `"${date}" is not a calendar date` });
        return z.NEVER;
      }
    }
    if (last < first) {
      ctx.addIssue({ code: 'custom', message: `the range "${value}" ends before it starts` });
      return z.NEVER;
    }
    const days = [first];
    while (days.at(-1)! < last) days.push(addCalendarDays(days.at(-1)!, 1));
    if (days.length > MAX_RANGE_DAYS) {
      ctx.addIssue({ code: 'custom', message: `the range "${value}" spans ${days.length} days, more than a holiday period (${MAX_RANGE_DAYS})` });
      return z.NEVER;
    }
    return days;
  });

const dateList = (name: 'holidays' | 'workdays') =>
  z.array(entry, { error: (issue) => (issue.input === null ? `is empty: list dates under "${name}:" or remove it` : 'must be a list of dates') }).optional();

export const holidayFileSchema = z
  .strictObject(
    { holidays: dateList('holidays'), workdays: dateList('workdays') },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown ${issue.keys.length > 1 ? 'keys' : 'key'} ${issue.keys.map((k) => `"${k}"`).join(', ')}: the file has only "holidays" and "workdays"`
          : 'must be a mapping with the lists "holidays" and "workdays"',
    },
  )
  .transform((file, ctx): Required<CalendarOverrides> => {
    const holidays = (file.holidays ?? []).flat();
    const workdays = (file.workdays ?? []).flat();
    const off = new Set(holidays);
    for (const date of new Set(workdays.filter((d) => off.has(d)))) {
      ctx.addIssue({ code: 'custom', path: [], message: `${date} is listed both as a holiday and as a workday` });
    }
    return { extraHolidays: [...new Set(holidays)].sort(), extraWorkdays: [...new Set(workdays)].sort() };
  });

/** The file's overrides, or every problem as "where: what" (e.g. `holidays[2]: "2031-02-30" is not a calendar date`). */
export function parseHolidayFile(value: unknown): { ok: true; overrides: Required<CalendarOverrides> } | { ok: false; problems: string[] } {
  const parsed = holidayFileSchema.safeParse(value);
  if (parsed.success) return { ok: true, overrides: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => {
      const where = i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : `${n ? '.' : ''}${String(p)}`)).join('');
      return where ? `${where}: ${i.message}` : i.message;
    }),
  };
}
