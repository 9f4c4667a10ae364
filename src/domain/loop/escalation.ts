import {
  addWorkingDays,
  atLocalTime,
  CHINA_DEADLINE_CLOCK,
  instantMs,
  toLocalDate,
  type DeadlineClock,
  type WorkCalendar,
} from './working-days.ts';

/**
 * Where a supervision item stands on the escalation ladder (DOMAIN.md §4.6), from its dates and
 * its escalation history:
 *
 *   绿 green (on track) → 黄 yellow (临近提醒, ≤ N working days to the deadline)
 *   → 红 red (overdue; 到期催办 the working day after) → 黄牌 (still overdue N working days after
 *   the 催办) → 红牌 (still overdue N working days after the 黄牌) → 约谈 → 挂牌督办.
 *
 * An item that catches up after being red turns yellow, never green again. A return of the
 * result (退回重新办理) stops nothing: the ladder continues from the real history, and the unit
 * gets the full interval after the return before the next card. A granted extension starts a
 * new period for reminders, 催办 and cards (the earlier events stay on record for scoring).
 *
 * The `compute-escalation-dates` job arms the diagram's timers with `escalationSchedule`; the
 * jobs behind the timers ask `isEscalationDue` before acting, so a timer that fires again after a
 * return or an extension changes nothing.
 */

export type EscalationKind =
  | 'reminder'
  | 'urge'
  | 'yellow_card'
  | 'red_card'
  | 'interview'
  | 'listing'
  | 'delisting'
  | 'extension_granted'
  | 'extension_refused'
  | 'returned';

export interface EscalationEvent {
  kind: EscalationKind;
  /** ISO-8601 instant. */
  at: string;
}

export type Light = 'green' | 'yellow' | 'red';
export type Stage = Light | 'yellow_card' | 'red_card' | 'interview' | 'listed' | 'closed';

const DAY_MS = 86_400_000;

/**
 * The light of anything with a due date, as the inbox, the monitor and the cockpit show it
 * (督查督办 practice, DOMAIN.md §4.6): red once overdue, yellow with three days or less left,
 * green before; none without a due date. (An item's own light, with its working-day reminder
 * window and history, is `trafficLight`.) Keep the inbox's SQL filter (src/services/inbox.ts) in step.
 */
export function dueLight(due: Date | null, now: Date): Light | null {
  if (!due) return null;
  const left = due.getTime() - now.getTime();
  return left < 0 ? 'red' : left <= 3 * DAY_MS ? 'yellow' : 'green';
}

/** Chinese names of the stages, as the ledgers and bulletins show them. */
export const stageLabels: Readonly<Record<Stage, string>> = {
  green: '绿灯',
  yellow: '黄灯',
  red: '红灯',
  yellow_card: '黄牌',
  red_card: '红牌',
  interview: '约谈',
  listed: '挂牌督办',
  closed: '已办结',
};

export interface ItemSnapshot {
  /** The current deadline (after granted extensions), ISO instant. */
  deadline: string;
  /** A result submitted and awaiting the office review (cleared when returned): the clock stops. */
  submittedAt?: string | null;
  closedAt?: string | null;
  history: readonly EscalationEvent[];
}

export interface EscalationRules {
  reminderLeadWorkingDays: number;
  urgeAfterWorkingDays: number;
  yellowCardAfterUrgeWorkingDays: number;
  redCardAfterYellowCardWorkingDays: number;
}

export type LadderStep = 'reminder' | 'urge' | 'yellow_card' | 'red_card';

export interface EscalationSchedule {
  reminderAt: string;
  urgeAt: string;
  yellowCardAt: string;
  redCardAt: string;
}

function sorted(history: readonly EscalationEvent[]): EscalationEvent[] {
  return [...history].sort((a, b) => instantMs(a.at) - instantMs(b.at));
}

/** Events since the last granted extension: the ones that belong to the current deadline. */
export function currentPeriod(history: readonly EscalationEvent[]): EscalationEvent[] {
  const events = sorted(history);
  let start = 0;
  events.forEach((e, i) => {
    if (e.kind === 'extension_granted') start = i + 1;
  });
  return events.slice(start);
}

function last(events: readonly EscalationEvent[], kind: EscalationKind): EscalationEvent | undefined {
  return events.filter((e) => e.kind === kind).at(-1);
}

function later(a: string, b: string | undefined): string {
  return b !== undefined && instantMs(b) > instantMs(a) ? b : a;
}

function workingDaysAfter(cal: WorkCalendar, at: string, n: number, clock: DeadlineClock): string {
  return atLocalTime(addWorkingDays(cal, toLocalDate(at, clock.utcOffsetMinutes), n), clock.workdayStart, clock.utcOffsetMinutes);
}

/**
 * The dates the ladder's timers fire at. Steps already taken keep their real time (a timer at a
 * past date fires at once and its job finds nothing to do); a step not yet taken is never earlier
 * than `now`, and each card counts its interval from the step before it, or from the last return
 * of the result when that came later.
 */
export function escalationSchedule(
  item: Pick<ItemSnapshot, 'deadline' | 'history'>,
  now: string,
  rules: EscalationRules,
  cal: WorkCalendar,
  clock: DeadlineClock = CHINA_DEADLINE_CLOCK,
): EscalationSchedule {
  const period = currentPeriod(item.history);
  const dueDay = toLocalDate(item.deadline, clock.utcOffsetMinutes);
  const reminderAt = atLocalTime(addWorkingDays(cal, dueDay, -rules.reminderLeadWorkingDays), clock.workdayStart, clock.utcOffsetMinutes);
  const plannedUrge = atLocalTime(addWorkingDays(cal, dueDay, rules.urgeAfterWorkingDays), clock.workdayStart, clock.utcOffsetMinutes);
  const returnedAt = last(period, 'returned')?.at;

  const urge = last(period, 'urge')?.at;
  const urgeAt = urge ?? later(plannedUrge, now);
  const yellow = last(period, 'yellow_card')?.at;
  const yellowCardAt = yellow ?? later(workingDaysAfter(cal, later(urgeAt, returnedAt), rules.yellowCardAfterUrgeWorkingDays, clock), now);
  const red = last(period, 'red_card')?.at;
  const redCardAt = red ?? later(workingDaysAfter(cal, later(yellowCardAt, returnedAt), rules.redCardAfterYellowCardWorkingDays, clock), now);
  return { reminderAt, urgeAt, yellowCardAt, redCardAt };
}

function isOpen(item: ItemSnapshot): boolean {
  return !item.closedAt && !item.submittedAt;
}

/**
 * Whether the job behind a ladder timer should act now: the item is open (not closed, no result
 * awaiting review), the step's time has come, the step before it was taken, and the step was not
 * taken yet for the current deadline.
 */
export function isEscalationDue(
  step: LadderStep,
  item: ItemSnapshot,
  now: string,
  rules: EscalationRules,
  cal: WorkCalendar,
  clock: DeadlineClock = CHINA_DEADLINE_CLOCK,
): boolean {
  if (!isOpen(item)) return false;
  const period = currentPeriod(item.history);
  if (period.some((e) => e.kind === step)) return false;
  const t = instantMs(now);
  const overdue = t > instantMs(item.deadline);
  const schedule = escalationSchedule(item, now, rules, cal, clock);
  switch (step) {
    case 'reminder':
      return !overdue && t >= instantMs(schedule.reminderAt);
    case 'urge':
      return overdue && t >= instantMs(schedule.urgeAt);
    case 'yellow_card':
      return overdue && period.some((e) => e.kind === 'urge') && t >= instantMs(schedule.yellowCardAt);
    case 'red_card':
      return overdue && period.some((e) => e.kind === 'yellow_card') && t >= instantMs(schedule.redCardAt);
  }
}

/**
 * 绿/黄/红 of an item at `now`. The clock stops at submission or closure. Red when overdue;
 * yellow inside the reminder window, or when the item was ever red (催办 or a card) and has
 * caught up since; green otherwise.
 */
export function trafficLight(
  item: ItemSnapshot,
  now: string,
  rules: Pick<EscalationRules, 'reminderLeadWorkingDays'>,
  cal: WorkCalendar,
  clock: DeadlineClock = CHINA_DEADLINE_CLOCK,
): Light {
  const stop = item.submittedAt ?? item.closedAt;
  const at = stop && instantMs(stop) < instantMs(now) ? stop : now;
  const t = instantMs(at);
  if (t > instantMs(item.deadline)) return 'red';
  const everRed = item.history.some((e) => (e.kind === 'urge' || e.kind === 'yellow_card' || e.kind === 'red_card') && instantMs(e.at) <= t);
  if (everRed) return 'yellow';
  const dueDay = toLocalDate(item.deadline, clock.utcOffsetMinutes);
  const reminderAt = atLocalTime(addWorkingDays(cal, dueDay, -rules.reminderLeadWorkingDays), clock.workdayStart, clock.utcOffsetMinutes);
  return t >= instantMs(reminderAt) ? 'yellow' : 'green';
}

/**
 * The stage an item shows: closed; else an active listing (挂牌 not yet 摘牌); else the highest
 * sanction since the last delisting (约谈 > 红牌 > 黄牌); else its traffic light.
 */
export function stageOf(
  item: ItemSnapshot,
  now: string,
  rules: Pick<EscalationRules, 'reminderLeadWorkingDays'>,
  cal: WorkCalendar,
  clock: DeadlineClock = CHINA_DEADLINE_CLOCK,
): Stage {
  if (item.closedAt && instantMs(item.closedAt) <= instantMs(now)) return 'closed';
  const events = sorted(item.history).filter((e) => instantMs(e.at) <= instantMs(now));
  let sinceDelisting = events;
  const delisted = events.map((e) => e.kind).lastIndexOf('delisting');
  if (delisted >= 0) sinceDelisting = events.slice(delisted + 1);
  const has = (kind: EscalationKind) => sinceDelisting.some((e) => e.kind === kind);
  if (has('listing')) return 'listed';
  if (has('interview')) return 'interview';
  if (has('red_card')) return 'red_card';
  if (has('yellow_card')) return 'yellow_card';
  return trafficLight(item, now, rules, cal, clock);
}

/** 延期 must be requested before the deadline, while the item is open (DOMAIN.md §4.2). */
export function canRequestExtension(item: ItemSnapshot, now: string): boolean {
  return isOpen(item) && instantMs(now) < instantMs(item.deadline);
}

/** How many times the result was returned (退办), for the ledger and for scoring. */
export function returnCount(history: readonly EscalationEvent[]): number {
  return history.filter((e) => e.kind === 'returned').length;
}
