import approveAssessmentRound from './approve-assessment-round.ts';
import closeAssessmentRound from './close-assessment-round.ts';
import computeIndicators from './compute-indicators.ts';
import draftAssessmentReport from './draft-assessment-report.ts';
import startEffectivenessEvaluation from './start-effectiveness-evaluation.ts';
import issueRiskNotice from './issue-risk-notice.ts';
import deliverRiskNotice from './deliver-risk-notice.ts';
import recordWorkOpinion from './record-work-opinion.ts';
import recordOpinionReview from './record-opinion-review.ts';
import registerSupervisionItems from './register-supervision-items.ts';
import startSupervisionItem from './start-supervision-item.ts';
import openSupervisionItem from './open-supervision-item.ts';
import computeEscalationDates from './compute-escalation-dates.ts';
import issueSupervisionNotice from './issue-supervision-notice.ts';
import recordItemSigned from './record-item-signed.ts';
import recordItemResult from './record-item-result.ts';
import recordProgressReport from './record-progress-report.ts';
import recordExtensionDecision from './record-extension-decision.ts';
import issueWarningCard from './issue-warning-card.ts';
import issueInterviewNotice from './issue-interview-notice.ts';
import recordInterview from './record-interview.ts';
import recordRectificationReport from './record-rectification-report.ts';
import listSupervisionItem from './list-supervision-item.ts';
import recordListingReport from './record-listing-report.ts';
import delistSupervisionItem from './delist-supervision-item.ts';
import recordItemReview from './record-item-review.ts';
import recordSupervisionResult from './record-supervision-result.ts';
import generateMeetingAgenda from './generate-meeting-agenda.ts';
import recordMeetingMinutes from './record-meeting-minutes.ts';
import compileSupervisionBulletin from './compile-supervision-bulletin.ts';
import sendSupervisionBulletin from './send-supervision-bulletin.ts';
import recordBulletinInstruction from './record-bulletin-instruction.ts';
import orderEscalation from './order-escalation.ts';
import classifyIndicatorOutcomes from './classify-indicator-outcomes.ts';
import computeUnitDeductions from './compute-unit-deductions.ts';
import publishEvaluationResults from './publish-evaluation-results.ts';
import scheduleSeminar from './schedule-seminar.ts';
import recordSeminar from './record-seminar.ts';
import computeDeadline from './compute-deadline.ts';
import computeNextSchedule from './compute-next-schedule.ts';
import loadLoopSettings from './load-loop-settings.ts';
import publishScheduledStart from './publish-scheduled-start.ts';
import sendReminder from './send-reminder.ts';
import sendUrgeNotice from './send-urge-notice.ts';
import type { RegisteredWorker } from './runtime/define-worker.ts';

/** The only list of job workers; tests check it against the task types used in bpmn/. */
export const workerDefinitions: readonly RegisteredWorker[] = [
  computeDeadline,
  loadLoopSettings,
  sendReminder,
  sendUrgeNotice,
  computeNextSchedule,
  publishScheduledStart,
  computeIndicators,
  draftAssessmentReport,
  approveAssessmentRound,
  closeAssessmentRound,
  startEffectivenessEvaluation,
  issueRiskNotice,
  deliverRiskNotice,
  recordWorkOpinion,
  recordOpinionReview,
  registerSupervisionItems,
  startSupervisionItem,
  openSupervisionItem,
  computeEscalationDates,
  issueSupervisionNotice,
  recordItemSigned,
  recordItemResult,
  recordProgressReport,
  recordExtensionDecision,
  issueWarningCard,
  issueInterviewNotice,
  recordInterview,
  recordRectificationReport,
  listSupervisionItem,
  recordListingReport,
  delistSupervisionItem,
  recordItemReview,
  recordSupervisionResult,
  generateMeetingAgenda,
  recordMeetingMinutes,
  compileSupervisionBulletin,
  sendSupervisionBulletin,
  recordBulletinInstruction,
  orderEscalation,
  classifyIndicatorOutcomes,
  computeUnitDeductions,
  publishEvaluationResults,
  scheduleSeminar,
  recordSeminar,
];
