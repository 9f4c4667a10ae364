import approveAssessmentRound from './approve-assessment-round.ts';
import closeAssessmentRound from './close-assessment-round.ts';
import computeIndicators from './compute-indicators.ts';
import draftAssessmentReport from './draft-assessment-report.ts';
import startEffectivenessEvaluation from './start-effectiveness-evaluation.ts';
import issueRiskNotice from './issue-risk-notice.ts';
import recordWorkOpinion from './record-work-opinion.ts';
import recordOpinionReview from './record-opinion-review.ts';
import registerSupervisionItems from './register-supervision-items.ts';
import startSupervisionItem from './start-supervision-item.ts';
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
  recordWorkOpinion,
  recordOpinionReview,
  registerSupervisionItems,
  startSupervisionItem,
];
