import { describe, expect, it } from 'vitest';
import {
  dueLight,
  canRequestExtension,
  currentPeriod,
  escalationSchedule,
  isEscalationDue,
  returnCount,
  stageOf,
  trafficLight,
  type EscalationEvent,
  type EscalationRules,
  type ItemSnapshot,
} from '../../src/domain/loop/escalation.ts';
import { createWorkCalendar } from '../../src/domain/loop/working-days.ts';

const cal = createWorkCalendar();
const rules: EscalationRules = { reminderLeadWorkingDays: 3, urgeAfterWorkingDays: 1, yellowCardAfterUrgeWorkingDays: 5, redCardAfterYellowCardWorkingDays: 5 };
// Friday 14 March 2025, 18:00 in Tanghe.
const deadline = '2025-03-14T18:00:00+08:00';
const item = (history: EscalationEvent[] = [], extra: Partial<ItemSnapshot> = {}): ItemSnapshot => ({ deadline, history, ...extra });
const at = (s: string) => `${s}+08:00`;

describe('escalation schedule', () => {
  it('when nothing has happened yet, then the reminder is 3 working days before, the 催办 the working day after, and the cards 5 working days apart', () => {
    expect(escalationSchedule(item(), at('2025-03-01T09:00:00'), rules, cal)).toEqual({
      reminderAt: at('2025-03-11T09:00:00'),
      urgeAt: at('2025-03-17T09:00:00'),
      yellowCardAt: at('2025-03-24T09:00:00'),
      redCardAt: at('2025-03-31T09:00:00'),
    });
  });

  it('when the 催办 and the 黄牌 happened later than planned, then the next card counts from when they really happened', () => {
    const s = escalationSchedule(
      item([
        { kind: 'urge', at: at('2025-03-18T10:00:00') },
        { kind: 'yellow_card', at: at('2025-03-26T11:00:00') },
      ]),
      at('2025-03-26T12:00:00'),
      rules,
      cal,
    );
    expect(s.urgeAt).toBe(at('2025-03-18T10:00:00'));
    expect(s.yellowCardAt).toBe(at('2025-03-26T11:00:00'));
    expect(s.redCardAt).toBe(at('2025-04-02T09:00:00'));
  });

  it('when the result was returned after the 催办, then the unit gets the full interval after the return before the 黄牌', () => {
    const s = escalationSchedule(
      item([
        { kind: 'urge', at: at('2025-03-17T09:00:00') },
        { kind: 'returned', at: at('2025-03-20T10:00:00') },
      ]),
      at('2025-03-20T10:00:01'),
      rules,
      cal,
    );
    expect(s.yellowCardAt).toBe(at('2025-03-27T09:00:00'));
  });

  it('when a result submitted on time is returned after the deadline, then the 催办 is due at once and the 黄牌 counts from then', () => {
    const now = at('2025-03-19T10:00:00');
    const s = escalationSchedule(item([{ kind: 'returned', at: now }]), now, rules, cal);
    expect(s.urgeAt).toBe(now);
    expect(s.yellowCardAt).toBe(at('2025-03-26T09:00:00'));
  });

  it('when the deadline falls before a holiday, then the 催办 waits for the first working day after it', () => {
    const s = escalationSchedule({ deadline: at('2025-09-30T18:00:00'), history: [] }, at('2025-09-01T09:00:00'), rules, cal);
    expect(s.urgeAt).toBe(at('2025-10-09T09:00:00'));
    expect(s.reminderAt).toBe(at('2025-09-26T09:00:00'));
  });
});

describe('whether a ladder step is due', () => {
  it('when the reminder time has come and nothing was sent, then the reminder is due, and not before or twice', () => {
    expect(isEscalationDue('reminder', item(), at('2025-03-10T17:00:00'), rules, cal)).toBe(false);
    expect(isEscalationDue('reminder', item(), at('2025-03-11T09:00:00'), rules, cal)).toBe(true);
    expect(isEscalationDue('reminder', item([{ kind: 'reminder', at: at('2025-03-11T09:00:00') }]), at('2025-03-11T09:01:00'), rules, cal)).toBe(false);
  });

  it('when the result is already submitted, then no step is due, however late it is', () => {
    const submitted = item([], { submittedAt: at('2025-03-13T15:00:00') });
    for (const step of ['reminder', 'urge', 'yellow_card', 'red_card'] as const) {
      expect(isEscalationDue(step, submitted, at('2025-04-30T09:00:00'), rules, cal), step).toBe(false);
    }
  });

  it('when the deadline passed but the working day after has not begun, then the 催办 is not due yet, and then it is', () => {
    expect(isEscalationDue('urge', item(), at('2025-03-15T10:00:00'), rules, cal)).toBe(false);
    expect(isEscalationDue('urge', item(), at('2025-03-17T09:00:00'), rules, cal)).toBe(true);
  });

  it('when the item is still overdue 5 working days after the 催办, then the 黄牌 is due; without a 催办 it is not', () => {
    const urged = item([{ kind: 'urge', at: at('2025-03-17T09:00:00') }]);
    expect(isEscalationDue('yellow_card', urged, at('2025-03-21T17:00:00'), rules, cal)).toBe(false);
    expect(isEscalationDue('yellow_card', urged, at('2025-03-24T09:00:00'), rules, cal)).toBe(true);
    expect(isEscalationDue('yellow_card', item(), at('2025-03-24T09:00:00'), rules, cal)).toBe(false);
  });

  it('when a 黄牌 was issued 5 working days ago and the item is still overdue, then the 红牌 is due, once', () => {
    const yellow = [
      { kind: 'urge' as const, at: at('2025-03-17T09:00:00') },
      { kind: 'yellow_card' as const, at: at('2025-03-24T09:00:00') },
    ];
    expect(isEscalationDue('red_card', item(yellow), at('2025-03-31T09:00:00'), rules, cal)).toBe(true);
    expect(isEscalationDue('red_card', item([...yellow, { kind: 'red_card', at: at('2025-03-31T09:00:00') }]), at('2025-03-31T10:00:00'), rules, cal)).toBe(false);
  });

  it('when an extension was granted after a 催办, then reminders and 催办 start again for the new deadline', () => {
    const extended: ItemSnapshot = {
      deadline: at('2025-04-18T18:00:00'),
      history: [
        { kind: 'reminder', at: at('2025-03-11T09:00:00') },
        { kind: 'urge', at: at('2025-03-17T09:00:00') },
        { kind: 'extension_granted', at: at('2025-03-18T16:00:00') },
      ],
    };
    expect(currentPeriod(extended.history)).toEqual([]);
    expect(isEscalationDue('reminder', extended, at('2025-04-15T09:00:00'), rules, cal)).toBe(true);
    expect(isEscalationDue('yellow_card', extended, at('2025-04-15T09:00:00'), rules, cal)).toBe(false);
    expect(isEscalationDue('urge', extended, at('2025-04-21T09:00:00'), rules, cal)).toBe(true);
  });
});

describe('traffic light and stage', () => {
  it('when the deadline is far, near or past, then the light is green, yellow or red', () => {
    expect(trafficLight(item(), at('2025-03-10T12:00:00'), rules, cal)).toBe('green');
    expect(trafficLight(item(), at('2025-03-11T09:00:00'), rules, cal)).toBe('yellow');
    expect(trafficLight(item(), at('2025-03-14T18:00:01'), rules, cal)).toBe('red');
  });

  it('when an item that was red catches up with an extension, then it turns yellow, not green', () => {
    const caughtUp: ItemSnapshot = {
      deadline: at('2025-05-30T18:00:00'),
      history: [
        { kind: 'urge', at: at('2025-03-17T09:00:00') },
        { kind: 'extension_granted', at: at('2025-03-20T09:00:00') },
      ],
    };
    expect(trafficLight(caughtUp, at('2025-04-01T09:00:00'), rules, cal)).toBe('yellow');
  });

  it('when the result came on time, then the light stops at submission and does not turn red while the office reviews', () => {
    const submitted = item([], { submittedAt: at('2025-03-07T10:00:00') });
    expect(trafficLight(submitted, at('2025-03-20T10:00:00'), rules, cal)).toBe('green');
  });

  it('when sanctions were issued, then the stage is the highest one; a listing shows until it is removed', () => {
    const h: EscalationEvent[] = [
      { kind: 'urge', at: at('2025-03-17T09:00:00') },
      { kind: 'yellow_card', at: at('2025-03-24T09:00:00') },
    ];
    expect(stageOf(item(h), at('2025-03-25T09:00:00'), rules, cal)).toBe('yellow_card');
    h.push({ kind: 'red_card', at: at('2025-03-31T09:00:00') });
    expect(stageOf(item(h), at('2025-03-31T10:00:00'), rules, cal)).toBe('red_card');
    h.push({ kind: 'interview', at: at('2025-04-03T09:00:00') });
    expect(stageOf(item(h), at('2025-04-03T10:00:00'), rules, cal)).toBe('interview');
    h.push({ kind: 'listing', at: at('2025-05-06T09:00:00') });
    expect(stageOf(item(h), at('2025-05-06T10:00:00'), rules, cal)).toBe('listed');
    h.push({ kind: 'delisting', at: at('2025-08-01T09:00:00') });
    expect(stageOf(item(h), at('2025-08-01T10:00:00'), rules, cal)).toBe('red');
    expect(stageOf(item(h), at('2025-04-03T10:00:00'), rules, cal)).toBe('interview');
  });

  it('when the item is closed, then its stage is closed', () => {
    expect(stageOf(item([], { closedAt: at('2025-03-12T10:00:00') }), at('2025-04-01T10:00:00'), rules, cal)).toBe('closed');
  });
});

describe('extension requests and returns', () => {
  it('when an extension is requested before the deadline, then it is allowed; after the deadline or after submission it is not', () => {
    expect(canRequestExtension(item(), at('2025-03-14T17:59:00'))).toBe(true);
    expect(canRequestExtension(item(), at('2025-03-14T18:00:01'))).toBe(false);
    expect(canRequestExtension(item([], { submittedAt: at('2025-03-10T10:00:00') }), at('2025-03-11T10:00:00'))).toBe(false);
  });

  it('when a result was returned twice, then the return count is 2', () => {
    expect(
      returnCount([
        { kind: 'returned', at: at('2025-03-10T10:00:00') },
        { kind: 'urge', at: at('2025-03-17T09:00:00') },
        { kind: 'returned', at: at('2025-03-20T10:00:00') },
      ]),
    ).toBe(2);
  });
});

describe('the light of a due date', () => {
  const now = new Date('2026-11-25T02:00:00Z');
  const at = (hours: number) => new Date(now.getTime() + hours * 3_600_000);

  it('when there is no due date, then there is no light; overdue is red, three days or less yellow, later green', () => {
    expect(dueLight(null, now)).toBeNull();
    expect(dueLight(at(-1 / 60), now)).toBe('red');
    expect(dueLight(at(0), now)).toBe('yellow');
    expect(dueLight(at(72), now)).toBe('yellow');
    expect(dueLight(at(72.01), now)).toBe('green');
  });
});
