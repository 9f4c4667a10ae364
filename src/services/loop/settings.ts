import type { Config } from '../../config/schema.ts';
import { DEFAULT_PROMPT_LINES, type PromptLines } from '../../domain/loop/escalation-orders.ts';
import { DEFAULT_SCORING_RULES, type ScoringCategory, type ScoringRules } from '../../domain/loop/scoring.ts';
import { defaultLoopSettings, type LoopSettings } from '../../engine/contract.ts';

/** The working-day counts and cycles every diagram loads at its start: shipped defaults, then configuration. */
export function loopSettingsFrom(config: Config): LoopSettings {
  return { ...defaultLoopSettings, noticeFeedbackWorkingDays: config.NOTICE_FEEDBACK_WORKING_DAYS, ...config.LOOP_SETTINGS };
}

/** The annual scoring rules: DOMAIN.md §4.6 defaults, then what configuration overrides. */
export function scoringRulesFrom(config: Config): ScoringRules {
  const overrides = config.SCORING_RULES ?? {};
  const categories = { ...DEFAULT_SCORING_RULES.categories };
  for (const [key, rule] of Object.entries(overrides.categories ?? {})) {
    const category = key as ScoringCategory;
    categories[category] = { ...categories[category], ...rule };
  }
  return {
    baseScore: overrides.baseScore ?? DEFAULT_SCORING_RULES.baseScore,
    coUnitFactor: overrides.coUnitFactor ?? DEFAULT_SCORING_RULES.coUnitFactor,
    categories,
  };
}

/** The lines of the 约谈/挂牌 prompts: defaults, then configuration. */
export function promptLinesFrom(config: Config): PromptLines {
  return { ...DEFAULT_PROMPT_LINES, ...config.ESCALATION_PROMPT_LINES };
}
