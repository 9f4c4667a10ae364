import type { Config } from '../../config/schema.ts';
import { defaultLoopSettings, type LoopSettings } from '../../engine/contract.ts';

/** The working-day counts and cycles every diagram loads at its start, from configuration. */
export function loopSettingsFrom(config: Config): LoopSettings {
  return { ...defaultLoopSettings, noticeFeedbackWorkingDays: config.NOTICE_FEEDBACK_WORKING_DAYS };
}
