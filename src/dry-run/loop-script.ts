import type { Config } from '../config/schema.ts';
import { nextOccurrence, type Occurrence, type ScheduleKind } from '../domain/loop/calendar.ts';
import { addWorkingDays, atLocalTime, toLocalDate } from '../domain/loop/working-days.ts';
import type { EngineGateway } from '../engine/client.ts';
import { MESSAGE_NAMES } from '../engine/contract.ts';
import type { Actor, Role } from '../services/actor.ts';
import type { Services } from '../services/index.ts';
import { waitForOpenTask } from '../services/inbox.ts';
import { calendarSettings } from '../services/loop/calendar.ts';
import { loopSettingsFrom } from '../services/loop/settings.ts';
import { waitFor } from '../shared/wait-for.ts';

/**
 * The county's people acting through the loop on a real engine whose clock a script moves: the
 * court, the leader, the office and each unit complete their tasks through the same inbox service
 * the web app calls, and each step is written to a timeline. The county-year dry run and the live
 * demo are both written with it.
 */

export interface TimelineEntry {
  /** Engine time (the moved clock), ISO-8601. */
  at: string;
  event: string;
}

export interface LoopScriptContext {
  services: Services;
  engine: EngineGateway;
  config: Config;
  onEntry?: (entry: TimelineEntry) => void;
}

/** A numbered 风险提示函 as a script handles it. */
export type Notice = { id: string; department_id: string; indicator_ids: string[]; number: string };

const person = (roles: Role[], departmentId: string, displayName: string): Actor => ({ id: null, username: `dry-run:${departmentId}`, displayName, departmentId, roles });
const court = person(['court_analyst'], 'court', '县法院数据专员');
const leader = person(['leader'], 'zfw', '县委政法委领导');
const office = person(['peace_office'], 'pab', '县平安办');

/** The experts the office invites to each year's 成效研讨会 (example addresses: the dev mailbox keeps the mails). */
const SEMINAR_EXPERTS = [
  { expertName: '陈研究员', expertOrganisation: '最高人民法院中国司法大数据研究院 研究员', expertEmail: 'expert.chen@example.org' },
  { expertName: '刘教授', expertOrganisation: '郑州大学法学院 教授', expertEmail: 'expert.liu@example.org' },
];

/** The supervision ladder's timed steps, in order, by their Chinese names. */
export const LADDER_STEPS = { reminder: '临近提醒', urge: '到期催办', yellow_card: '黄牌警示', red_card: '红牌警示' } as const;

/** How long a script waits for the engine and the workers to take a step. */
export const WAIT_MS = 120_000;

export type LoopScript = Awaited<ReturnType<typeof createLoopScript>>;

/** A script starting with the engine's clock at `startAt` (moved there at its first step). */
export async function createLoopScript(ctx: LoopScriptContext, startAt: string) {
  const { services, engine, config } = ctx;
  const { db } = services;
  const workCalendar = services.workCalendar;
  const settings = loopSettingsFrom(config);
  const timeline: TimelineEntry[] = [];
  let now = new Date(startAt).toISOString();
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

  const seminars = new Map<number, string>();
  const evaluation = async (evaluationYear: number) => {
    const instance = await waitFor(
      async () => (await query<{ k: string }>(`SELECT p.key::text AS k FROM engine_process_instance p JOIN engine_user_task t ON t.process_instance_key = p.key
        WHERE p.bpmn_process_id = 'effectiveness-evaluation' AND t.element_id = 'confirm' AND t.state = 'CREATED'`, []))[0]?.k,
      `the evaluation of ${evaluationYear}`,
      WAIT_MS,
    );
    await act(office, instance, 'confirm', { scoreSheetDecision: 'confirm', scoreCorrections: null }, `确认 ${evaluationYear} 年度考核扣分表`);
    await act(
      office,
      instance,
      'planSeminar',
      { seminarDate: toLocalDate(workingDaysLater(10)), seminarVenue: '县委会议中心', seminarTopics: '风险闭环管理成效', seminarExperts: SEMINAR_EXPERTS },
      '安排成效研讨会并发出邀请函',
    );
    seminars.set(evaluationYear, instance);
    log(`${evaluationYear} 年度成效评价：考核扣分表与年度报告已发布，成效研讨会已安排`);
  };

  /** The evaluation's 成效研讨会 held and recorded (the clock past its day if it is not yet); the evaluation ends. */
  const seminar = async (evaluationYear: number) => {
    const instance = seminars.get(evaluationYear)!;
    // The invitation job records the day a moment after the office planned it.
    const day = await waitFor(
      async () => (await query<{ seminar_on: string | null }>(`SELECT to_char(seminar_on, 'YYYY-MM-DD') AS seminar_on FROM effectiveness_evaluation WHERE year = $1`, [evaluationYear]))[0]?.seminar_on,
      `the seminar of ${evaluationYear}`,
      WAIT_MS,
    );
    await moveClock(new Date(Date.parse(atLocalTime(day, '18:00')) + 60_000).toISOString(), `${evaluationYear} 年度成效研讨会举行`);
    await act(
      office,
      instance,
      'recordSeminar',
      { seminarAttended: SEMINAR_EXPERTS.map((e) => e.expertName), seminarOtherAttendees: '县委政法委、县法院、县平安办及各责任单位', seminarConclusions: '风险闭环管理有效，建议扩大指标覆盖面', seminarRecommendations: null },
      '记录成效研讨会',
    );
    await completed(instance);
    log(`${evaluationYear} 年度成效评价完成：研讨会结论已存档`);
  };

  return {
    timeline,
    settings,
    /** The engine's time as the script last set it. */
    now: () => now,
    log,
    moveClock,
    workingDaysLater,
    next,
    query,
    act,
    instanceOf,
    completed,
    itemsOfOpinion,
    sign,
    finishItem,
    opinionOf,
    answer,
    round,
    answerAllOnTime,
    evaluation,
    seminar,
    unit,
    nameOf,
    court,
    leader,
    office,
  };
}
