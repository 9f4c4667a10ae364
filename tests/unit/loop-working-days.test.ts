import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addWorkingDays,
  atLocalTime,
  countWorkingDays,
  createWorkCalendar,
  deadlineOn,
  toLocalDate,
  workingDayDeadline,
} from '../../src/domain/loop/working-days.ts';

const cal = createWorkCalendar();

describe('working days with Chinese holidays and make-up workdays', () => {
  it('when a weekday is ordinary, then it is a working day, and a plain weekend is not', () => {
    expect(cal.isWorkingDay('2025-03-07')).toBe(true);
    expect(cal.isWorkingDay('2025-03-08')).toBe(false);
    expect(cal.isWorkingDay('2025-03-09')).toBe(false);
  });

  it('when a day is in the National Day holiday, then it is off, and the make-up Sunday and Saturday around it are working days', () => {
    for (const d of ['2025-10-01', '2025-10-03', '2025-10-06', '2025-10-08']) expect(cal.isWorkingDay(d), d).toBe(false);
    expect(cal.isWorkingDay('2025-09-28')).toBe(true);
    expect(cal.isWorkingDay('2025-10-11')).toBe(true);
  });

  it('when one working day is added on the Friday before a make-up Sunday, then the result is that Sunday', () => {
    expect(addWorkingDays(cal, '2025-09-26', 1)).toBe('2025-09-28');
  });

  it('when working days are added across the National Day holiday, then the holiday is skipped and the make-up Saturday counts', () => {
    expect(addWorkingDays(cal, '2025-09-30', 1)).toBe('2025-10-09');
    expect(addWorkingDays(cal, '2025-09-30', 3)).toBe('2025-10-11');
    expect(countWorkingDays(cal, '2025-09-30', '2025-10-11')).toBe(3);
  });

  it('when 15 working days are added after the Spring Festival, then the make-up Saturday counts and weekends do not', () => {
    expect(addWorkingDays(cal, '2025-01-27', 1)).toBe('2025-02-05');
    expect(addWorkingDays(cal, '2025-02-05', 15)).toBe('2025-02-25');
  });

  it('when working days are subtracted, then the count goes backwards over the holiday', () => {
    expect(addWorkingDays(cal, '2025-10-09', -1)).toBe('2025-09-30');
    expect(countWorkingDays(cal, '2025-10-11', '2025-09-30')).toBe(-3);
  });

  it('when zero working days are added on a holiday, then the next working day is returned', () => {
    expect(addWorkingDays(cal, '2025-10-04', 0)).toBe('2025-10-09');
    expect(addWorkingDays(cal, '2025-10-09', 0)).toBe('2025-10-09');
  });

  it('when the county adds a holiday or a make-up day by configuration, then the calendar follows it', () => {
    const custom = createWorkCalendar({ extraHolidays: ['2025-03-10'], extraWorkdays: ['2025-03-08'] });
    expect(custom.isWorkingDay('2025-03-10')).toBe(false);
    expect(custom.isWorkingDay('2025-03-08')).toBe(true);
    expect(addWorkingDays(custom, '2025-03-07', 2)).toBe('2025-03-11');
  });

  it('when a year is beyond the published data, then only weekends are days off and the covered range says so', () => {
    expect(cal.coveredYears.first).toBeLessThanOrEqual(2022);
    expect(cal.coveredYears.last).toBeGreaterThanOrEqual(2026);
    expect(cal.isWorkingDay('2030-01-07')).toBe(true);
    expect(cal.isWorkingDay('2030-01-06')).toBe(false);
  });

  it('when an impossible date is given, then it is refused', () => {
    expect(() => cal.isWorkingDay('2025-02-30')).toThrow(RangeError);
    expect(() => addWorkingDays(cal, '2025-13-01', 1)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, '2025-03-01', 1.5)).toThrow(RangeError);
  });

  it('when an instant is late in the UTC evening, then its China date is the next day', () => {
    expect(toLocalDate('2025-09-30T20:00:00Z')).toBe('2025-10-01');
    expect(toLocalDate('2025-10-01T01:00:00+08:00[Asia/Shanghai]')).toBe('2025-10-01');
    expect(atLocalTime('2025-10-09', '18:00')).toBe('2025-10-09T18:00:00+08:00');
  });

  it('when a notice is issued with 15 working days to answer, then the due date, the reminder 3 working days before and the 催办 the working day after are on working days', () => {
    const d = workingDayDeadline(cal, '2025-09-26T10:00:00+08:00', 15, { reminderLeadWorkingDays: 3, urgeAfterWorkingDays: 1 });
    expect(d).toEqual({
      dueDate: '2025-10-23T18:00:00+08:00',
      reminderAt: '2025-10-20T09:00:00+08:00',
      urgeAt: '2025-10-24T09:00:00+08:00',
    });
  });

  it('when no reminder or 催办 is asked for, then only the due date is computed', () => {
    expect(deadlineOn(cal, '2025-10-09')).toEqual({ dueDate: '2025-10-09T18:00:00+08:00', reminderAt: null, urgeAt: null });
  });

  it('when any working-day count is added to any date, then counting back gives the same number and the result is a working day', () => {
    const days = fc.integer({ min: 0, max: 365 * 3 }).map((n) => addCalendarDays('2024-01-01', n));
    fc.assert(
      fc.property(days, fc.integer({ min: 1, max: 60 }), (from, n) => {
        const to = addWorkingDays(cal, from, n);
        return countWorkingDays(cal, from, to) === n && cal.isWorkingDay(to);
      }),
    );
  });

  it('when a working day is moved forward and back by the same count, then it returns to itself', () => {
    const days = fc.integer({ min: 0, max: 365 * 3 }).map((n) => addCalendarDays('2024-01-01', n));
    fc.assert(
      fc.property(days, fc.integer({ min: 0, max: 40 }), (from, n) => {
        fc.pre(cal.isWorkingDay(from));
        return addWorkingDays(cal, addWorkingDays(cal, from, n), -n) === from;
      }),
    );
  });
});
