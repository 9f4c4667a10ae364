import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A secret kept in the state folder (mode 0600), generated on first use and stable across
 * restarts; never written to the database or the log.
 */
export async function stateSecretFile(stateDir: string, name: string, bytes = 32): Promise<string> {
  const file = path.resolve(stateDir, 'secrets', name);
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const value = randomBytes(bytes).toString('base64url');
  await writeFile(file, value, { mode: 0o600 });
  return value;
}

/**
 * The personal-data key (PERSONAL_DATA_HMAC_KEY, else generated into the state folder; never in the database):
 * it keys the defendants' HMAC and seals the users' second-factor secrets.
 */
export const personalDataKey = (c: { PERSONAL_DATA_HMAC_KEY?: string | undefined; STATE_DIR: string }): Promise<string> =>
  c.PERSONAL_DATA_HMAC_KEY ? Promise.resolve(c.PERSONAL_DATA_HMAC_KEY) : stateSecretFile(c.STATE_DIR, 'personal-data-hmac-key');
