import { describe, expect, it } from 'vitest';
import { matchingStep, newTotpSecret, totpCode, totpUri } from '../../src/domain/identity/totp.ts';
import { openTotpSecret, sealTotpSecret } from '../../src/services/totp-sealing.ts';

// RFC 6238 appendix B's SHA-1 secret ("12345678901234567890") in base32, and its published codes (last 6 digits).
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP second factor', () => {
  it('when the RFC 6238 test vectors are computed, then the codes are the published ones', () => {
    expect(totpCode(RFC_SECRET, 59_000)).toBe('287082');
    expect(totpCode(RFC_SECRET, 1_111_111_109_000)).toBe('081804');
    expect(totpCode(RFC_SECRET, 2_000_000_000_000)).toBe('279037');
  });

  it('when a code is checked, then it matches its own step and one step either side, and nothing further or malformed', () => {
    const now = 1_800_000_015_000; // step 60,000,000, 15 s into it
    const step = 60_000_000;
    expect(matchingStep(RFC_SECRET, totpCode(RFC_SECRET, now), now)).toBe(step);
    expect(matchingStep(RFC_SECRET, totpCode(RFC_SECRET, now - 30_000), now)).toBe(step - 1);
    expect(matchingStep(RFC_SECRET, totpCode(RFC_SECRET, now + 30_000), now)).toBe(step + 1);
    expect(matchingStep(RFC_SECRET, totpCode(RFC_SECRET, now - 60_000), now)).toBeUndefined();
    expect(matchingStep(RFC_SECRET, totpCode(RFC_SECRET, now + 60_000), now)).toBeUndefined();
    expect(matchingStep(RFC_SECRET, ' 12345', now)).toBeUndefined();
    expect(matchingStep(RFC_SECRET, '1234567', now)).toBeUndefined();
  });

  it('when a secret is made, then it is 160 bits of base32 and its address names the product and the user', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = new URL(totpUri(secret, 'zhang.wei'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/唐河县社会治理风险闭环管理平台:zhang.wei');
    expect(Object.fromEntries(uri.searchParams)).toEqual({ issuer: '唐河县社会治理风险闭环管理平台', secret, algorithm: 'SHA1', digits: '6', period: '30' });
  });

  it('when a secret is sealed, then it opens only for its own user under the same key and not after a change', () => {
    const user = '6f1d2c3b-0000-4000-8000-000000000001';
    const sealed = sealTotpSecret(RFC_SECRET, user, 'master-key-of-this-county');
    expect(sealed).not.toContain(RFC_SECRET);
    expect(openTotpSecret(sealed, user, 'master-key-of-this-county')).toBe(RFC_SECRET);
    expect(() => openTotpSecret(sealed, '6f1d2c3b-0000-4000-8000-000000000002', 'master-key-of-this-county')).toThrow();
    expect(() => openTotpSecret(sealed, user, 'another-key')).toThrow();
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = `${v}.${iv}.${tag}.${body!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`;
    expect(() => openTotpSecret(flipped, user, 'master-key-of-this-county')).toThrow();
  });
});
