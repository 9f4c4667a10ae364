import { z } from 'zod';

/**
 * What a backup archive holds and the pure rules around it (no I/O): the manifest's shape, the
 * names of its entries, whether a backup fits the code that restores it, and the order tables are
 * loaded in. The archive itself: backup.ts writes it, restore.ts reads it (docs/operations.md).
 */

export const BACKUP_FORMAT = 'risk-loop-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_ENTRY = 'manifest.json';

/** The app's tables (TypeORM migrations) and the engine's (Operaton creates them; the backup carries their definition). */
export const APP_SCHEMA = 'public';
export const ENGINE_SCHEMA_NAME = 'operaton';

const tableSchema = z.object({
  schema: z.string(),
  name: z.string(),
  /** Copied columns in order (generated columns are left out: PostgreSQL computes them again). */
  columns: z.array(z.string()).min(1),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type TableEntry = z.infer<typeof tableSchema>;

const sequenceSchema = z.object({ schema: z.string(), name: z.string(), lastValue: z.string().regex(/^-?\d+$/), isCalled: z.boolean() });
export type SequenceEntry = z.infer<typeof sequenceSchema>;

const columnDefSchema = z.object({ name: z.string(), type: z.string(), notNull: z.boolean(), default: z.string().nullable(), collation: z.string().nullable() });
export type ColumnDef = z.infer<typeof columnDefSchema>;

const engineDdlSchema = z.object({
  tables: z.array(z.object({ name: z.string(), columns: z.array(columnDefSchema).min(1) })),
  /** Primary keys, unique, check and foreign-key constraints, as pg_get_constraintdef gives them. */
  constraints: z.array(z.object({ table: z.string(), name: z.string(), kind: z.enum(['p', 'u', 'c', 'f', 'x']), definition: z.string() })),
  /** CREATE INDEX statements of the indexes no constraint owns, schema-qualified. */
  indexes: z.array(z.string()),
});
export type EngineDdl = z.infer<typeof engineDdlSchema>;

export const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  createdAt: z.string(),
  /** The server the backup was read from (information only). */
  serverVersion: z.string(),
  app: z.object({ migrations: z.array(z.string()) }),
  engine: z.object({
    /** Operaton's version in src/engine/operaton/pom.xml of the code that made the backup. */
    operatonVersion: z.string(),
    /** The newest row of the engine's own schema log (act_ge_schema_log). */
    schemaVersion: z.string().nullable(),
    ddl: engineDdlSchema,
  }),
  tables: z.array(tableSchema),
  sequences: z.array(sequenceSchema),
  /** Files of the state folder's secrets/ carried in the archive (`secrets/<name>`). */
  secrets: z.array(z.object({ name: z.string().regex(/^[A-Za-z0-9._-]+$/), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
  /** Secrets the environment gave (their values are not in the backup): the restored system needs them again. */
  secretsFromEnvironment: z.array(z.string()),
  elapsedMs: z.number().nonnegative(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function dataEntryName(t: { schema: string; name: string }): string {
  return `data/${t.schema}.${t.name}.copy`;
}

export function secretEntryName(name: string): string {
  return `secrets/${name}`;
}

/** Parses the archive's manifest, or says in Chinese why it is not one this code reads. */
export function parseManifest(text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupRefused('备份文件的清单（manifest.json）不是有效的 JSON，文件可能已损坏。');
  }
  const format = (json as { format?: unknown; formatVersion?: unknown } | null) ?? {};
  if (format.format !== BACKUP_FORMAT) throw new BackupRefused('这不是 risk-loop 的备份文件（清单中没有 risk-loop-backup 格式标记）。');
  if (format.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new BackupRefused(`备份文件格式版本 ${String(format.formatVersion)} 与本程序支持的版本 ${BACKUP_FORMAT_VERSION} 不一致。`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new BackupRefused(`备份文件的清单不完整：${parsed.error.issues.map((i) => i.path.join('.')).join('、')}。`);
  return parsed.data;
}

/** A refusal to restore (or to back up) that names the reason; the commands print it and exit 1. */
export class BackupRefused extends Error {}

export interface CodeVersions {
  migrations: readonly string[];
  operatonVersion: string;
}

/**
 * Why this backup cannot be restored by this code, in Chinese, or [] when it can: the app's
 * migrations and the engine's Operaton version must be the same as when the backup was made.
 */
export function versionProblems(manifest: Pick<Manifest, 'app' | 'engine'>, code: CodeVersions): string[] {
  const problems: string[] = [];
  const backup = manifest.app.migrations;
  const missingInCode = backup.filter((m) => !code.migrations.includes(m));
  const missingInBackup = code.migrations.filter((m) => !backup.includes(m));
  if (missingInCode.length > 0) {
    problems.push(`备份来自更新的程序版本：数据库迁移 ${missingInCode.join('、')} 本程序没有。请用生成备份的程序版本恢复。`);
  }
  if (missingInBackup.length > 0) {
    problems.push(`备份来自较早的程序版本：缺少数据库迁移 ${missingInBackup.join('、')}。请先用生成备份的程序版本恢复，再升级程序。`);
  }
  if (manifest.engine.operatonVersion !== code.operatonVersion) {
    problems.push(`备份的流程引擎是 Operaton ${manifest.engine.operatonVersion}，本程序使用 Operaton ${code.operatonVersion}，引擎表结构可能不同。请用生成备份的程序版本恢复。`);
  }
  return problems;
}

export interface ForeignKey {
  /** `schema.table` that holds the reference. */
  from: string;
  /** `schema.table` it references. */
  to: string;
}

/**
 * Tables ordered so that each comes after the tables it references (a self-reference does not
 * count: COPY checks foreign keys at the end of the statement). Tables in a reference cycle keep
 * their given order at the end; the caller then needs the checks off (session_replication_role).
 */
export function loadOrder(tables: readonly string[], keys: readonly ForeignKey[]): { order: string[]; cyclic: string[] } {
  const pending = new Set(tables);
  const needs = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const k of keys) if (k.from !== k.to && pending.has(k.from) && pending.has(k.to)) needs.get(k.from)!.add(k.to);
  const order: string[] = [];
  let progressed = true;
  while (pending.size > 0 && progressed) {
    progressed = false;
    for (const t of tables) {
      if (!pending.has(t) || [...needs.get(t)!].some((d) => pending.has(d))) continue;
      order.push(t);
      pending.delete(t);
      progressed = true;
    }
  }
  const cyclic = tables.filter((t) => pending.has(t));
  return { order: [...order, ...cyclic], cyclic };
}

/** Rows of a COPY text-format stream: one line each (newlines inside values are escaped as \n). */
export function countCopyRows(chunk: Uint8Array): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const qualified = (schema: string, name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;

/** The engine schema's tables as CREATE TABLE statements without constraints or indexes (added after the rows). */
export function createEngineTables(schema: string, ddl: EngineDdl): string[] {
  return ddl.tables.map((t) => {
    const columns = t.columns.map(
      (c) => `${quoteIdent(c.name)} ${c.type}${c.collation ? ` COLLATE ${c.collation}` : ''}${c.default !== null ? ` DEFAULT ${c.default}` : ''}${c.notNull ? ' NOT NULL' : ''}`,
    );
    return `CREATE TABLE ${qualified(schema, t.name)} (\n  ${columns.join(',\n  ')}\n)`;
  });
}

/** Constraints (keys first, so foreign keys find them) and indexes of the engine schema, after the rows. */
export function finishEngineTables(schema: string, ddl: EngineDdl): string[] {
  const rank = { p: 0, u: 1, x: 2, c: 3, f: 4 } as const;
  const constraints = [...ddl.constraints]
    .sort((a, b) => rank[a.kind] - rank[b.kind])
    .map((c) => `ALTER TABLE ${qualified(schema, c.table)} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`);
  return [...constraints, ...ddl.indexes];
}
