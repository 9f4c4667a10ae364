import { generateCaseData, type GeneratedData } from '../domain/cases/generator.ts';
import { addWorkingDays, atLocalTime, toLocalDate } from '../domain/loop/working-days.ts';
import { MESSAGE_NAMES } from '../engine/contract.ts';
import { loadGeneratedData } from '../services/cases/generated-data.ts';
import { DEMO_CASE_DATA } from '../services/demo-seed.ts';
import type { Services } from '../services/index.ts';
import { waitFor } from '../shared/wait-for.ts';
import { createLoopScript, LADDER_STEPS, WAIT_MS, type LoopScriptContext, type Notice, type TimelineEntry } from './loop-script.ts';

/**
 * A county year in minutes (PRODUCT.md §4, 第五条–第十九条) on a real engine whose clock is moved:
 * the February round over last year's data, notices to the units owning high indicators — 金融局
 * answers on time, 人社局 late (提醒, 催办), 教育局 is returned once, every other unit on time —
 * one supervision item per measure: 金融局's closed on time, 人社局's through 提醒 → 催办 → 黄牌 →
 * 红牌 → 约谈 and a rectification report, 教育局's 约谈 → 挂牌督办 → 五落实 → acceptance → 摘牌;
 * the July round re-checking the targeted indicators; the half-year joint meeting with one
 * decision made an item; the next February round and the evaluation with its deductions.
 *
 * Everyone acts through the same inbox service the web app calls; every date comes from the
 * configuration (the calendar's dates, the loop's working-day counts), so an admin can see what a
 * changed timer does before changing it (`npm run dry-run`). The process test asserts on the
 * result; the dry run prints the timeline.
 */

export interface CountyYear {
  year: number;
  rounds: { february: string; july: string; nextFebruary: string };
  meetingId: string;
  /** The featured units' notices and items; every other unit answers and finishes on time. */
  notices: { onTime: string; late: string; returned: string };
  items: { onTime: string; interviewed: string; listed: string; meeting: string };
  /** Other units' notices per round, answered on time. */
  otherNotices: string[];
  timeline: TimelineEntry[];
}

export const FEATURED_UNITS = { onTime: 'jrj', late: 'rsj', returned: 'jyj' } as const;

/**
 * The data the year runs on: the demo county (four years up to last year, the three risks planted
 * in last year's first half) and this year's cases, generated without them, as after measures.
 */
export function countyYearData(year: number): { name: string; data: GeneratedData }[] {
  const seed = DEMO_CASE_DATA.seed;
  return [countyHistory(year), { name: `generated:${seed + 1}:${year}:calm`, data: generateCaseData({ fromYear: year, toYear: year, rows: 8_600, seed: seed + 1, plantedRisks: false }) }];
}

/** The demo county's four years up to last year, the risks planted in last year's first half (the demo's data for 2026). */
export function countyHistory(year: number): { name: string; data: GeneratedData } {
  const history = { ...DEMO_CASE_DATA, fromYear: year - 4, toYear: year - 1 };
  return { name: `generated:${history.seed}:${history.fromYear}-${history.toYear}`, data: generateCaseData(history) };
}

export async function runCountyYear(ctx: LoopScriptContext, year: number): Promise<CountyYear> {
  const script = await createLoopScript(ctx, `${year}-01-01T00:00:00+08:00`);
  const { services, engine } = ctx;
  const { timeline, settings, log, moveClock, workingDaysLater, next, query, act, instanceOf, completed, sign, finishItem, answer, round, answerAllOnTime, evaluation, seminar, unit, nameOf, leader, office } = script;
  const workCalendar = services.workCalendar;

  // ---- February: last year's annual round ---------------------------------------------------
  const february = next('round');
  const notices = await round(february);
  const featured = Object.fromEntries(
    Object.entries(FEATURED_UNITS).map(([role, department]) => {
      const notice = notices.find((n) => n.department_id === department);
      if (!notice) throw new Error(`${february.businessId}: no notice for ${department}; the planted risks did not come out high`);
      return [role, notice];
    }),
  ) as Record<keyof typeof FEATURED_UNITS, Notice>;
  // The previous year's evaluation follows the annual round (第十六条).
  await evaluation(year - 1);

  const otherNotices: string[] = [];
  const featuredDeadline = `${year}-04-30`;
  await answerAllOnTime(notices.filter((n) => !Object.values(FEATURED_UNITS).includes(n.department_id as never)), `${year}-06-30`, otherNotices);
  const [onTimeItem] = await answer(featured.onTime, `${year}-06-30`, false);
  await sign(onTimeItem!.id, onTimeItem!.lead);
  await finishItem(onTimeItem!.id, onTimeItem!.lead, '已完成民间借贷风险专项排查');
  const [listedItem] = await answer(featured.returned, featuredDeadline, true);
  await sign(listedItem!.id, listedItem!.lead);

  // 人社局 lets its deadline pass: the reminder before it, the 催办 after it.
  const [lateNotice] = await query<{ due_date: Date }>(`SELECT due_date FROM risk_notice WHERE id = $1`, [featured.late.id]);
  await moveClock(atLocalTime(addWorkingDays(workCalendar, toLocalDate(lateNotice!.due_date), settings.urgeAfterWorkingDays), '10:00'), `${featured.late.number} 反馈期限已过`);
  await waitFor(async () => (await query(`SELECT 1 FROM escalation_event WHERE notice_id = $1 AND kind = 'urge'`, [featured.late.id])).length > 0, 'the 催办 of the late notice', WAIT_MS);
  log(`系统：${nameOf(featured.late.department_id)}逾期未反馈，发出提醒与催办通知书（抄送分管县领导）`);
  const [interviewedItem] = await answer(featured.late, featuredDeadline, false);
  await sign(interviewedItem!.id, interviewedItem!.lead);

  // Neither 人社局 nor 教育局 reports by the deadline: the ladder, step by step, on its working days.
  const ladderItems = [interviewedItem!, listedItem!];
  const stepNames = LADDER_STEPS;
  const stepOf = async (kind: keyof typeof LADDER_STEPS, at: string) => {
    await moveClock(at, `督办事项${stepNames[kind]}`);
    for (const item of ladderItems) {
      await waitFor(async () => (await query(`SELECT 1 FROM escalation_event WHERE item_id = $1 AND kind = $2`, [item.id, kind])).length > 0, `${kind} of item ${item.id}`, WAIT_MS);
    }
    log(`系统：${ladderItems.map((i) => nameOf(i.lead)).join('、')}的督办事项${stepNames[kind]}`);
  };
  const [{ deadline: itemDeadline }] = (await query<{ deadline: Date }>(`SELECT deadline FROM supervision_item WHERE id = $1`, [interviewedItem!.id])) as [{ deadline: Date }];
  const ladderOf = () => services.itemFlow.escalationDates({ now: script.now(), settings, itemId: interviewedItem!.id, itemDeadline: itemDeadline.toISOString() });
  const dates = await ladderOf();
  const oneMinuteAfter = (at: string) => new Date(Date.parse(at) + 60_000).toISOString();
  await stepOf('reminder', oneMinuteAfter(dates.reminderAt));
  await stepOf('urge', oneMinuteAfter(dates.urgeAt));
  await stepOf('yellow_card', oneMinuteAfter(dates.yellowCardAt));
  await stepOf('red_card', oneMinuteAfter((await ladderOf()).redCardAt));

  const interview = (listingProposed: boolean) => ({
    interviewHeldAt: toLocalDate(script.now()),
    interviewPlace: '县委政法委会议室',
    interviewers: '县委政法委副书记\n县平安办主任',
    interviewees: '单位主要负责人',
    interviewProblems: '督办事项逾期未办结；经催办、黄牌、红牌通报仍无进展',
    rectificationRequirements: '十五个工作日内完成整改并书面报告',
    rectificationDeadline: null,
    intervieweeStatement: '接受约谈，立即整改',
    listingProposed,
  });
  const arrangement = {
    interviewReason: '督办事项逾期未办结，经催办、黄牌、红牌通报仍无进展',
    interviewDate: toLocalDate(script.now()),
    interviewTime: '15:00',
    interviewPlace: '县委政法委会议室',
    interviewers: '县委政法委副书记\n县平安办主任',
    interviewMaterials: '督办事项办理情况书面说明',
  };
  const interviewedInstance = await instanceOf('supervision_item', interviewedItem!.id);
  await act(office, interviewedInstance, 'arrangeInterview', arrangement, `安排约谈${nameOf(interviewedItem!.lead)}主要负责人`);
  await act(office, interviewedInstance, 'interview', interview(false), `约谈${nameOf(interviewedItem!.lead)}主要负责人`);
  await act(unit(interviewedItem!.lead), interviewedInstance, 'rectificationReport', { rectificationReport: '已完成欠薪清查并建立周调度机制', rectificationCompleted: true }, '提交约谈整改报告');
  await finishItem(interviewedItem!.id, interviewedItem!.lead, '欠薪问题已清零');

  const listedInstance = await instanceOf('supervision_item', listedItem!.id);
  await act(office, listedInstance, 'arrangeInterview', arrangement, `安排约谈${nameOf(listedItem!.lead)}主要负责人`);
  await act(office, listedInstance, 'interview', interview(true), `约谈${nameOf(listedItem!.lead)}主要负责人并提请挂牌督办`);
  await act(unit(listedItem!.lead), listedInstance, 'listingPlan', {
    caseLeader: '局长',
    responsibilityPlan: '局长负总责，分管副局长具体负责',
    measuresPlan: '开展未成年人犯罪预防专项行动',
    fundingPlan: '专项经费二十万元',
    timelinePlan: '三个月内完成',
    contingencyPlan: '发现苗头性问题即时报告',
  }, '报送五落实整改方案');
  await act(unit(listedItem!.lead), listedInstance, 'rectify', { rectificationSummary: '专项行动完成，涉未成年人案件回落', acceptanceRequested: true }, '整改完成并申请验收');
  await act(office, listedInstance, 'acceptance', { acceptancePassed: 'pass', acceptors: '县平安办、县委政法委', acceptanceDate: toLocalDate(script.now()), acceptanceOpinion: '整改到位，同意摘牌' }, '组织验收并摘牌');
  await finishItem(listedItem!.id, listedItem!.lead, '挂牌事项整改完成');

  // ---- July: the half-year round re-checks the targeted indicators --------------------------
  // Last year's 成效研讨会 was held in March: its record closes that evaluation.
  await seminar(year - 1);
  const july = next('round');
  await answerAllOnTime(await round(july), `${year}-10-31`, otherNotices);

  // ---- the half-yearly joint meeting: re-assessment and one cross-department decision -------
  const meeting = next('meeting');
  await moveClock(meeting.at, `联席会议 ${meeting.businessId}`);
  await engine.publishMessage({ name: MESSAGE_NAMES.startJointMeeting, correlationKey: meeting.businessId, messageId: meeting.businessId, timeToLiveMs: 0, variables: meeting.variables });
  // The meeting's record does not keep its instance: its open minutes task names it.
  const meetingInstance = await waitFor(
    async () =>
      (await query<{ k: string }>(`SELECT t.process_instance_key::text AS k FROM engine_user_task t JOIN engine_process_instance p ON p.key = t.process_instance_key
         WHERE p.bpmn_process_id = 'joint-meeting' AND t.element_id = 'recordMinutes' AND t.state = 'CREATED'`, []))[0]?.k,
    `the minutes task of ${meeting.businessId}`,
    WAIT_MS,
  );
  const targeted = featured.onTime.indicator_ids;
  await act(leader, meetingInstance, 'recordMinutes', {
    convenedOn: toLocalDate(script.now()),
    meetingPlace: '县委政法委会议室',
    attendees: '县委政法委、县法院、县平安办及各责任单位',
    situationSummary: '会议听取了上半年风险处置情况汇报。',
    riskReassessments: targeted.map((indicatorId) => ({ indicatorId, regionId: null, reassessedLevel: 'medium', reassessmentAnalysis: '专项整治后风险回落' })),
    decisions: [
      {
        decisionTitle: '建立民间借贷风险联合监测机制',
        decisionContent: '公安局牵头，金融局配合，建立涉众型借贷线索移交和联合处置机制',
        prejudgedImpact: '涉众型借贷纠纷预计下降',
        leadDepartmentId: 'gaj',
        coDepartmentIds: [FEATURED_UNITS.onTime],
        decisionDeadline: `${year}-10-30`,
        major: false,
        indicatorIds: targeted,
      },
    ],
    minutesSummary: null,
  }, `召开联席会议 ${meeting.businessId} 并形成会议纪要`);
  const [meetingItem] = await waitFor(
    async () => {
      const rows = await query<{ id: string; lead: string }>(`SELECT id, lead_department_id AS lead FROM supervision_item WHERE source_kind = 'meeting' AND source_id = $1 AND process_instance_key IS NOT NULL`, [meeting.businessId]);
      return rows.length === 1 ? rows : undefined;
    },
    'the decision item',
    WAIT_MS,
  );
  await sign(meetingItem!.id, meetingItem!.lead);
  await moveClock(workingDaysLater(20), '联席会议决定事项办理');
  await finishItem(meetingItem!.id, meetingItem!.lead, '联合监测机制已建立并运行');
  await completed(meetingInstance);

  // ---- next February: this year's annual round, then this year's evaluation -----------------
  const nextFebruary = next('round');
  await answerAllOnTime(await round(nextFebruary), `${year + 1}-06-30`, otherNotices);
  await evaluation(year);
  await seminar(year);

  return {
    year,
    rounds: { february: february.businessId, july: july.businessId, nextFebruary: nextFebruary.businessId },
    meetingId: meeting.businessId,
    notices: { onTime: featured.onTime.id, late: featured.late.id, returned: featured.returned.id },
    items: { onTime: onTimeItem!.id, interviewed: interviewedItem!.id, listed: listedItem!.id, meeting: meetingItem!.id },
    otherNotices,
    timeline,
  };
}

/** Loads the year's data into the sandbox's database (idempotent by content). */
export async function loadCountyYearData(services: Services, year: number): Promise<number> {
  let cases = 0;
  for (const set of countyYearData(year)) cases += (await loadGeneratedData(services.db, set.data, set.name)).cases;
  return cases;
}
