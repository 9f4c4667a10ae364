import { describe, expect, it } from 'vitest';
import { nextOccurrence, type CalendarSettings } from '../../src/domain/loop/calendar.ts';
import { createWorkCalendar } from '../../src/domain/loop/working-days.ts';

const settings: CalendarSettings = {
  annualRoundDate: '02-10',
  halfYearRoundDate: '07-10',
  jointMeetingDates: ['01-20', '07-20'],
  bulletinDayOfMonth: 5,
  startTime: '09:00',
};
const calendar = createWorkCalendar();

describe('loop calendar', () => {
  it('starts the annual round of the previous year in February and the half-year round in July', () => {
    expect(nextOccurrence('round', '2026-01-05T01:00:00Z', settings, calendar)).toEqual({
      kind: 'round',
      at: '2026-02-10T09:00:00+08:00',
      businessId: '2025-Y',
      variables: { roundId: '2025-Y', roundKind: 'annual', year: 2025, periodStart: '2025-01-01', periodEnd: '2025-12-31' },
    });
    const july = nextOccurrence('round', '2026-02-10T01:00:00Z', settings, calendar);
    expect(july.businessId).toBe('2026-H1');
    expect(july.at).toBe('2026-07-10T09:00:00+08:00');
    expect(july.variables).toMatchObject({ periodStart: '2026-01-01', periodEnd: '2026-06-30' });
  });

  it('is strictly after now: at the very start time, the next occurrence is the following one', () => {
    expect(nextOccurrence('round', '2026-07-10T09:00:00+08:00', settings, calendar).businessId).toBe('2026-Y');
  });

  it('moves a date that is not a working day to the next working day', () => {
    // 2026-07-05 is a Sunday: the bulletin of June comes on Monday the 6th.
    const b = nextOccurrence('bulletin', '2026-06-20T00:00:00Z', settings, calendar);
    expect(b).toMatchObject({ at: '2026-07-06T09:00:00+08:00', businessId: '2026-06', variables: { periodStart: '2026-06-01', periodEnd: '2026-06-30' } });
    // 2026-02-05 falls before the Spring Festival holiday and is a working day; January's bulletin comes then.
    expect(nextOccurrence('bulletin', '2026-01-10T00:00:00Z', settings, calendar).businessId).toBe('2026-01');
  });

  it('reports on December in the January bulletin, and crosses into the next year', () => {
    const b = nextOccurrence('bulletin', '2026-12-20T00:00:00Z', settings, calendar);
    expect(b).toMatchObject({ businessId: '2026-12', variables: { periodStart: '2026-12-01', periodEnd: '2026-12-31' } });
    expect(b.at.startsWith('2027-01-')).toBe(true);
  });

  it('holds the joint meeting twice a year', () => {
    expect(nextOccurrence('meeting', '2026-03-01T00:00:00Z', settings, calendar)).toMatchObject({
      at: '2026-07-20T09:00:00+08:00',
      businessId: '2026-H2',
      variables: { meetingId: '2026-H2', meetingKind: 'scheduled' },
    });
  });
});
