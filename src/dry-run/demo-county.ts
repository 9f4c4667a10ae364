import { nextOccurrence } from '../domain/loop/calendar.ts';
import { escalationSchedule } from '../domain/loop/escalation.ts';
import { addWorkingDays, atLocalTime, endOfLocalDay, toLocalDate, type LocalDate } from '../domain/loop/working-days.ts';
import { calendarSettings } from '../services/loop/calendar.ts';
import type { Config } from '../config/schema.ts';
import type { WorkCalendar } from '../domain/loop/working-days.ts';
import { waitForOpenTask } from '../services/inbox.ts';
import { waitFor } from '../shared/wait-for.ts';
import { FEATURED_UNITS } from './county-year.ts';
import { createLoopScript, LADDER_STEPS, WAIT_MS, type LoopScriptContext, type Notice, type TimelineEntry } from './loop-script.ts';

/**
 * The live demo (issue 21 point 6): the county as a visitor should find it on the first start, made
 * by the real processes on a throw-away engine whose clock the script moves from January up to
 * today. This year's February round is approved and its 风险提示函 sent; last year's evaluation is
 * confirmed and its annual report published; most units answered and finished their items, one
 * unit's opinion waits for the office's review, one unit has not answered (提醒 and 催办 sent); of
 * the open items one is green (due in weeks), one yellow (due in days, reminded), one red with its
 * 黄牌, and one past its 红牌 with the 约谈 it orders arranged (约谈通知书 sent, the 约谈 three working days ahead). Nothing is written behind the engine's back: every
 * record, document, mail and timer is the one the loop would have made, and the timers still
 * pending run on after the start.
 */

/** Units the demo users belong to, in the parts they play; any unit with a notice stands in for a missing one. */
const PARTS = { unanswered: [FEATURED_UNITS.late], awaitingReview: [FEATURED_UNITS.returned], green: [FEATURED_UNITS.onTime], dueSoon: ['gaj', 'zjj'], yellowCard: [], interview: [] } as const;

export interface DemoCounty {
  /** The year whose February round the demo runs (this year, or last year early in the year). */
  year: number;
  roundId: string;
  notices: { closed: string[]; awaitingReview: string; unanswered: string };
  items: { closed: string[]; green: string; dueSoon: string; yellowCard: string; interview: string };
  /** The unit playing each part (the demo users' units where they have a notice). */
  units: Record<keyof typeof PARTS, string>;
  timeline: TimelineEntry[];
}

/** Days a February round must lie behind today for its items to have gone green, yellow and red. */
const MIN_DAYS_AFTER_ROUND = 100;
const DAY_MS = 86_400_000;

/** The year whose February round the demo shows: this year's once it lies far enough back, else last year's. */
export function demoYear(now: string, config: Config, calendar: WorkCalendar): number {
  const year = Number(toLocalDate(now).slice(0, 4));
  const february = nextOccurrence('round', `${year}-01-01T00:00:00+08:00`, calendarSettings(config), calendar);
  return Date.parse(february.at) + MIN_DAYS_AFTER_ROUND * DAY_MS <= Date.parse(now) ? year : year - 1;
}


export async function runDemoCounty(ctx: LoopScriptContext, now: string): Promise<DemoCounty> {
  const { services, config } = ctx;
  const calendar = services.workCalendar;
  const year = demoYear(now, config, calendar);
  const script = await createLoopScript(ctx, `${year}-01-01T00:00:00+08:00`);
  const { settings, query, act, sign, answer, opinionOf, unit, nameOf } = script;
  const today = toLocalDate(now);

  // February: the annual round over last year, approved; last year's evaluation follows it (第十六条).
  const february = script.next('round');
  const notices = await script.round(february);
  await script.evaluation(year - 1);

  const left = [...notices];
  const take = (preferred: readonly string[]): Notice => {
    const at = Math.max(0, left.findIndex((n) => preferred.includes(n.department_id)));
    const [notice] = left.splice(at, 1);
    if (!notice) throw new Error(`${february.businessId} sent ${notices.length} notices; the demo needs at least 6`);
    return notice;
  };
  const unanswered = take(PARTS.unanswered);
  const awaitingReview = take(PARTS.awaitingReview);
  const green = take(PARTS.green);
  const dueSoon = take(PARTS.dueSoon);
  const yellowCard = take(PARTS.yellowCard);
  const interview = take(PARTS.interview);

  // Deadlines that put today on the ladder where each item should stand.
  // An item is due at the end of its measure's day (supervision.ts): the ladder as the item will have it.
  const ladderOf = (deadline: LocalDate) => escalationSchedule({ deadline: endOfLocalDay(deadline), history: [] }, endOfLocalDay(deadline), settings, calendar);
  const deadlineWhere = (holds: (s: ReturnType<typeof ladderOf>) => boolean) => {
    for (let back = 1; back < 120; back += 1) {
      const deadline = addWorkingDays(calendar, today, -back);
      if (holds(ladderOf(deadline))) return deadline;
    }
    throw new Error(`no deadline puts ${today} where the demo needs it on the ladder`);
  };
  const nowMs = Date.parse(now);
  const yellowCardDeadline = deadlineWhere((s) => Date.parse(s.yellowCardAt) + 60_000 <= nowMs && Date.parse(s.redCardAt) > nowMs + DAY_MS);
  const interviewDeadline = deadlineWhere((s) => Date.parse(s.redCardAt) + DAY_MS <= nowMs);
  const dueSoonDeadline = addWorkingDays(calendar, today, 1);
  const greenDeadline = toLocalDate(new Date(nowMs + 75 * DAY_MS));

  const closedItems: string[] = [];
  await script.answerAllOnTime(left, greenDeadline, []);
  for (const notice of left) closedItems.push(...(await script.itemsOfOpinion(notice.id, 1)).map((i) => i.id));
  const itemOf = async (notice: Notice, deadline: LocalDate) => {
    const [item] = await answer(notice, deadline, false);
    await sign(item!.id, item!.lead);
    return item!;
  };
  const greenItem = await itemOf(green, greenDeadline);
  const dueSoonItem = await itemOf(dueSoon, dueSoonDeadline);
  const yellowCardItem = await itemOf(yellowCard, yellowCardDeadline);
  const interviewItem = await itemOf(interview, interviewDeadline);
  await act(unit(awaitingReview.department_id), await script.instanceOf('risk_notice', awaitingReview.id), 'submitOpinion', opinionOf(awaitingReview, greenDeadline), `就 ${awaitingReview.number} 提交工作意见（待平安办审核）`);

  // The unanswered notice passes its deadline: the reminder before it, the 催办 after it.
  const [late] = await query<{ due_date: Date }>(`SELECT due_date FROM risk_notice WHERE id = $1`, [unanswered.id]);
  await script.moveClock(atLocalTime(addWorkingDays(calendar, toLocalDate(late!.due_date), settings.urgeAfterWorkingDays), '10:00'), `${unanswered.number} 反馈期限已过`);
  await waitFor(async () => (await query(`SELECT 1 FROM escalation_event WHERE notice_id = $1 AND kind = 'urge'`, [unanswered.id])).length > 0, 'the 催办 of the unanswered notice', WAIT_MS);
  script.log(`系统：${nameOf(unanswered.department_id)}逾期未反馈，发出提醒与催办通知书`);

  // Up to today, each open item's ladder step on its own day, in the order they fall.
  const steps = Object.keys(LADDER_STEPS) as (keyof typeof LADDER_STEPS)[];
  const stepTime = { reminder: 'reminderAt', urge: 'urgeAt', yellow_card: 'yellowCardAt', red_card: 'redCardAt' } as const;
  const ladder = [
    { id: dueSoonItem.id, deadline: dueSoonDeadline, lead: dueSoonItem.lead },
    { id: yellowCardItem.id, deadline: yellowCardDeadline, lead: yellowCardItem.lead },
    { id: interviewItem.id, deadline: interviewDeadline, lead: interviewItem.lead },
  ];
  for (;;) {
    let due: { at: string; itemId: string; lead: string; kind: (typeof steps)[number] } | undefined;
    for (const item of ladder) {
      const taken = new Set((await query<{ kind: string }>(`SELECT kind FROM escalation_event WHERE item_id = $1`, [item.id])).map((e) => e.kind));
      const kind = steps.find((k) => !taken.has(k));
      if (!kind) continue;
      const dates = await services.itemFlow.escalationDates({ now: script.now(), settings, itemId: item.id, itemDeadline: endOfLocalDay(item.deadline) });
      const at = new Date(Date.parse(dates[stepTime[kind]]) + 60_000).toISOString();
      if (!due || at < due.at) due = { at, itemId: item.id, lead: item.lead, kind };
    }
    if (!due || Date.parse(due.at) > nowMs) break;
    const { itemId, kind } = due;
    await script.moveClock(due.at, `${nameOf(due.lead)}督办事项${LADDER_STEPS[kind]}`);
    await waitFor(async () => (await query(`SELECT 1 FROM escalation_event WHERE item_id = $1 AND kind = $2`, [itemId, kind])).length > 0, `${kind} of item ${itemId}`, WAIT_MS);
  }
  await script.moveClock(now, '演示截至今日');
  // The 红牌 orders a 约谈: the office arranges it three working days ahead, and its 约谈通知书 goes out.
  const interviewInstance = await script.instanceOf('supervision_item', interviewItem.id);
  await waitForOpenTask(services.db, interviewInstance, 'arrangeInterview', WAIT_MS);
  await act(
    script.office,
    interviewInstance,
    'arrangeInterview',
    {
      interviewReason: '督办事项逾期经催办仍未办结，已亮红牌（第十五条）',
      interviewDate: toLocalDate(script.workingDaysLater(3)),
      interviewTime: '09:30',
      interviewPlace: '县委政法委三楼会议室',
      interviewers: '县委政法委副书记\n县平安办主任',
      interviewMaterials: '督办事项办理情况及逾期原因说明',
    },
    `安排约谈${nameOf(interviewItem.lead)}主要负责人`,
  );
  await waitForOpenTask(services.db, interviewInstance, 'interview', WAIT_MS);

  return {
    year,
    roundId: february.businessId,
    notices: { closed: left.map((n) => n.id), awaitingReview: awaitingReview.id, unanswered: unanswered.id },
    items: { closed: closedItems, green: greenItem.id, dueSoon: dueSoonItem.id, yellowCard: yellowCardItem.id, interview: interviewItem.id },
    units: {
      unanswered: unanswered.department_id,
      awaitingReview: awaitingReview.department_id,
      green: green.department_id,
      dueSoon: dueSoon.department_id,
      yellowCard: yellowCard.department_id,
      interview: interview.department_id,
    },
    timeline: script.timeline,
  };
}
