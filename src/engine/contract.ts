import { z } from 'zod';
import { orderReasons } from '../domain/loop/escalation-orders.ts';

/**
 * The contract between the diagrams in bpmn/ and everything that talks to them: process ids,
 * the external-task topics of every service task with the variables each task reads and writes,
 * message names and the business keys they are correlated on, the BPMN error and escalation
 * codes, the Camunda Forms of the user tasks with the variables their completion sets, and the
 * candidate groups. The engine is Operaton (Camunda 7 line): diagrams use the `camunda:`
 * extensions and JUEL expressions (`${...}`).
 *
 * tests/unit/bpmn-contract.test.ts parses every diagram and checks it against this file, in both
 * directions: a topic, message, form or error the diagrams use is declared here, and everything
 * declared here is used by some diagram; and every topic has a worker in workers/registry.ts.
 *
 * Rules the diagrams follow (so a worker author can rely on them):
 * - Every service task is an external task (`camunda:type="external"`, `camunda:topic` = the
 *   task type below); the worker sets retries. A task sees every variable of its process instance
 *   (its own scope first); `input` lists what the worker reads. Where a diagram feeds a task a
 *   constant or a renamed value it does so with a `camunda:inputParameter` (noted per type below).
 *   Every input named `now` is mapped from `${now()}`, the engine's clock, so a worker never reads
 *   the wall clock and a moved test clock moves it too.
 * - `output` lists exactly the variables the task completes with; nothing else. A task whose
 *   element has `camunda:outputParameter`s is completed with local variables, which reach the
 *   process only through those mappings (the catalog lists them per element, ElementInfo.outputs).
 *   Tasks inside multi-instance bodies or on side paths that run concurrently complete with `{}`
 *   or through output parameters, so they never overwrite each other.
 * - Every date-time a worker returns is an ISO-8601 string with an offset (Asia/Shanghai, +08:00),
 *   ready for `camunda:dueDate` and timer `timeDate` expressions (`${opinionDueDate}`).
 *   Working-day arithmetic (Chinese public holidays and make-up workdays) lives in
 *   src/domain/loop/working-days.ts.
 * - Durations and working-day counts come from the `settings` variable (a map) that the first
 *   task of every process (`load-loop-settings`) writes from configuration; diagrams hold no
 *   literal durations or dates (`${settings.listingReportCycle}`, `${settings.revisionWorkingDays}`).
 * - A gateway condition over a variable that may be absent reads it with
 *   `execution.getVariable('name')`, so JUEL does not throw on an unknown identifier.
 *   Likewise an output parameter of a user task that a terminate end event may cancel before it is
 *   submitted (the supervision item's extension reviews) reads `execution.getVariableLocal('name')`:
 *   the engine runs output mappings of cancelled activities too.
 * - Collections a multi-instance activity iterates (`camunda:collection`) and the objects a
 *   diagram reads a property of (`${noticeRecipient.departmentId}`, `${settings.x}`) must reach the
 *   engine as Java lists and maps, not as JSON text.
 * - Side effects are keyed by business keys (noted per type) so a redelivered task changes nothing.
 */

// ---------------------------------------------------------------------------------------------
// Processes and how they start
// ---------------------------------------------------------------------------------------------

export const PROCESS_IDS = {
  assessmentRound: 'assessment-round',
  riskNotice: 'risk-notice',
  jointMeeting: 'joint-meeting',
  supervisionItem: 'supervision-item',
  supervisionBulletin: 'supervision-bulletin',
  effectivenessEvaluation: 'effectiveness-evaluation',
  /** The county's calendar: starts the rounds, joint meetings and bulletins on the configured dates. */
  loopCalendar: 'loop-calendar',
  /** 约谈 of a unit's principal a leader ordered without an item (第十五条): a township prompted by its 信访/舆情. */
  unitInterview: 'unit-interview',
} as const;
export type ProcessId = (typeof PROCESS_IDS)[keyof typeof PROCESS_IDS];
export const processIds: readonly ProcessId[] = Object.values(PROCESS_IDS);

export const MESSAGE_NAMES = {
  startAssessmentRound: 'start-assessment-round',
  startJointMeeting: 'start-joint-meeting',
  startSupervisionItem: 'start-supervision-item',
  startSupervisionBulletin: 'start-supervision-bulletin',
  startEffectivenessEvaluation: 'start-effectiveness-evaluation',
  startLoopCalendar: 'start-loop-calendar',
  stopLoopCalendar: 'stop-loop-calendar',
  startUnitInterview: 'start-unit-interview',
  progressReport: 'progress-report',
  extensionRequest: 'extension-request',
  escalationOrdered: 'escalation-ordered',
} as const;
export type MessageName = (typeof MESSAGE_NAMES)[keyof typeof MESSAGE_NAMES];
export const messageNames: readonly MessageName[] = Object.values(MESSAGE_NAMES);

/** BPMN errors a worker may throw (BusinessRuleError code); a boundary event in the diagram catches each. */
export const ERROR_CODES = {
  /** compute-indicators: the period has no imported case records; the court imports them, then the job runs again. */
  noCaseData: 'no-case-data',
  /** record-work-opinion: a measure the policy refuses (e.g. a deadline already past); the unit corrects it in the same task. */
  opinionInvalid: 'opinion-invalid',
  /** issue-interview-notice: an arrangement the process clock refuses (a 约谈 date already past); the office corrects it in 安排约谈. */
  interviewArrangementInvalid: 'interview-arrangement-invalid',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];
export const errorCodes: readonly ErrorCode[] = Object.values(ERROR_CODES);

/** BPMN escalations thrown inside a diagram (never by workers). */
export const ESCALATION_CODES = {
  /** supervision-item: an extension was granted; the handling sub-process restarts with the new deadline. */
  extensionGranted: 'extension-granted',
} as const;
export type EscalationCode = (typeof ESCALATION_CODES)[keyof typeof ESCALATION_CODES];
export const escalationCodes: readonly EscalationCode[] = Object.values(ESCALATION_CODES);

/**
 * Candidate groups of the user tasks (`camunda:candidateGroups`). A user's groups are its roles
 * plus its department id (src/services/actor.ts); department tasks use an expression such as
 * `${departmentId}`, role tasks a comma-separated list such as `zfw,leader`.
 */
export const ROLE_GROUPS = {
  courtAnalyst: 'court_analyst',
  leader: 'leader',
  peaceOffice: 'peace_office',
  /** The 县委政法委 (department id), whose head convenes the joint meeting (第九条). */
  convener: 'zfw',
} as const;
export type RoleGroup = (typeof ROLE_GROUPS)[keyof typeof ROLE_GROUPS];

// ---------------------------------------------------------------------------------------------
// Shared value schemas
// ---------------------------------------------------------------------------------------------

/**
 * A date-time as the engine or a worker writes it, as an ISO-8601 string with an offset. JUEL
 * `${now()}` is a Date variable, which the REST API writes in the engine JVM's time zone as
 * `2025-02-03T01:00:00.000+0000` or `2025-02-03T09:00:00.000+0800` (src/engine/variables.ts turns
 * the offset into `+00:00` / `+08:00`; both forms parse); workers write
 * `2025-02-03T09:00:00.000+08:00`. A bracketed zone suffix (`…+08:00[Asia/Shanghai]`, as some
 * writers add) is dropped; a value without a time part is refused.
 */
export const instant = z
  .string()
  .transform((s, ctx) => {
    const bare = s.replace(/\[[^\]]*\]$/, '');
    const ms = /T\d\d:\d\d(?:[:.]|Z|[+-]|$)/.test(bare) ? Date.parse(bare) : Number.NaN;
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 date-time with offset' });
      return z.NEVER;
    }
    return bare;
  });
export const localDate = z.iso.date();
export const id = z.string().min(1);
/** An expert invited to the 成效研讨会 (第十七条): the letter goes to the address. */
export const seminarExpert = z.object({ expertName: z.string().min(1), expertOrganisation: z.string().min(1), expertEmail: z.email('邮箱格式不正确') });
/** A time of day, 24-hour HH:mm (the 约谈 arrangement). */
export const interviewTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间应为 24 小时制的 时:分，如 09:30');
export const departmentId = z.string().min(1);
export const riskLevel = z.enum(['low', 'medium', 'high', 'critical']);
/** `topic`: a 专题分析 (issue 19 point 5), run through the same process; its row says which periods it compares. */
export const roundKind = z.enum(['half_year', 'annual', 'topic']);
export const option = z.object({ label: z.string(), value: z.string() });
/** Whose 约谈 a job is about: a supervision item's (supervision-item), or a leader's order of a unit's (unit-interview); the service refuses neither or both. */
const interviewSubject = { itemId: id.optional(), orderId: id.optional() };

/** The working-day counts and cycles every process reads from `settings` (set from configuration). */
export const loopSettingsSchema = z.object({
  /** 风险提示函: working days to submit the 工作意见 (DOMAIN.md §4.1 default 15). */
  noticeFeedbackWorkingDays: z.number().int().positive().default(15),
  /** A returned opinion or result: working days to resubmit. */
  revisionWorkingDays: z.number().int().positive().default(5),
  /** 平安办 review of an opinion or a result. */
  officeReviewWorkingDays: z.number().int().positive().default(5),
  courtReviewWorkingDays: z.number().int().positive().default(5),
  leaderApprovalWorkingDays: z.number().int().positive().default(3),
  supplementDataWorkingDays: z.number().int().positive().default(5),
  /** 临近提醒 (yellow light): working days before a deadline. */
  reminderLeadWorkingDays: z.number().int().nonnegative().default(3),
  /** 到期催办 (red light): working days after a deadline. */
  urgeAfterWorkingDays: z.number().int().positive().default(1),
  /** 黄牌: still overdue this many working days after the 催办 (DOMAIN.md §4.6: 5). */
  yellowCardAfterUrgeWorkingDays: z.number().int().positive().default(5),
  /** 红牌: still overdue this many working days after the 黄牌. */
  redCardAfterYellowCardWorkingDays: z.number().int().positive().default(5),
  /** 签收 of a 督办事项通知书. */
  signWorkingDays: z.number().int().positive().default(2),
  /** The office organises the 约谈 within this many working days of the 红牌 or the order. */
  interviewWorkingDays: z.number().int().positive().default(5),
  /** Default 整改时限 after a 约谈 (DOMAIN.md §4.4: 15). */
  rectificationWorkingDays: z.number().int().positive().default(15),
  /** Still not rectified this many working days after the 整改时限 → 挂牌督办. */
  listingGraceWorkingDays: z.number().int().positive().default(5),
  /** 五落实 plan of a listed unit. */
  listingPlanWorkingDays: z.number().int().positive().default(5),
  /** 挂牌督办 整改期限 in months (≤ 12, DOMAIN.md §4.5). */
  listingPeriodMonths: z.number().int().min(1).max(12).default(6),
  /** Cycle of the listed unit's 月报 (a timer cycle, ISO-8601 repeating interval). */
  listingReportCycle: z.string().regex(/^R\d*\/P/).default('R/P1M'),
  monthlyReportWorkingDays: z.number().int().positive().default(5),
  acceptanceWorkingDays: z.number().int().positive().default(10),
  extensionReviewWorkingDays: z.number().int().positive().default(3),
  minutesWorkingDays: z.number().int().positive().default(5),
  bulletinReviewWorkingDays: z.number().int().positive().default(3),
  leaderInstructionWorkingDays: z.number().int().positive().default(5),
  evaluationConfirmWorkingDays: z.number().int().positive().default(10),
  seminarPlanningWorkingDays: z.number().int().positive().default(10),
  /** Working days after the seminar for the office to record it (attendance, conclusions). */
  seminarRecordWorkingDays: z.number().int().positive().default(5),
});
export type LoopSettings = z.infer<typeof loopSettingsSchema>;
export const defaultLoopSettings: LoopSettings = loopSettingsSchema.parse({});

const settings = loopSettingsSchema;
const now = instant;

export const noticeRecipient = z.object({ departmentId, indicatorIds: z.array(id).min(1) });
export const supervisionItemRef = z.object({ itemKey: id, itemId: id });
export const escalationStep = z.enum(['interview', 'listing']);
export const orderedEscalation = z.object({ itemId: id, itemKey: id, step: escalationStep, reason: z.string() });

/** What the office's review form shows of a 工作意见 (src/domain/loop/review-subjects.ts): names and dates, ready to print. */
export const opinionSummary = z.object({
  unit: z.string(),
  noticeNumber: z.string(),
  submission: z.string(),
  analysis: z.string(),
  problems: z.string(),
  measures: z.array(z.object({ seq: z.number().int(), content: z.string(), owner: z.string(), department: z.string(), deadline: localDate, indicators: z.string(), townships: z.string() })),
});
/** What the court's review and the leader's approval show of the drafted 评估报告. */
export const reportSummary = z.object({
  period: z.string(),
  revision: z.string(),
  headline: z.string(),
  highIndicators: z.array(z.object({ indicator: z.string(), region: z.string(), level: z.string() })),
  noticeUnits: z.string(),
});

export const measureInput = z.object({
  content: z.string().min(1),
  ownerName: z.string().min(1),
  responsibleDepartmentId: departmentId,
  deadline: localDate,
  indicatorIds: z.array(id).default([]),
  townships: z.array(z.string()).default([]),
});

export const riskReassessmentInput = z.object({
  indicatorId: id,
  regionId: z.string().nullish(),
  reassessedLevel: riskLevel,
  reassessmentAnalysis: z.string().min(1),
});

export const meetingDecisionInput = z.object({
  decisionTitle: z.string().min(1),
  decisionContent: z.string().min(1),
  prejudgedImpact: z.string().min(1),
  leadDepartmentId: departmentId,
  coDepartmentIds: z.array(departmentId).default([]),
  decisionDeadline: localDate,
  major: z.boolean().default(false),
  indicatorIds: z.array(id).default([]),
});

/** Variables of the `progress-report` message. */
export const progressReportMessage = z.object({
  progressReport: z.object({ reportId: id, content: z.string().min(1), reportedBy: z.string().min(1), reportedAt: instant }),
});
/** Variables of the `extension-request` message (our service refuses a request after the deadline). */
export const extensionRequestMessage = z.object({
  extensionRequest: z.object({ requestId: id, reason: z.string().min(1), requestedDeadline: localDate, requestedBy: z.string().min(1) }),
});
/** Variables of the `escalation-ordered` message (a leader orders 约谈 or 挂牌督办 of one item). */
export const escalationOrderedMessage = z.object({
  orderedStep: escalationStep,
  orderedBy: z.string().min(1),
  orderSource: z.string().min(1),
  /** A leader's own order (not a bulletin's proposal) carries the policy's reason and the evidence. */
  orderReason: z.enum(orderReasons).optional(),
  orderEvidence: z.string().optional(),
  /** For an ordered 约谈: the reason and evidence, prefilled in the office's 安排约谈 form. */
  interviewReason: z.string().optional(),
});

// ---------------------------------------------------------------------------------------------
// Start variables and messages
// ---------------------------------------------------------------------------------------------

export interface StartContract {
  /** The message that starts the process (a message start event), or null for a process only called by its parent. */
  message: MessageName | null;
  /**
   * What the business key of an instance is: the start message is sent with it as business key
   * (publishMessage's `correlationKey`), and every later message to the instance is correlated on
   * it. Operaton does not enforce unique business keys; the client starts only when no instance of
   * the process with that key runs.
   */
  correlationKey: string;
  variables: z.ZodObject;
  description: string;
}

/**
 * How each process starts. There are no timer start events: a timer start cannot read
 * configuration, so the `loop-calendar` process publishes the start messages at the configured times (February
 * and July rounds, the six-monthly meeting, the monthly bulletin) and people start the same
 * messages by hand. A start message carries the business key; while an instance of the process
 * with that business key runs, a retried start is dropped (src/engine/client.ts publishMessage),
 * never queued: Operaton buffers no messages.
 */
export const startContracts: Record<ProcessId, StartContract> = {
  'assessment-round': {
    message: MESSAGE_NAMES.startAssessmentRound,
    correlationKey: 'roundId, e.g. 2025-H1 (half year, published in July), 2025-Y (year 2025, published in February 2026) or 2026-T1 (a 专题分析 composed by a court analyst)',
    variables: z.object({ roundId: id, roundKind, year: z.number().int(), periodStart: localDate, periodEnd: localDate }),
    description: '评估轮次：每年二月（年度）与七月（半年）由调度按配置发布启动消息，或人工启动。',
  },
  'risk-notice': {
    message: null,
    correlationKey: 'roundId:departmentId (the noticeKey variable too), set by the multi-instance call activity of assessment-round (camunda:in businessKey)',
    variables: z.object({ roundId: id, roundKind, departmentId, indicatorIds: z.array(id).min(1), noticeKey: id }),
    description: '风险提示函：由评估轮次按责任部门逐一调用。',
  },
  'joint-meeting': {
    message: MESSAGE_NAMES.startJointMeeting,
    correlationKey: 'meetingId, e.g. 2025-H2',
    variables: z.object({ meetingId: id, meetingKind: z.enum(['scheduled', 'adhoc']) }),
    description: '联席会议：每半年由调度按配置发布启动消息，或召集人临时启动。',
  },
  'supervision-item': {
    message: MESSAGE_NAMES.startSupervisionItem,
    correlationKey: 'itemKey, the item business key: measure:<measureId> or decision:<meetingId>:<n>',
    variables: z.object({ itemKey: id, itemId: id }),
    description: '督办事项：一事一件，由 start-supervision-item 任务在登记立项后发布启动消息。',
  },
  'supervision-bulletin': {
    message: MESSAGE_NAMES.startSupervisionBulletin,
    correlationKey: 'bulletinId, e.g. 2025-11 (monthly) or adhoc-<uuid>',
    variables: z.object({ bulletinId: id, bulletinKind: z.enum(['monthly', 'adhoc']), periodStart: localDate.optional(), periodEnd: localDate.optional() }),
    description: '督办事项专报：每月由调度发布启动消息，或平安办随时启动。',
  },
  'loop-calendar': {
    message: MESSAGE_NAMES.startLoopCalendar,
    correlationKey: 'calendarKey, the county code "411328": one calendar per county, published at every start of the app',
    variables: z.object({ calendarKey: id }),
    description: '闭环日历：按配置日期发布评估轮次、联席会议、督办专报的启动消息；应用每次启动时发布，同一县只有一个实例。',
  },
  'unit-interview': {
    message: MESSAGE_NAMES.startUnitInterview,
    correlationKey: 'unit-interview:<orderId>, the leader\'s order (escalation_order)',
    variables: z.object({ orderId: id, departmentId, interviewReason: z.string().min(1) }),
    description: '约谈单位主要负责人：领导不针对具体督办事项决定约谈时发布启动消息。',
  },
  'effectiveness-evaluation': {
    message: MESSAGE_NAMES.startEffectivenessEvaluation,
    correlationKey: 'String(evaluationYear), e.g. "2025" (evaluated in February 2026)',
    variables: z.object({ evaluationYear: z.number().int() }),
    description: '成效评价：年度评估轮次经领导批准后自动发布启动消息，或平安办人工启动。',
  },
};

export interface MessageContract {
  /**
   * The variable of the receiving instance whose value is its business key, on which the message
   * is correlated ('' for start messages: the business key of the new instance is the start
   * contract's key). Camunda 7 messages have no correlation key in the diagram.
   */
  correlationKey: string;
  variables: z.ZodObject;
  description: string;
}

export const messageContracts: Record<MessageName, MessageContract> = {
  'start-assessment-round': { correlationKey: '', variables: startContracts['assessment-round'].variables, description: '启动评估轮次' },
  'start-joint-meeting': { correlationKey: '', variables: startContracts['joint-meeting'].variables, description: '启动联席会议' },
  'start-supervision-item': { correlationKey: '', variables: startContracts['supervision-item'].variables, description: '启动督办事项' },
  'start-supervision-bulletin': { correlationKey: '', variables: startContracts['supervision-bulletin'].variables, description: '启动督办事项专报' },
  'start-effectiveness-evaluation': { correlationKey: '', variables: startContracts['effectiveness-evaluation'].variables, description: '启动成效评价' },
  'start-loop-calendar': { correlationKey: '', variables: startContracts['loop-calendar'].variables, description: '启动闭环日历' },
  'start-unit-interview': { correlationKey: '', variables: startContracts['unit-interview'].variables, description: '启动约谈单位主要负责人' },
  'stop-loop-calendar': { correlationKey: 'calendarKey', variables: z.object({}), description: '停用闭环日历（中断等待中的全部日期）' },
  'progress-report': {
    correlationKey: 'itemKey',
    variables: progressReportMessage,
    description: '主办单位随时报告进展（特殊重大事项，第十三条）；messageId = reportId。',
  },
  'extension-request': {
    correlationKey: 'itemKey',
    variables: extensionRequestMessage,
    description: '主办单位在办理时限届满前申请延期；messageId = requestId。',
  },
  'escalation-ordered': {
    correlationKey: 'itemKey',
    variables: escalationOrderedMessage,
    description: '领导决定对某一督办事项约谈或挂牌督办；messageId = <orderSource>:<itemKey>:<step>。',
  },
};

// ---------------------------------------------------------------------------------------------
// Job types
// ---------------------------------------------------------------------------------------------

export const TASK_TYPES = [
  'load-loop-settings',
  'compute-deadline',
  'send-reminder',
  'send-urge-notice',
  'compute-indicators',
  'draft-assessment-report',
  'approve-assessment-round',
  'start-effectiveness-evaluation',
  'close-assessment-round',
  'issue-risk-notice',
  'deliver-risk-notice',
  'record-work-opinion',
  'record-opinion-review',
  'register-supervision-items',
  'start-supervision-item',
  'generate-meeting-agenda',
  'record-meeting-minutes',
  'open-supervision-item',
  'compute-escalation-dates',
  'issue-supervision-notice',
  'record-item-signed',
  'record-item-result',
  'record-progress-report',
  'record-extension-decision',
  'issue-warning-card',
  'issue-interview-notice',
  'record-interview',
  'record-rectification-report',
  'list-supervision-item',
  'record-listing-report',
  'delist-supervision-item',
  'record-item-review',
  'record-supervision-result',
  'compile-supervision-bulletin',
  'send-supervision-bulletin',
  'record-bulletin-instruction',
  'order-escalation',
  'classify-indicator-outcomes',
  'compute-unit-deductions',
  'publish-evaluation-results',
  'schedule-seminar',
  'record-seminar',
  'compute-next-schedule',
  'publish-scheduled-start',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export interface TaskContract {
  /** The variables the worker reads (a job sees all variables; unknown keys are ignored). */
  input: z.ZodObject;
  /** Exactly the variables the job completes with. */
  output: z.ZodObject;
  description: string;
  /** BPMN error codes the worker may raise; the diagram catches each with a boundary event. */
  errorCodes?: readonly ErrorCode[];
}

const empty = z.object({});
const scheduleKind = z.enum(['round', 'meeting', 'bulletin']);
const subjectKind = z.enum(['round', 'notice', 'item', 'listing', 'meeting', 'bulletin', 'evaluation']);

export const taskContracts: Record<TaskType, TaskContract> = {
  'load-loop-settings': {
    description:
      'First job of every process: writes the working-day counts and cycles from configuration into `settings`, and the option lists the forms need (departments, townships).',
    input: empty,
    output: z.object({ settings, departmentOptions: z.array(option), townshipOptions: z.array(option) }),
  },
  'compute-deadline': {
    description:
      'Adds working days (Chinese holidays and make-up workdays) to `now` and returns the due date-time, optionally with the reminder date before it and the 催办 date after it. ' +
      'Diagrams map `workingDays` (and the two optional counts) from `settings.*` and rename the outputs with output mappings. No effect.',
    input: z.object({
      now,
      workingDays: z.number().int().nonnegative(),
      reminderLeadWorkingDays: z.number().int().nonnegative().optional(),
      urgeAfterWorkingDays: z.number().int().positive().optional(),
    }),
    output: z.object({ dueDate: instant, reminderAt: instant.nullable(), urgeAt: instant.nullable() }),
  },
  'send-reminder': {
    description:
      '临近/到期提醒 by mail and inbox notice to the department or role group. Effect key: <subjectKind>:<subjectId>:<reminderKind>:<dueDate>; ' +
      'skipped (no mail) when the subject is already done or the reminder for that deadline was sent. Runs on non-interrupting timer paths, completes with {}.',
    input: z.object({
      now,
      subjectKind,
      subjectId: id,
      reminderKind: z.enum(['before_due', 'at_due', 'sign', 'review']),
      dueDate: instant,
      recipientDepartmentId: departmentId.optional(),
      recipientGroup: z.string().optional(),
    }),
    output: empty,
  },
  'send-urge-notice': {
    description:
      '到期催办: generates the 《催办通知书》 to the department, cc its 分管领导 (department.leader_email), and records an `urge` escalation event. ' +
      'Effect key: <subjectKind>:<subjectId>:urge:<dueDate>; skipped when the subject was finished on time or already urged for that deadline. Completes with {}.',
    input: z.object({ now, settings, subjectKind: z.enum(['notice', 'item', 'listing']), subjectId: id, departmentId, dueDate: instant }),
    output: empty,
  },
  'compute-indicators': {
    description: 'Computes every active indicator for the round period per township and county-wide (indicator engine). Effect key: roundId.',
    input: z.object({ roundId: id, roundKind, year: z.number().int(), periodStart: localDate, periodEnd: localDate }),
    output: z.object({ indicatorRunId: id, highRiskIndicatorCount: z.number().int().nonnegative(), noticeDepartmentCount: z.number().int().nonnegative() }),
    errorCodes: [ERROR_CODES.noCaseData],
  },
  'draft-assessment-report': {
    description:
      'Drafts the 《基于司法大数据的唐河法院经济社会运行情况评估报告》 from the computed values; each pass is a new revision taking the court notes and the leader comments into account; reportSummary is what the review and approval forms show. Effect key: roundId:revision.',
    input: z.object({
      now,
      roundId: id,
      indicatorRunId: id,
      reportRevision: z.number().int().nonnegative().optional(),
      courtNotes: z.string().nullish(),
      leaderComments: z.string().nullish(),
    }),
    output: z.object({ reportId: id, reportDocumentId: id, reportRevision: z.number().int().positive(), reportSummary, reportLink: z.string() }),
  },
  'approve-assessment-round': {
    description:
      'Marks the round approved by the leader (第七条) and lists the departments that own a high or critical indicator, each with its indicators: one risk notice each. Effect key: roundId.',
    input: z.object({ roundId: id, reportId: id, leaderComments: z.string().nullish() }),
    output: z.object({ noticeRecipients: z.array(noticeRecipient), noticeCount: z.number().int().nonnegative() }),
  },
  'start-effectiveness-evaluation': {
    description:
      'After an annual round is approved: publishes `start-effectiveness-evaluation` with business key String(year) and messageId evaluation:<year> (第十六条). Completes with {}.',
    input: z.object({ roundId: id, year: z.number().int() }),
    output: empty,
  },
  'close-assessment-round': {
    description: 'Closes the round once every risk notice has finished (status closed, trace links). Effect key: roundId.',
    input: z.object({ roundId: id }),
    output: z.object({ roundClosedAt: instant }),
  },
  'issue-risk-notice': {
    description:
      'Records the notice to the department with its due date and allocates its 文号 (唐法风〔year〕N号) in one short transaction, so the department\'s task opens at once; ' +
      'the document itself is laid out by deliver-risk-notice on a parallel path. Effect key: roundId × departmentId (unique). ' +
      'Also returns the notice indicators as options for the opinion form.',
    input: z.object({ now, roundId: id, departmentId, indicatorIds: z.array(id).min(1), noticeKey: id, opinionDueDate: instant }),
    output: z.object({ noticeId: id, noticeNumber: z.string(), noticeIssuedOn: localDate, noticeIndicatorOptions: z.array(option) }),
  },
  'deliver-risk-notice': {
    description:
      'Lays out the numbered 风险提示函 (.docx and PDF) with the department\'s figures, stores it, links it to the notice and mails it (cc 政法委, 平安办) through the outbox. ' +
      'Effect key: the notice key; the 文号 is the one issue-risk-notice allocated.',
    input: z.object({ settings, roundId: id, departmentId, indicatorIds: z.array(id).min(1), noticeKey: id, noticeId: id, noticeIssuedOn: localDate, opinionDueDate: instant }),
    output: z.object({ noticeDocumentId: id, noticeLink: z.string() }),
  },
  'record-work-opinion': {
    description:
      'Stores the submitted 工作意见 as a new version with its measures (owner, responsible department, deadline, targeted indicators and townships), marks it late when submitted after the due date, ' +
      'writes trace links notice → opinion → measure, and returns the office review due date (settings.officeReviewWorkingDays) and the opinion as the review form shows it (opinionSummary). Effect key: noticeId × version.',
    input: z.object({
      now,
      settings,
      noticeId: id,
      opinionDueDate: instant,
      analysis: z.string().min(1),
      problems: z.string().nullish(),
      measures: z.array(measureInput).min(1),
    }),
    output: z.object({ opinionId: id, opinionVersion: z.number().int().positive(), opinionLate: z.boolean(), reviewDueDate: instant, opinionProblems: z.null(), opinionSummary }),
    errorCodes: [ERROR_CODES.opinionInvalid],
  },
  'record-opinion-review': {
    description:
      'Records the office review of the opinion; on return it counts a `returned` escalation event and mails the reason to the department; on accept it marks the notice accepted. Effect key: opinionId.',
    input: z.object({ now, noticeId: id, opinionId: id, reviewDecision: z.enum(['accept', 'return']), reviewReason: z.string().nullish() }),
    output: empty,
  },
  'register-supervision-items': {
    description:
      '工作任务清单, 一事一件 (第十一条): registers one supervision item per accepted measure (sourceKind notice) or per meeting decision (sourceKind meeting). ' +
      'Effect key: item business key measure:<measureId> / decision:<meetingId>:<n> (unique). The diagram maps sourceKind as a constant and sourceId from noticeId or meetingId.',
    input: z.object({ now, sourceKind: z.enum(['notice', 'meeting']), sourceId: id, opinionId: id.optional() }),
    output: z.object({ supervisionItems: z.array(supervisionItemRef) }),
  },
  'start-supervision-item': {
    description:
      'Multi-instance over supervisionItems: publishes `start-supervision-item` with business key = messageId = itemKey and timeToLive 0. Completes with {}.',
    input: z.object({ supervisionItem: supervisionItemRef }),
    output: empty,
  },
  'generate-meeting-agenda': {
    description:
      'Selects the agenda (src/domain/loop/agenda.ts: current high-risk indicators, late or returned opinions, overdue items) and generates the 联席会议议程. Effect key: meetingId.',
    input: z.object({ now, meetingId: id }),
    output: z.object({ agendaDocumentId: id, agendaItemCount: z.number().int().nonnegative(), agendaIndicatorOptions: z.array(option) }),
  },
  'record-meeting-minutes': {
    description:
      'Stores the minutes (第十条: re-assessed risk levels, decisions with prejudged impact, lead and co-units) and generates the 会议纪要. Effect key: meetingId.',
    input: z.object({
      now,
      meetingId: id,
      convenedOn: localDate,
      meetingPlace: z.string().nullish(),
      attendees: z.string().min(1),
      situationSummary: z.string().nullish(),
      riskReassessments: z.array(riskReassessmentInput).default([]),
      decisions: z.array(meetingDecisionInput).default([]),
      minutesSummary: z.string().nullish(),
    }),
    output: z.object({ minutesDocumentId: id, decisionCount: z.number().int().nonnegative() }),
  },
  'open-supervision-item': {
    description: 'Loads the registered item into the instance (登记立项: assigns the 统一编号 on first call, links the process instance). Effect key: itemId.',
    input: z.object({ itemId: id, itemKey: id }),
    output: z.object({
      itemNumber: z.string(),
      itemTitle: z.string(),
      leadDepartmentId: departmentId,
      coDepartmentIds: z.array(departmentId),
      itemDeadline: instant,
      major: z.boolean(),
      signedAt: instant.nullable(),
    }),
  },
  'compute-escalation-dates': {
    description:
      'The escalation ladder of the item from its current deadline and its escalation history (src/domain/loop/escalation.ts escalationSchedule): ' +
      '签收 due, 临近提醒, 到期催办, 黄牌, 红牌. Runs again after every return and every granted extension, so timers re-arm from the real history. No effect.',
    input: z.object({ now, settings, itemId: id, itemDeadline: instant }),
    output: z.object({ signDueDate: instant, reminderAt: instant, urgeAt: instant, yellowCardAt: instant, redCardAt: instant }),
  },
  'issue-supervision-notice': {
    description: 'Generates the 督办事项通知书 to the lead unit, cc the co-units (第十二条), and mails it. Effect key: itemId.',
    input: z.object({ now, itemId: id, itemNumber: z.string(), leadDepartmentId: departmentId, coDepartmentIds: z.array(departmentId), itemDeadline: instant }),
    output: z.object({ supervisionNoticeDocumentId: id }),
  },
  'record-item-signed': {
    description: 'Records the 签收 (回执) of the lead unit with the person in charge. Effect key: itemId.',
    input: z.object({ now, itemId: id, handlerName: z.string().min(1), handlerPhone: z.string().nullish(), responsibleDivision: z.string().nullish() }),
    output: z.object({ signedAt: instant }),
  },
  'record-item-result': {
    description:
      'Stores the lead unit\'s 办理结果 (only the lead unit reports it), whether it came on time, and returns the office review due date. Effect key: itemId × submission number.',
    input: z.object({
      now,
      settings,
      itemId: id,
      itemDeadline: instant,
      resultSummary: z.string().min(1),
      resultEffect: z.string().nullish(),
      remainingIssues: z.string().nullish(),
    }),
    output: z.object({ resultOnTime: z.boolean(), reviewDueDate: instant }),
  },
  'record-progress-report': {
    description: 'Stores a progress report that arrived by the `progress-report` message. Effect key: progressReport.reportId. Completes with {}.',
    input: z.object({ now, itemId: id }).extend(progressReportMessage.shape),
    output: empty,
  },
  'record-extension-decision': {
    description:
      'Records the office and (when the office agreed) leader decisions on an extension request; when both approve, moves the item deadline and records `extension_granted`, else `extension_refused`. ' +
      'Effect key: extensionRequest.requestId.',
    input: z
      .object({
        now,
        itemId: id,
        itemDeadline: instant,
        officeExtensionDecision: z.enum(['approve', 'refuse']),
        officeExtensionOpinion: z.string().nullish(),
        leaderExtensionDecision: z.enum(['approve', 'refuse']).nullish(),
        leaderExtensionOpinion: z.string().nullish(),
      })
      .extend(extensionRequestMessage.shape),
    output: z.object({ extensionGranted: z.boolean(), itemDeadline: instant }),
  },
  'issue-warning-card': {
    description:
      '黄牌 / 红牌 (DOMAIN.md §4.6) when src/domain/loop/escalation.ts says the step is due (still overdue, not already issued for this deadline): records the escalation event, ' +
      'issues the numbered 黄牌/红牌 通报 (唐平警, docx and PDF) to the unit, cc its leader and the 政法委. Effect key: itemId:<cardKind>:<deadline>. The diagram maps cardKind as a constant and renames `escalated` with an output mapping.',
    input: z.object({ now, settings, itemId: id, cardKind: z.enum(['yellow_card', 'red_card']) }),
    output: z.object({ escalated: z.boolean() }),
  },
  'issue-interview-notice': {
    description:
      '约谈通知书 (第十五条, DOMAIN.md §4.4): numbers and issues the notice with the office\'s arrangement (事由, time, place, interviewers, materials), mailed to the unit, cc its leader and ' +
      'the 政法委. A date before the process clock\'s today throws BPMN error interview-arrangement-invalid with arrangementProblems (back to 安排约谈). Effect key: itemId, or orderId in unit-interview ' +
      '(one notice per item or order).',
    input: z.object({
      now,
      settings,
      ...interviewSubject,
      interviewReason: z.string().min(1),
      interviewDate: localDate,
      interviewTime: interviewTime,
      interviewPlace: z.string().min(1),
      interviewers: z.string().min(1),
      interviewMaterials: z.string().nullish(),
    }),
    output: z.object({ interviewNoticeDocumentId: id, interviewNoticeNumber: z.string().min(1), arrangementProblems: z.null() }),
  },
  'record-interview': {
    description:
      '约谈 record (第十五条, DOMAIN.md §4.4): stores the interview with the rectification requirements, generates the 约谈记录, and returns the rectification due date and the date after which an ' +
      'unrectified unit is listed (settings.listingGraceWorkingDays). Effect key: itemId, or orderId in unit-interview (one interview per item or order).',
    input: z.object({
      now,
      settings,
      ...interviewSubject,
      interviewHeldAt: localDate,
      interviewPlace: z.string().min(1),
      interviewers: z.string().min(1),
      interviewees: z.string().min(1),
      interviewProblems: z.string().min(1),
      rectificationRequirements: z.string().min(1),
      rectificationDeadline: localDate.nullish(),
      intervieweeStatement: z.string().min(1),
      listingProposed: z.boolean().nullish(),
    }),
    output: z.object({ interviewId: id, interviewDocumentId: id, rectificationDueDate: instant, listingAt: instant }),
  },
  'record-rectification-report': {
    description: 'Stores the 整改报告 after a 约谈. Effect key: interviewId. Completes with {}.',
    input: z.object({ now, ...interviewSubject, interviewId: id, rectificationReport: z.string().min(1), rectificationCompleted: z.boolean().nullish() }),
    output: empty,
  },
  'list-supervision-item': {
    description:
      '挂牌督办 (DOMAIN.md §4.5): registers the listing with the 限期整改指令书 and its deadline (settings.listingPeriodMonths) unless the item is already listed; a leader\'s listing order names the problem (its reason and evidence), else the item\'s title does. Effect key: itemId (one listing per item).',
    input: z.object({ now, settings, itemId: id, orderedStep: escalationStep.optional(), orderReason: z.enum(orderReasons).optional(), orderEvidence: z.string().optional() }),
    output: z.object({ listingId: id, newlyListed: z.boolean(), listingDueDate: instant, listingPlanDueDate: instant }),
  },
  'record-listing-report': {
    description:
      'Stores a listed unit\'s report: the 五落实 plan, a 月报, or the request for acceptance. The diagram maps reportKind as a constant. Effect key: listingId:<reportKind>:<n>. Completes with {}.',
    input: z.object({
      now,
      itemId: id,
      listingId: id,
      reportKind: z.enum(['plan', 'monthly', 'acceptance_request']),
      caseLeader: z.string().nullish(),
      responsibilityPlan: z.string().nullish(),
      measuresPlan: z.string().nullish(),
      fundingPlan: z.string().nullish(),
      timelinePlan: z.string().nullish(),
      contingencyPlan: z.string().nullish(),
      monthlyProgress: z.string().nullish(),
      monthlyIssues: z.string().nullish(),
      nextSteps: z.string().nullish(),
      rectificationSummary: z.string().nullish(),
    }),
    output: empty,
  },
  'delist-supervision-item': {
    description: '验收合格 → 摘牌销号: records the acceptance and the delisting, publishes the record. Effect key: listingId.',
    input: z.object({
      now,
      itemId: id,
      listingId: id,
      acceptors: z.string().min(1),
      acceptanceDate: localDate,
      acceptanceOpinion: z.string().min(1),
    }),
    output: z.object({ delistedAt: instant }),
  },
  'record-item-review': {
    description:
      'Records the office review of the result (审结 checks, DOMAIN.md §4.6); a return is counted (`returned` event, returned_count + 1) and mailed with the reason. Effect key: itemId × submission number.',
    input: z.object({
      now,
      itemId: id,
      itemReviewDecision: z.enum(['accept', 'return']),
      itemReviewReason: z.string().nullish(),
      itemReviewChecks: z.array(z.string()).nullish(),
    }),
    output: z.object({ returnedCount: z.number().int().nonnegative() }),
  },
  'record-supervision-result': {
    description: 'Closes the item and records what scoring needs (on time or late, returns, escalations) with trace links. Effect key: itemId.',
    input: z.object({ now, itemId: id }),
    output: z.object({ itemClosedAt: instant }),
  },
  'compile-supervision-bulletin': {
    description:
      '督办事项专报 (第十四条, DOMAIN.md §4.3): totals, on-time rate, red/yellow/green by unit, overdue items with reasons, and proposals for 约谈/挂牌 ' +
      '(at most one per item; escalationProposalOptions are {label, value: itemId} for the leader\'s checklist). Each revision takes the office notes. Effect key: bulletinId:revision.',
    input: z.object({
      now,
      bulletinId: id,
      bulletinKind: z.enum(['monthly', 'adhoc']),
      periodStart: localDate.optional(),
      periodEnd: localDate.optional(),
      bulletinRevisionNotes: z.string().nullish(),
    }),
    output: z.object({
      bulletinNumber: z.string(),
      bulletinDocumentId: id,
      escalationProposals: z.array(orderedEscalation),
      escalationProposalOptions: z.array(option),
    }),
  },
  'send-supervision-bulletin': {
    description: 'Sends the 专报 to the 政法委 head and the members of the leading group. Effect key: bulletinId.',
    input: z.object({ now, bulletinId: id }),
    output: z.object({ bulletinSentAt: instant }),
  },
  'record-bulletin-instruction': {
    description:
      'Records the leader\'s 批示 on the 专报 and returns the proposals the leader approved (escalationProposals whose itemId is in approvedProposalIds). Effect key: bulletinId.',
    input: z.object({
      now,
      bulletinId: id,
      escalationProposals: z.array(orderedEscalation),
      leaderInstruction: z.string().nullish(),
      approvedProposalIds: z.array(id).default([]),
    }),
    output: z.object({ orderedEscalations: z.array(orderedEscalation) }),
  },
  'order-escalation': {
    description:
      'Multi-instance over orderedEscalations: publishes `escalation-ordered` (business key itemKey, messageId <bulletinId>:<itemKey>:<step>) with orderedStep, orderedBy, orderSource. Completes with {}.',
    input: z.object({ bulletinId: id, orderedEscalation }),
    output: empty,
  },
  'classify-indicator-outcomes': {
    description:
      'For every indicator × region that was high or critical last year: resolved / improved / unchanged / worse against the county-wide trend (src/domain/loop/outcomes.ts), linked to the measures and items that targeted it. Effect key: evaluationYear.',
    input: z.object({ now, evaluationYear: z.number().int() }),
    output: z.object({
      outcomeCount: z.number().int().nonnegative(),
      resolvedCount: z.number().int().nonnegative(),
      improvedCount: z.number().int().nonnegative(),
      unchangedCount: z.number().int().nonnegative(),
      worseCount: z.number().int().nonnegative(),
    }),
  },
  'compute-unit-deductions': {
    description:
      'Per unit deductions for the year (src/domain/loop/scoring.ts, numbers from configuration; lead unit full, co-units half; each line cites its evidence) and the draft score sheet. ' +
      'Recomputes on every pass, taking the office corrections into account. Effect key: evaluationYear × unit × category × evidence.',
    input: z.object({ now, evaluationYear: z.number().int(), scoreCorrections: z.string().nullish() }),
    output: z.object({ deductionCount: z.number().int().nonnegative(), unitCount: z.number().int().nonnegative(), scoreSheetDraftDocumentId: id }),
  },
  'publish-evaluation-results': {
    description: 'Publishes the annual score sheet (平安建设考核通报, 第十八条) and the public annual report (第十七条). Effect key: evaluationYear.',
    input: z.object({ now, evaluationYear: z.number().int() }),
    output: z.object({ scoreSheetDocumentId: id, publicReportDocumentId: id, publishedAt: instant }),
  },
  'schedule-seminar': {
    description:
      'The 成效研讨会 (第十七条): recorded with its experts, the 研讨会邀请函 (docx and PDF) mailed to each expert and the county\'s leadership; returns when the seminar ends (the timer before ' +
      '记录研讨会), the record\'s due date and the experts as the record form\'s options. Effect key: evaluationYear.',
    input: z.object({
      now,
      settings,
      evaluationYear: z.number().int(),
      seminarDate: localDate,
      seminarVenue: z.string().min(1),
      seminarTopics: z.string().nullish(),
      seminarExperts: z.array(seminarExpert).min(1),
    }),
    output: z.object({ seminarScheduledOn: localDate, seminarEndsAt: instant, seminarRecordDueDate: instant, seminarExpertOptions: z.array(z.object({ label: z.string(), value: z.string() })) }),
  },
  'record-seminar': {
    description: 'The seminar held: who attended, its conclusions and recommendations, kept with the year\'s evaluation (第十七条) and audited. Effect key: evaluationYear.',
    input: z.object({
      evaluationYear: z.number().int(),
      seminarAttended: z.array(z.string()).nullish(),
      seminarOtherAttendees: z.string().nullish(),
      seminarConclusions: z.string().min(1),
      seminarRecommendations: z.string().nullish(),
    }),
    output: z.object({}),
  },
  'compute-next-schedule': {
    description:
      'loop-calendar: the next occurrence of a schedule after the engine clock (src/domain/loop/calendar.ts, dates from configuration) with the business id and start variables of the process it starts; ' +
      'nextAt is null when LOOP_CALENDAR_ENABLED is false, which ends that branch. ' +
      'The diagram maps scheduleKind as a constant and renames the outputs per branch with output mappings. No effect.',
    input: z.object({ now, scheduleKind }),
    output: z.object({ nextAt: instant.nullable(), businessId: id.nullable(), startVariables: z.record(z.string(), z.unknown()).nullable() }),
  },
  'publish-scheduled-start': {
    description:
      'loop-calendar: publishes the start message of the occurrence (business key = messageId = businessId, timeToLive 0) unless that round, meeting or bulletin already exists (started by hand). ' +
      'Effect key: scheduleKind:businessId (ledger scheduled_start). Completes with {}.',
    input: z.object({ scheduleKind, businessId: id, startVariables: z.record(z.string(), z.unknown()) }),
    output: empty,
  },
};

// ---------------------------------------------------------------------------------------------
// Forms (Camunda Forms in bpmn/*.form) and the variables their completion sets
// ---------------------------------------------------------------------------------------------

export const FORM_IDS = [
  'assessment-supplement-data',
  'assessment-court-review',
  'assessment-leader-approval',
  'risk-notice-opinion',
  'risk-notice-review',
  'joint-meeting-minutes',
  'supervision-sign',
  'supervision-result',
  'supervision-extension-review',
  'supervision-review',
  'supervision-interview-arrangement',
  'supervision-interview',
  'supervision-rectification-report',
  'listing-plan',
  'listing-rectification',
  'listing-monthly-report',
  'listing-acceptance',
  'bulletin-review',
  'bulletin-instruction',
  'evaluation-confirm',
  'evaluation-seminar',
  'evaluation-seminar-record',
] as const;
export type FormId = (typeof FORM_IDS)[number];

export interface FormContract {
  /** The variables a completion of the task sets (what the form submits). */
  output: z.ZodObject;
  description: string;
}

/**
 * The most a form's text field takes (each form's `validate.maxLength`, held equal by the contract test): a String
 * variable is one column of the engine's tables, varchar(4000), so a longer answer would fail in the engine itself.
 */
export const FORM_TEXT_LIMIT = 2000;
const tooLong = `不能超过 ${FORM_TEXT_LIMIT} 字`;
const text = z.string().min(1).max(FORM_TEXT_LIMIT, tooLong);
const optionalText = z.string().max(FORM_TEXT_LIMIT, tooLong).nullish();

export const formContracts: Record<FormId, FormContract> = {
  'assessment-supplement-data': { description: '法院补充导入案件数据', output: z.object({ supplementNote: text }) },
  'assessment-court-review': {
    description: '法院审核评估报告',
    output: z.object({ courtDecision: z.enum(['submit', 'recompute']), courtNotes: optionalText }),
  },
  'assessment-leader-approval': {
    description: '领导审批评估报告并决定发出风险提示函',
    output: z.object({ leaderDecision: z.enum(['approve', 'return']), leaderComments: optionalText }),
  },
  'risk-notice-opinion': {
    description: '部门分析研判并提交工作意见（第八条）',
    output: z.object({ analysis: text, problems: optionalText, measures: z.array(measureInput).min(1) }),
  },
  'risk-notice-review': {
    description: '平安办审核工作意见',
    output: z.object({ reviewDecision: z.enum(['accept', 'return']), reviewReason: optionalText }),
  },
  'joint-meeting-minutes': {
    description: '召集人记录联席会议纪要（第十条）',
    output: z.object({
      convenedOn: localDate,
      meetingPlace: optionalText,
      attendees: text,
      situationSummary: optionalText,
      riskReassessments: z.array(riskReassessmentInput).default([]),
      decisions: z.array(meetingDecisionInput).default([]),
      minutesSummary: optionalText,
    }),
  },
  'supervision-sign': {
    description: '主办单位签收督办事项通知书',
    output: z.object({ signConfirmed: z.literal(true), handlerName: text, handlerPhone: optionalText, responsibleDivision: optionalText }),
  },
  'supervision-result': {
    description: '主办单位办理并报送办理结果',
    output: z.object({ resultSummary: text, resultEffect: optionalText, remainingIssues: optionalText, formalReportConfirmed: z.literal(true) }),
  },
  'supervision-extension-review': {
    description: '审核延期申请（平安办审核、领导审批共用）',
    output: z.object({ extensionDecision: z.enum(['approve', 'refuse']), extensionOpinion: text }),
  },
  'supervision-review': {
    description: '平安办审核办理结果',
    output: z.object({
      itemReviewDecision: z.enum(['accept', 'return']),
      itemReviewReason: optionalText,
      itemReviewChecks: z.array(z.string()).nullish(),
    }),
  },
  'supervision-interview-arrangement': {
    description: '安排约谈并发出约谈通知书（第十五条）',
    output: z.object({
      interviewReason: text,
      interviewDate: localDate,
      interviewTime,
      interviewPlace: text,
      interviewers: text,
      interviewMaterials: optionalText,
    }),
  },
  'supervision-interview': {
    description: '约谈被督办单位主要负责人并记录整改要求（第十五条）',
    output: z.object({
      interviewHeldAt: localDate,
      interviewPlace: text,
      interviewers: text,
      interviewees: text,
      interviewProblems: text,
      rectificationRequirements: text,
      rectificationDeadline: localDate.nullish(),
      intervieweeStatement: text,
      listingProposed: z.boolean().nullish(),
    }),
  },
  'supervision-rectification-report': {
    description: '被约谈单位提交整改报告',
    output: z.object({ rectificationReport: text, rectificationCompleted: z.boolean().nullish() }),
  },
  'listing-plan': {
    description: '挂牌单位制定“五落实”整改方案',
    output: z.object({
      caseLeader: text,
      responsibilityPlan: text,
      measuresPlan: text,
      fundingPlan: text,
      timelinePlan: text,
      contingencyPlan: text,
    }),
  },
  'listing-rectification': {
    description: '挂牌单位整改并申请验收',
    output: z.object({ rectificationSummary: text, acceptanceRequested: z.literal(true) }),
  },
  'listing-monthly-report': {
    description: '挂牌单位报送月度整改进展',
    output: z.object({ monthlyProgress: text, monthlyIssues: optionalText, nextSteps: optionalText }),
  },
  'listing-acceptance': {
    description: '平安办组织验收',
    output: z.object({ acceptancePassed: z.enum(['pass', 'fail']), acceptors: text, acceptanceDate: localDate, acceptanceOpinion: text }),
  },
  'bulletin-review': {
    description: '平安办审核督办事项专报',
    output: z.object({ bulletinDecision: z.enum(['send', 'revise']), bulletinRevisionNotes: optionalText }),
  },
  'bulletin-instruction': {
    description: '领导阅示督办事项专报',
    output: z.object({ leaderInstruction: optionalText, approvedProposalIds: z.array(z.string()).nullish() }),
  },
  'evaluation-confirm': {
    description: '平安办确认年度考核扣分表',
    output: z.object({ scoreSheetDecision: z.enum(['confirm', 'recompute']), scoreCorrections: optionalText }),
  },
  'evaluation-seminar': {
    description: '安排成效研讨会（第十七条）',
    output: z.object({ seminarDate: localDate, seminarVenue: text, seminarTopics: optionalText, seminarExperts: z.array(seminarExpert).min(1) }),
  },
  'evaluation-seminar-record': {
    description: '记录成效研讨会（第十七条）',
    output: z.object({ seminarAttended: z.array(z.string()).nullish(), seminarOtherAttendees: optionalText, seminarConclusions: text, seminarRecommendations: optionalText }),
  },
};
