import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';
import { mfaRoles } from '../../src/config/schema.ts';
import { DEFAULT_SCORING_RULES } from '../../src/domain/loop/scoring.ts';
import { defaultLoopSettings } from '../../src/engine/contract.ts';
import { loopSettingsFrom, scoringRulesFrom } from '../../src/services/loop/settings.ts';
import { productionEnv } from '../support/production-env.ts';

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

  it('when production is configured with every key it requires, then it loads', () => {
    const config = loadConfig(productionEnv);
    expect(config.NODE_ENV).toBe('production');
    expect(config.TRUST_PROXY).toEqual(['loopback']);
    expect(loadConfig({ ...productionEnv, TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,::1,fd00::/8' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8']);
  });

  it('when MFA_ROLES is not set, then administrators and leaders give a second factor in production and nobody elsewhere; a list set is taken as given', () => {
    expect(mfaRoles(loadConfig(productionEnv))).toEqual(['admin', 'leader']);
    expect(mfaRoles(loadConfig({}))).toEqual([]);
    expect(mfaRoles(loadConfig({ ...productionEnv, MFA_ROLES: 'admin, leader,peace_office' }))).toEqual(['admin', 'leader', 'peace_office']);
    expect(refusedKeys({ MFA_ROLES: 'admin,emperor' })).toEqual({ MFA_ROLES: expect.stringContaining('emperor') });
  });

  /** The keys a refusal names: "Invalid configuration:\n  KEY: reason" per line. */
  const refusedKeys = (env: Record<string, string | undefined>) => {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return Object.fromEntries([...(error as Error).message.matchAll(/^ {2}([A-Z0-9_]+): (.*)$/gm)].map((m) => [m[1], m[2]]));
    }
    return {};
  };

  it.each([
    ['the test clock switch', { ENGINE_CLOCK_CONTROLLED: 'true' }, 'ENGINE_CLOCK_CONTROLLED', /must be false in production/],
    ['demo seeding asked for', { DEMO_SEED: 'true' }, 'DEMO_SEED', /must be false in production/],
    ['demo seeding left at its default', { DEMO_SEED: undefined }, 'DEMO_SEED', /must be false in production/],
    ['no mail relay (the development mail catcher)', { SMTP_URL: undefined }, 'SMTP_URL', /must be set in production .*mail catcher/],
    ['no session secret', { SESSION_SECRET: undefined }, 'SESSION_SECRET', /must be set in production/],
    ['a session secret from an example', { SESSION_SECRET: 'please-change-me-please-change-me-1234567' }, 'SESSION_SECRET', /placeholder or default/],
    ['the test harness\'s session secret', { SESSION_SECRET: 'test-secret-test-secret-test-secret-000' }, 'SESSION_SECRET', /placeholder or default/],
    ['a session secret of few characters', { SESSION_SECRET: 'ab'.repeat(24) }, 'SESSION_SECRET', /placeholder or default/],
    ['no personal-data HMAC key', { PERSONAL_DATA_HMAC_KEY: undefined }, 'PERSONAL_DATA_HMAC_KEY', /must be set in production/],
    ['a default HMAC key', { PERSONAL_DATA_HMAC_KEY: 'default-hmac-key-0123456789' }, 'PERSONAL_DATA_HMAC_KEY', /placeholder or default/],
    ['no HTTPS proxy to trust', { TRUST_PROXY: undefined }, 'TRUST_PROXY', /must be set in production/],
    ['a proxy that is no address', { TRUST_PROXY: 'everyone' }, 'TRUST_PROXY', /"everyone" is none of/],
    ['a subnet too wide to exist', { TRUST_PROXY: 'loopback,10.0.0.0/33' }, 'TRUST_PROXY', /"10\.0\.0\.0\/33" is none of/],
    ['a second factor not asked of administrators', { MFA_ROLES: 'leader' }, 'MFA_ROLES', /^must include admin in production/],
    ['plain-text mail to a relay off this machine', { SMTP_REQUIRE_TLS: 'false' }, 'SMTP_REQUIRE_TLS', /^must not be false in production for an SMTP server off this machine/],
  ])('when production has %s, then the start is refused naming that key alone', (_case, change, key, reason) => {
    expect(refusedKeys({ ...productionEnv, ...change })).toEqual({ [key]: expect.stringMatching(reason) });
  });

  it('when production sends without required TLS only to a relay on this machine or over smtps, then it loads', () => {
    expect(loadConfig({ ...productionEnv, SMTP_URL: 'smtp://127.0.0.1:25', SMTP_REQUIRE_TLS: 'false' }).SMTP_REQUIRE_TLS).toBe(false);
    expect(loadConfig({ ...productionEnv, SMTP_URL: 'smtp://[::1]:25', SMTP_REQUIRE_TLS: 'false' }).SMTP_REQUIRE_TLS).toBe(false);
    expect(loadConfig({ ...productionEnv, SMTP_URL: 'smtps://relay.tanghe.gov.example:465', SMTP_REQUIRE_TLS: 'false' }).SMTP_URL).toBe('smtps://relay.tanghe.gov.example:465');
    // Left unset, TLS is required by default: nothing to refuse.
    expect(loadConfig(productionEnv).SMTP_REQUIRE_TLS).toBeUndefined();
  });

  it('when SMTP_URL is no smtp URL or SMTP_CA_FILE holds no certificate, then the start fails naming the key and the reason', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'risk-loop-config-'));
    try {
      const notPem = path.join(dir, 'ca.txt');
      await writeFile(notPem, 'not a certificate\n');
      const brokenPem = path.join(dir, 'broken.pem');
      await writeFile(brokenPem, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
      expect(refusedKeys({ SMTP_URL: 'mail.tanghe.gov.example:587' })).toEqual({ SMTP_URL: 'must be an smtp:// or smtps:// URL such as smtp://user:password@mail.example:587' });
      expect(refusedKeys({ SMTP_URL: 'https://mail.tanghe.gov.example' })).toEqual({ SMTP_URL: 'must be an smtp:// or smtps:// URL such as smtp://user:password@mail.example:587' });
      expect(refusedKeys({ SMTP_CA_FILE: path.join(dir, 'missing.pem') })).toEqual({ SMTP_CA_FILE: 'cannot be read (ENOENT)' });
      expect(refusedKeys({ SMTP_CA_FILE: notPem })).toEqual({ SMTP_CA_FILE: 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)' });
      expect(refusedKeys({ SMTP_CA_FILE: brokenPem })).toEqual({ SMTP_CA_FILE: 'certificate 1 of the file is not a valid X.509 certificate' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('when production is started with nothing set, then one refusal names every missing key', () => {
    expect(Object.keys(refusedKeys({ NODE_ENV: 'production' })).sort()).toEqual(['DEMO_SEED', 'PERSONAL_DATA_HMAC_KEY', 'SESSION_SECRET', 'SMTP_URL', 'TRUST_PROXY']);
    // Outside production the same keys have development defaults, the test clock included.
    expect(refusedKeys({ NODE_ENV: 'test', ENGINE_CLOCK_CONTROLLED: 'true' })).toEqual({});
  });

  it.each(['src/main/all.ts', 'src/main/api.ts', 'src/main/workers.ts'])(
    'when %s starts in production without its keys, then it exits before touching anything, naming each key',
    async (entry) => {
      // Were the refusal gone, every root would fail on these unreachable addresses instead, not start anything.
      const env = { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none', ENGINE_MANAGED: 'false', ENGINE_REST_ADDRESS: 'http://127.0.0.1:9', SESSION_SECRET: 'change-me-change-me-change-me-change-me' };
      const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expect(code).toBe(1);
      expect(stderr).toMatch(/ConfigError: Invalid configuration/);
      for (const key of ['DEMO_SEED', 'SMTP_URL', 'TRUST_PROXY', 'PERSONAL_DATA_HMAC_KEY']) expect(stderr).toMatch(new RegExp(`^  ${key}: must`, 'm'));
      expect(stderr).toMatch(/^ {2}SESSION_SECRET: is a placeholder/m);
    },
    30_000,
  );

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
