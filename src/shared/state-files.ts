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
