import type { Config } from '../config/schema.ts';
import { generateCaseData, type GeneratedData } from '../domain/cases/generator.ts';
import { nextOccurrence, type Occurrence, type ScheduleKind } from '../domain/loop/calendar.ts';
import { addWorkingDays, atLocalTime, toLocalDate } from '../domain/loop/working-days.ts';
import type { EngineGateway } from '../engine/client.ts';
import { MESSAGE_NAMES } from '../engine/contract.ts';
import type { Actor, Role } from '../services/actor.ts';
import { loadGeneratedData } from '../services/cases/generated-data.ts';
import { DEMO_CASE_DATA } from '../services/demo-seed.ts';
import type { Services } from '../services/index.ts';
import { waitForOpenTask } from '../services/inbox.ts';
import { calendarSettings } from '../services/loop/calendar.ts';
import { loopSettingsFrom } from '../services/loop/settings.ts';
import { waitFor } from '../shared/wait-for.ts';

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

export interface TimelineEntry {
  /** Engine time (the moved clock), ISO-8601. */
  at: string;
  event: string;
}

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
  const history = { ...DEMO_CASE_DATA, fromYear: year - 4, toYear: year - 1 };
  return [
    { name: `generated:${history.seed}:${history.fromYear}-${history.toYear}`, data: generateCaseData(history) },
    { name: `generated:${history.seed + 1}:${year}:calm`, data: generateCaseData({ fromYear: year, toYear: year, rows: 8_600, seed: history.seed + 1, plantedRisks: false }) },
  ];
}

export interface CountyYearContext {
  services: Services;
  engine: EngineGateway;
  config: Config;
  onEntry?: (entry: TimelineEntry) => void;
}

const person = (roles: Role[], departmentId: string, displayName: string): Actor => ({ id: null, username: `dry-run:${departmentId}`, displayName, departmentId, roles });
const court = person(['court_analyst'], 'court', '县法院数据专员');
const leader = person(['leader'], 'zfw', '县委政法委领导');
const office = person(['peace_office'], 'pab', '县平安办');

const WAIT_MS = 120_000;

export async function runCountyYear(ctx: CountyYearContext, year: number): Promise<CountyYear> {
  const { services, engine, config } = ctx;
  const { db } = services;
  const workCalendar = services.workCalendar;
  const settings = loopSettingsFrom(config);
  const timeline: TimelineEntry[] = [];
  let now = `${year}-01-01T00:00:00+08:00`;
  const unitNames = new Map((await db.query<{ id: string; name: string }[]>(`SELECT id, name FROM department`)).map((d) => [d.id, d.name]));
  const unit = (departmentId: string) => person(['department'], departmentId, unitNames.get(departmentId) ?? departmentId);
  const nameOf = (departmentId: string) => unitNames.get(departmentId) ?? departmentId;

  const log = (event: string) => {
    const entry = { at: new Date(now).toISOString(), event };
    timeline.push(entry);
    ctx.onEntry?.(entry);
  };
  const moveClock = async (to: string, why: string) => {
    if (Date.parse(to) <= Date.parse(now)) return;
    now = new Date(to).toISOString();
    await engine.pinClock(new Date(now));
    log(`时钟拨至 ${toLocalDate(now)}：${why}`);
  };
  /** A working day's start `n` working days after the engine's day. */
  const workingDaysLater = (n: number) => atLocalTime(addWorkingDays(workCalendar, toLocalDate(now), n), config.SCHEDULED_START_TIME);
  const next = (kind: ScheduleKind): Occurrence => nextOccurrence(kind, now, calendarSettings(config), workCalendar);

  const query = <T>(sql: string, params: unknown[]) => db.query<T[]>(sql, params);
  const act = async (actor: Actor, instance: string, elementId: string, variables: Record<string, unknown>, what: string) => {
    await services.inbox.complete(actor, await waitForOpenTask(db, instance, elementId, WAIT_MS), variables);
    log(`${actor.displayName}：${what}`);
  };
  const instanceOf = (table: 'assessment_round' | 'risk_notice' | 'supervision_item', id: string) =>
    waitFor(async () => (await query<{ k: string | null }>(`SELECT process_instance_key::text AS k FROM ${table} WHERE id::text = $1`, [id]))[0]?.k, `${table} ${id} to start`, WAIT_MS);
  const completed = (instance: string) =>
    waitFor(async () => (await query<{ state: string }>(`SELECT state FROM engine_process_instance WHERE key = $1`, [instance]))[0]?.state === 'COMPLETED', `instance ${instance} to complete`, WAIT_MS);

  // ---- supervision items -------------------------------------------------------------------
  const itemsOfOpinion = (noticeId: string, count: number) =>
    waitFor(async () => {
      const rows = await query<{ id: string; lead: string }>(
        `SELECT i.id, i.lead_department_id AS lead FROM supervision_item i JOIN measure m ON m.id = i.measure_id JOIN work_opinion o ON o.id = m.opinion_id
         WHERE o.notice_id = $1 AND i.process_instance_key IS NOT NULL ORDER BY m.seq`,
        [noticeId],
      );
      return rows.length === count ? rows : undefined;
    }, `items of notice ${noticeId}`, WAIT_MS);

  const sign = async (itemId: string, lead: string) =>
    act(unit(lead), await instanceOf('supervision_item', itemId), 'sign', { signConfirmed: true, handlerName: `${lead}办公室`, handlerPhone: null, responsibleDivision: null }, '签收督办事项通知书');

  const finishItem = async (itemId: string, lead: string, summary: string) => {
    const instance = await instanceOf('supervision_item', itemId);
    await act(unit(lead), instance, 'submitResult', { resultSummary: summary, resultEffect: '风险得到控制', remainingIssues: null, formalReportConfirmed: true }, '报送办理结果');
    await act(office, instance, 'reviewResult', { itemReviewDecision: 'accept', itemReviewReason: null, itemReviewChecks: ['一事一文'] }, '审核通过，督办事项办结');
    await completed(instance);
  };

  // ---- notices -----------------------------------------------------------------------------
  const opinionOf = (notice: { department_id: string; indicator_ids: string[] }, deadline: string, revised = false) => ({
    analysis: `${revised ? '（修改稿）' : ''}经分析研判，${notice.indicator_ids.join('、')} 指标反映的风险主要集中在重点乡镇和重点行业。`,
    problems: null,
    measures: [
      {
        content: `针对 ${notice.indicator_ids.join('、')} 开展专项治理`,
        ownerName: '分管负责人',
        responsibleDepartmentId: notice.department_id,
        deadline,
        indicatorIds: notice.indicator_ids,
        townships: notice.department_id.startsWith('town-') ? [notice.department_id] : [],
      },
    ],
  });

  type Notice = { id: string; department_id: string; indicator_ids: string[]; number: string };
  const answer = async (notice: Notice, deadline: string, returnedOnce: boolean) => {
    const instance = await instanceOf('risk_notice', notice.id);
    const department = unit(notice.department_id);
    await act(department, instance, 'submitOpinion', opinionOf(notice, deadline), `就 ${notice.number} 提交工作意见`);
    if (returnedOnce) {
      await act(office, instance, 'reviewOpinion', { reviewDecision: 'return', reviewReason: '措施未落实到乡镇和时限' }, `退回${nameOf(notice.department_id)}的工作意见`);
      await act(department, instance, 'submitOpinion', opinionOf(notice, deadline, true), '修改后重新提交工作意见');
    }
    await act(office, instance, 'reviewOpinion', { reviewDecision: 'accept', reviewReason: null }, `采纳${nameOf(notice.department_id)}的工作意见`);
    await completed(instance);
    return itemsOfOpinion(notice.id, 1);
  };

  /** Starts a round as the calendar would, court and leader approve it, and returns its notices. */
  const round = async (occurrence: Occurrence): Promise<Notice[]> => {
    await moveClock(occurrence.at, `${occurrence.businessId} 评估轮次`);
    const roundId = occurrence.businessId;
    await engine.publishMessage({ name: MESSAGE_NAMES.startAssessmentRound, correlationKey: roundId, messageId: roundId, timeToLiveMs: 0, variables: occurrence.variables });
    log(`启动评估轮次 ${roundId}`);
    const instance = await instanceOf('assessment_round', roundId);
    await act(court, instance, 'courtReview', { courtDecision: 'submit', courtNotes: '数据已核对' }, `审核 ${roundId} 评估报告并提交`);
    await act(leader, instance, 'leaderApproval', { leaderDecision: 'approve', leaderComments: '同意发出风险提示函' }, `批准 ${roundId} 评估报告`);
    const notices = await waitFor(async () => {
      const [approved] = await query<{ after: { recipients: unknown[] } }>(`SELECT after FROM audit_log WHERE action = 'assessment_round.approve' AND entity_id = $1`, [roundId]);
      if (!approved) return undefined;
      const rows = await query<Notice>(
        `SELECT id, department_id, indicator_ids, number FROM risk_notice WHERE round_id = $1 AND number IS NOT NULL AND process_instance_key IS NOT NULL ORDER BY department_id`,
        [roundId],
      );
      return rows.length === approved.after.recipients.length ? rows : undefined;
    }, `the notices of ${roundId}`, WAIT_MS);
    log(`发出风险提示函 ${notices.length} 份：${notices.map((n) => `${n.number}（${nameOf(n.department_id)}）`).join('、') || '无'}`);
    return notices;
  };

  /** Every notice answered on time and every item finished on time, the same day; units work side by side. */
  const answerAllOnTime = async (notices: Notice[], deadline: string, otherNotices: string[]) => {
    otherNotices.push(...notices.map((n) => n.id));
    const queue = [...notices];
    const clerk = async () => {
      for (let notice = queue.shift(); notice; notice = queue.shift()) {
        for (const item of await answer(notice, deadline, false)) {
          await sign(item.id, item.lead);
          await finishItem(item.id, item.lead, '已按措施完成专项治理');
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, clerk));
  };

  const evaluation = async (evaluationYear: number) => {
    const instance = await waitFor(
      async () => (await query<{ k: string }>(`SELECT p.key::text AS k FROM engine_process_instance p JOIN engine_user_task t ON t.process_instance_key = p.key
        WHERE p.bpmn_process_id = 'effectiveness-evaluation' AND t.element_id = 'confirm' AND t.state = 'CREATED'`, []))[0]?.k,
      `the evaluation of ${evaluationYear}`,
      WAIT_MS,
    );
    await act(office, instance, 'confirm', { scoreSheetDecision: 'confirm', scoreCorrections: null }, `确认 ${evaluationYear} 年度考核扣分表`);
    await act(office, instance, 'planSeminar', { seminarDate: toLocalDate(workingDaysLater(10)), seminarVenue: '县委会议中心', seminarInvitees: '县委、县政府、县法院、各责任单位', seminarTopics: '风险闭环管理成效' }, '安排成效研讨会');
    await completed(instance);
    log(`${evaluationYear} 年度成效评价完成：考核扣分表与年度报告已发布`);
  };

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
  const stepNames: Record<string, string> = { reminder: '临近提醒', urge: '到期催办', yellow_card: '黄牌警示', red_card: '红牌警示' };
  const stepOf = async (kind: string, at: string) => {
    await moveClock(at, `督办事项${stepNames[kind]}`);
    for (const item of ladderItems) {
      await waitFor(async () => (await query(`SELECT 1 FROM escalation_event WHERE item_id = $1 AND kind = $2`, [item.id, kind])).length > 0, `${kind} of item ${item.id}`, WAIT_MS);
    }
    log(`系统：${ladderItems.map((i) => nameOf(i.lead)).join('、')}的督办事项${stepNames[kind]}`);
  };
  const [{ deadline: itemDeadline }] = (await query<{ deadline: Date }>(`SELECT deadline FROM supervision_item WHERE id = $1`, [interviewedItem!.id])) as [{ deadline: Date }];
  const ladderOf = () => services.itemFlow.escalationDates({ now, settings, itemId: interviewedItem!.id, itemDeadline: itemDeadline.toISOString() });
  const dates = await ladderOf();
  const oneMinuteAfter = (at: string) => new Date(Date.parse(at) + 60_000).toISOString();
  await stepOf('reminder', oneMinuteAfter(dates.reminderAt));
  await stepOf('urge', oneMinuteAfter(dates.urgeAt));
  await stepOf('yellow_card', oneMinuteAfter(dates.yellowCardAt));
  await stepOf('red_card', oneMinuteAfter((await ladderOf()).redCardAt));

  const interview = (listingProposed: boolean) => ({
    interviewHeldAt: toLocalDate(now),
    interviewPlace: '县委政法委会议室',
    interviewers: '县委政法委副书记\n县平安办主任',
    interviewees: '单位主要负责人',
    interviewProblems: '督办事项逾期未办结；经催办、黄牌、红牌通报仍无进展',
    rectificationRequirements: '十五个工作日内完成整改并书面报告',
    rectificationDeadline: null,
    intervieweeStatement: '接受约谈，立即整改',
    listingProposed,
  });
  const interviewedInstance = await instanceOf('supervision_item', interviewedItem!.id);
  await act(office, interviewedInstance, 'interview', interview(false), `约谈${nameOf(interviewedItem!.lead)}主要负责人`);
  await act(unit(interviewedItem!.lead), interviewedInstance, 'rectificationReport', { rectificationReport: '已完成欠薪清查并建立周调度机制', rectificationCompleted: true }, '提交约谈整改报告');
  await finishItem(interviewedItem!.id, interviewedItem!.lead, '欠薪问题已清零');

  const listedInstance = await instanceOf('supervision_item', listedItem!.id);
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
  await act(office, listedInstance, 'acceptance', { acceptancePassed: 'pass', acceptors: '县平安办、县委政法委', acceptanceDate: toLocalDate(now), acceptanceOpinion: '整改到位，同意摘牌' }, '组织验收并摘牌');
  await finishItem(listedItem!.id, listedItem!.lead, '挂牌事项整改完成');

  // ---- July: the half-year round re-checks the targeted indicators --------------------------
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
    convenedOn: toLocalDate(now),
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
