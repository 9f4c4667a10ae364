/**
 * Official documents as pure functions: input (plain objects from the database) → neutral
 * `OfficialDocument`. Rendering to .docx/PDF lives in `src/documents/`.
 */
export * from './model.ts';
export * from './format.ts';
export * from './inputs.ts';
export * from './document-number.ts';
export * from './privacy.ts';
export * from './figures.ts';
export * from './titles.ts';
export * from './plain-text.ts';
export { buildRiskNotice, type RiskNoticeInput } from './risk-notice.ts';
export { buildAssessmentReport, countChange, outcomeBlocks, type AssessmentReportInput } from './assessment-report.ts';
export { buildTopicReport, type TopicIndicator, type TopicReportInput } from './topic-report.ts';
export type { DataQuality } from './data-quality.ts';
export { buildSupervisionNotice, sourceText, type SupervisionNoticeInput, type SupervisionItemFacts } from './supervision-notice.ts';
export { buildUrgeNotice, type UrgeNoticeInput, type UrgeSubject } from './urge-notice.ts';
export { buildWarningCard, type WarningCardInput } from './warning-card.ts';
export { buildSupervisionBulletin, onTimeRate, type BulletinInput, type BulletinUnitRow } from './supervision-bulletin.ts';
export { buildInterviewNotice, buildInterviewRecord, type InterviewNoticeInput, type InterviewRecordInput, type Participant } from './interview.ts';
export { buildListingNotice, buildListingRecord, buildRectificationOrder, type ListingNoticeInput, listingStatus, withinOneYear, type FiveImplementations, type ListingRecordInput, type RectificationOrderInput } from './listing.ts';
export { buildMeetingAgenda, buildMeetingMinutes, type MeetingAgendaInput, type MeetingDecision, type MeetingMinutesInput } from './joint-meeting.ts';
export { buildScoreSheet, unitScores, type ScoreCategory, type ScoreSheetInput, type UnitScore } from './score-sheet.ts';
export { buildPublicReport, type PublicReportInput } from './public-report.ts';
export { buildSeminarInvitation, type SeminarInvitationInput } from './seminar-invitation.ts';
