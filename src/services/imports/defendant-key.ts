import { createHmac } from 'node:crypto';

/** DOMAIN.md §5 rule 2: the keyed HMAC of the normalised name and ID number; the raw values are discarded by the caller. */
export function defendantKey(secret: string, name: string, idNumber: string): string {
  const normalised = `${name.replace(/\s+/g, '')}|${idNumber.replace(/\s+/g, '').toUpperCase()}`;
  return `dk-${createHmac('sha256', secret).update(normalised).digest('hex').slice(0, 32)}`;
}
