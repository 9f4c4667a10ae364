import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { DEFAULT_SCORING_RULES } from '../../src/domain/loop/scoring.ts';
import { defaultLoopSettings } from '../../src/engine/contract.ts';
import { loopSettingsFrom, scoringRulesFrom } from '../../src/services/loop/settings.ts';

describe('configuration', () => {
  it('when nothing is set, then the embedded defaults apply', () => {
    const config = loadConfig({});
    expect(config.HTTP_PORT).toBe(3000);
    expect(config.REMINDER_LEAD).toBe('P3D');
    expect(config.ENGINE_REST_ADDRESS).toBe('http://127.0.0.1:8080');
    expect(config.ENGINE_CLOCK_CONTROLLED).toBe(false);
  });

  it('when a key is invalid, then the start fails naming the key and the reason', () => {
    expect(() => loadConfig({ HTTP_PORT: 'eighty', REMINDER_LEAD: '3 days' })).toThrow(ConfigError);
    try {
      loadConfig({ HTTP_PORT: 'eighty', REMINDER_LEAD: '3 days' });
    } catch (error) {
      expect((error as Error).message).toMatch(/HTTP_PORT/);
      expect((error as Error).message).toMatch(/REMINDER_LEAD: must be an ISO-8601 duration/);
    }
  });

  it('when the engine address is not a URL, then it is refused naming the key', () => {
    expect(() => loadConfig({ ENGINE_REST_ADDRESS: '127.0.0.1:8080' })).toThrow(/ENGINE_REST_ADDRESS/);
  });

  it('when production asks for the test clock, then the start is refused naming the key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', ENGINE_CLOCK_CONTROLLED: 'true' })).toThrow(/ENGINE_CLOCK_CONTROLLED: must be false in production/);
    expect(loadConfig({ NODE_ENV: 'test', ENGINE_CLOCK_CONTROLLED: 'true' }).ENGINE_CLOCK_CONTROLLED).toBe(true);
  });

  it('when the ladder and the scoring are overridden, then the loop and the evaluation use the new numbers and keep the other defaults', () => {
    const config = loadConfig({
      LOOP_SETTINGS: '{"yellowCardAfterUrgeWorkingDays":3,"signWorkingDays":1}',
      SCORING_RULES: '{"coUnitFactor":0.25,"categories":{"interview":{"points":4}}}',
    });
    expect(loopSettingsFrom(config)).toEqual({ ...defaultLoopSettings, yellowCardAfterUrgeWorkingDays: 3, signWorkingDays: 1 });
    const rules = scoringRulesFrom(config);
    expect(rules.coUnitFactor).toBe(0.25);
    expect(rules.categories.interview).toEqual({ ...DEFAULT_SCORING_RULES.categories.interview, points: 4 });
    expect(rules.categories.returned).toEqual(DEFAULT_SCORING_RULES.categories.returned);
  });

  it('when an override is not JSON, names an unknown key or a bad number, then the start fails naming it', () => {
    expect(() => loadConfig({ LOOP_SETTINGS: 'yellow=3' })).toThrow(/LOOP_SETTINGS: must be a JSON object/);
    expect(() => loadConfig({ LOOP_SETTINGS: '{"yellowCards":3}' })).toThrow(/LOOP_SETTINGS/);
    expect(() => loadConfig({ SCORING_RULES: '{"categories":{"interview":{"points":-1}}}' })).toThrow(/SCORING_RULES: categories\.interview\.points/);
  });
});
