import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Each user's TOTP secret at rest (table user_totp): sealed, never in clear in the database or its backups. */

// The sealing key is derived from the personal-data key, a secret that is never in the database: a stolen
// dump or backup of the database alone does not give anybody's second factor.
const sealingKey = (masterKey: string) => Buffer.from(hkdfSync('sha256', masterKey, 'risk-loop', 'user-totp-secret v1', 32));

/** AES-256-GCM with the user's id as associated data: a sealed secret copied onto another user does not open. */
export function sealTotpSecret(secretBase32: string, userId: string, masterKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(masterKey), iv);
  cipher.setAAD(Buffer.from(userId));
  const sealed = Buffer.concat([cipher.update(secretBase32, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), sealed].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
}

/** The secret, or an error when the text was changed, belongs to another user or was sealed with another key. */
export function openTotpSecret(sealed: string, userId: string, masterKey: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || !body) throw new Error('not a sealed TOTP secret');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(masterKey), Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(userId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
