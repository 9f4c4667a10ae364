import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { parseHolidayFile } from '../../src/domain/loop/holiday-file.ts';
import { addWorkingDays, countWorkingDays, createWorkCalendar, workingDayDeadline } from '../../src/domain/loop/working-days.ts';

/** Issue 19 point 13: holidays and make-up workdays from configuration, for years the package does not know. */
describe('the county\'s holiday file', () => {
  let dir: string;
  const file = async (name: string, text: string) => {
    const p = path.join(dir, name);
    await writeFile(p, text);
    return p;
  };
  /** The reasons the configuration gives for HOLIDAYS_FILE, one per line. */
  const refusal = (p: string): string[] => {
    try {
      loadConfig({ HOLIDAYS_FILE: p });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return [...(error as Error).message.matchAll(/^ {2}HOLIDAYS_FILE: (.*)$/gm)].map((m) => m[1]!);
    }
    return [];
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'risk-loop-holidays-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('when the shipped calendar is asked about 2031, then it does not know the year: only weekends are days off', () => {
    const shipped = createWorkCalendar();
    expect(shipped.coveredYears.last).toBeLessThan(2031);
    // 2031-10-01 is a Wednesday: a working day to a calendar without that year's 国庆节.
    expect(shipped.isWorkingDay('2031-10-01')).toBe(true);
    expect(shipped.isWorkingDay('2031-10-11')).toBe(false);
  });

  it('when the file lists 2031\'s 国庆节 and its make-up Sunday and Saturday, then a 15-working-day deadline counts them', async () => {
    const config = loadConfig({
      HOLIDAYS_FILE: await file('2031.yaml', 'holidays:\n  - 2031-10-01..2031-10-07  # 国庆节\nworkdays:\n  - 2031-09-28\n  - 2031-10-11\n'),
    });
    expect(config.HOLIDAYS_FILE).toEqual({
      file: path.join(dir, '2031.yaml'),
      extraHolidays: ['2031-10-01', '2031-10-02', '2031-10-03', '2031-10-04', '2031-10-05', '2031-10-06', '2031-10-07'],
      extraWorkdays: ['2031-09-28', '2031-10-11'],
    });
    const cal = createWorkCalendar(config.HOLIDAYS_FILE);
    // Issued Friday 2031-09-26: Sun 28, Mon 29, Tue 30 (3), the holiday week skipped, 8–11 (7), 13–17 (12), 20–22 (15).
    expect(workingDayDeadline(cal, '2031-09-26T10:00:00+08:00', 15, { reminderLeadWorkingDays: 3, urgeAfterWorkingDays: 1 })).toEqual({
      dueDate: '2031-10-22T18:00:00+08:00',
      reminderAt: '2031-10-17T09:00:00+08:00',
      urgeAt: '2031-10-23T09:00:00+08:00',
    });
    // Without the file the same notice would be due five days earlier.
    expect(workingDayDeadline(createWorkCalendar(), '2031-09-26T10:00:00+08:00', 15).dueDate).toBe('2031-10-17T18:00:00+08:00');
    expect(addWorkingDays(cal, '2031-09-30', 1)).toBe('2031-10-08');
    expect(countWorkingDays(cal, '2031-09-26', '2031-10-12')).toBe(7);
  });

  it('when the file names a day the shipped calendar knows, then the file wins, both ways', async () => {
    const shipped = createWorkCalendar();
    // 2026-10-10 is a make-up Saturday and 2026-10-01 a holiday in the shipped calendar.
    expect([shipped.isWorkingDay('2026-10-10'), shipped.isWorkingDay('2026-10-01')]).toEqual([true, false]);
    const config = loadConfig({ HOLIDAYS_FILE: await file('fix.json', JSON.stringify({ holidays: ['2026-10-10'], workdays: ['2026-10-01'] })) });
    const cal = createWorkCalendar(config.HOLIDAYS_FILE);
    expect([cal.isWorkingDay('2026-10-10'), cal.isWorkingDay('2026-10-01')]).toEqual([false, true]);
  });

  it('when the example in docs/ is loaded, then it is a valid holiday file', () => {
    const config = loadConfig({ HOLIDAYS_FILE: 'docs/holidays.example.yaml' });
    expect(config.HOLIDAYS_FILE?.extraHolidays).toHaveLength(1 + 7 + 7);
    expect(config.HOLIDAYS_FILE?.extraWorkdays).toEqual(['2031-01-19', '2031-09-28', '2031-10-11']);
  });

  it('when an entry is wrong, then the start is refused naming the file, the entry and the date', async () => {
    const p = await file(
      'wrong.yaml',
      ['holidays:', '  - 2031-02-30', '  - 20310101', '  - 2031-1-1', '  - 2031-02-05..2031-02-01', '  - 2031-01-01..2031-03-01', 'workdays:', '  - 2031-10-11', 'names: []', ''].join('\n'),
    );
    expect(refusal(p)).toEqual([
      `${p}: holidays[0]: "2031-02-30" is not a calendar date`,
      `${p}: holidays[1]: must be a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD, not 20310101`,
      `${p}: holidays[2]: "2031-1-1" is not a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD`,
      `${p}: holidays[3]: the range "2031-02-05..2031-02-01" ends before it starts`,
      `${p}: holidays[4]: the range "2031-01-01..2031-03-01" spans 60 days, more than a holiday period (31)`,
      `${p}: unknown key "names": the file has only "holidays" and "workdays"`,
    ]);
  });

  it('when a day is both a holiday and a workday, then the start is refused naming that day', async () => {
    const p = await file('both.yaml', 'holidays:\n  - 2031-10-01..2031-10-07\nworkdays:\n  - 2031-10-05\n  - 2031-10-11\n');
    expect(refusal(p)).toEqual([`${p}: 2031-10-05 is listed both as a holiday and as a workday`]);
  });

  it('when the file is missing, empty, not YAML or not the two lists, then the start is refused saying so', async () => {
    expect(refusal(path.join(dir, 'missing.yaml'))).toEqual(['cannot be read (ENOENT)']);
    const empty = await file('empty.yaml', '');
    expect(refusal(empty)).toEqual([`${empty}: must be a mapping with the lists "holidays" and "workdays"`]);
    expect(refusal(await file('broken.yaml', 'holidays: [2031-01-01\n'))[0]).toMatch(/^is not YAML or JSON: /);
    const scalar = await file('scalar.yaml', 'holidays: 2031-01-01\nworkdays:\n');
    expect(refusal(scalar)).toEqual([`${scalar}: holidays: must be a list of dates`, `${scalar}: workdays: is empty: list dates under "workdays:" or remove it`]);
  });

  it('when the parsed file is checked directly, then ranges expand to their days, sorted and without repeats', () => {
    expect(parseHolidayFile({ holidays: ['2031-01-28', '2031-01-26..2031-01-28'], workdays: [] })).toEqual({
      ok: true,
      overrides: { extraHolidays: ['2031-01-26', '2031-01-27', '2031-01-28'], extraWorkdays: [] },
    });
    expect(parseHolidayFile({})).toEqual({ ok: true, overrides: { extraHolidays: [], extraWorkdays: [] } });
  });
});
