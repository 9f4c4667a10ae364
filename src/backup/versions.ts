import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { migrations } from '../../migrations/index.ts';
import type { CodeVersions } from './manifest.ts';

const POM = path.resolve(import.meta.dirname, '../engine/operaton/pom.xml');

/** The Operaton version the engine is built with (the one place it is written: the engine's pom.xml). */
export async function operatonVersion(): Promise<string> {
  const match = /<operaton\.version>([^<]+)<\/operaton\.version>/.exec(await readFile(POM, 'utf8'));
  if (!match) throw new Error(`no <operaton.version> in ${POM}`);
  return match[1]!.trim();
}

/** The schema versions of this code: its migrations (as TypeORM names them) and its Operaton version. */
export async function codeVersions(): Promise<CodeVersions> {
  return { migrations: migrations.map((m) => m.name), operatonVersion: await operatonVersion() };
}
