import { Secret, TOTP } from 'otpauth';

/**
 * Time-based one-time codes (RFC 6238: SHA-1, 6 digits, 30 s — what every authenticator app reads from a
 * QR code) as the second factor of ASVS 6.3.3.
 */
export const TOTP_ISSUER = '唐河县社会治理风险闭环管理平台';
const PERIOD_SECONDS = 30;
/** One step either side of now: a phone's clock a little off, or a code typed as it turned. */
const WINDOW_STEPS = 1;

const totp = (secretBase32: string, label = '') =>
  new TOTP({ issuer: TOTP_ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });

/** A new 160-bit secret (RFC 4226's recommended length), base32 as authenticator apps take it typed in. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The otpauth:// address an authenticator app reads from the QR code. */
export const totpUri = (secretBase32: string, username: string): string => totp(secretBase32, username).toString();

/** The code for a moment (what the user's app shows then). */
export const totpCode = (secretBase32: string, at: number): string => totp(secretBase32).generate({ timestamp: at });

/**
 * The time step a code belongs to, if it is valid at `now` within the window; undefined otherwise. The caller
 * accepts a step only once and only after the last one accepted (RFC 6238 §5.2: no replay).
 */
export function matchingStep(secretBase32: string, code: string, now: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totp(secretBase32).validate({ token: code, timestamp: now, window: WINDOW_STEPS });
  return delta === null ? undefined : Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
}
