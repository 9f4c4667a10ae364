import type pg from 'pg';
import { APP_SCHEMA, ENGINE_SCHEMA_NAME, BackupRefused, qualified, type EngineDdl, type ForeignKey, type SequenceEntry } from './manifest.ts';

/**
 * What the backup reads from PostgreSQL's catalogs, inside its snapshot: the tables of the app's
 * and the engine's schemas with their columns, the engine schema's definition, the app's
 * sequences and the foreign keys that order a restore. `search_path` is pg_catalog while these
 * run (set by the caller), so every name the server prints is schema-qualified.
 */

export interface TableInfo {
  schema: string;
  name: string;
  columns: string[];
}

const BACKED_UP = [APP_SCHEMA, ENGINE_SCHEMA_NAME];

export async function listTables(client: pg.ClientBase): Promise<TableInfo[]> {
  const { rows } = await client.query<{ schema: string; name: string; columns: string[] }>(
    `SELECT n.nspname AS schema, c.relname AS name,
            array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE n.nspname = ANY($1) AND c.relkind = 'r' AND NOT c.relispartition
      GROUP BY n.nspname, c.relname
      ORDER BY n.nspname, c.relname`,
    [BACKED_UP],
  );
  return rows;
}

/**
 * Refuses what a backup of plain tables would silently lose: partitioned tables, large objects,
 * and in the engine's schema anything but tables and indexes (the app's schema is rebuilt by its
 * migrations, so its views, functions and triggers come back with them).
 */
export async function refuseUnsupported(client: pg.ClientBase): Promise<void> {
  const problems: string[] = [];
  const { rows: engine } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1`, [ENGINE_SCHEMA_NAME]);
  if (engine[0]!.n === 0) problems.push(`数据库中没有流程引擎的表（schema ${ENGINE_SCHEMA_NAME}）：请先完整启动一次系统。`);
  const { rows: odd } = await client.query<{ schema: string; name: string; relkind: string }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE (n.nspname = $1 AND c.relkind NOT IN ('r', 'i', 't')) OR (n.nspname = ANY($2) AND c.relkind IN ('p', 'f'))
      ORDER BY 1, 2`,
    [ENGINE_SCHEMA_NAME, BACKED_UP],
  );
  for (const o of odd) problems.push(`${o.schema}.${o.name}（类型 ${o.relkind}）无法备份。`);
  const { rows: functions } = await client.query<{ name: string }>(
    `SELECT p.proname AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1`,
    [ENGINE_SCHEMA_NAME],
  );
  for (const f of functions) problems.push(`流程引擎 schema 中的函数 ${f.name} 无法备份。`);
  const { rows: lobs } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_largeobject_metadata`);
  if (lobs[0]!.n > 0) problems.push(`数据库中有 ${lobs[0]!.n} 个大对象（large object），备份不包含它们。`);
  if (problems.length > 0) throw new BackupRefused(`无法备份：\n${problems.join('\n')}`);
}

export async function engineDdl(client: pg.ClientBase): Promise<EngineDdl> {
  const { rows: columns } = await client.query<{ table: string; name: string; type: string; notNull: boolean; default: string | null; collation: string | null }>(
    `SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull",
            pg_get_expr(d.adbin, d.adrelid) AS default,
            CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END AS collation
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
       LEFT JOIN pg_collation co ON co.oid = a.attcollation
       LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r'
      ORDER BY c.relname, a.attnum`,
    [ENGINE_SCHEMA_NAME],
  );
  const tables = new Map<string, EngineDdl['tables'][number]>();
  for (const { table, ...column } of columns) {
    if (!tables.has(table)) tables.set(table, { name: table, columns: [] });
    tables.get(table)!.columns.push(column);
  }
  const { rows: constraints } = await client.query<EngineDdl['constraints'][number]>(
    `SELECT c.relname AS table, k.conname AS name, k.contype::text AS kind, pg_get_constraintdef(k.oid) AS definition
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND k.contype IN ('p', 'u', 'c', 'f', 'x')
      ORDER BY c.relname, k.conname`,
    [ENGINE_SCHEMA_NAME],
  );
  const { rows: indexes } = await client.query<{ definition: string }>(
    `SELECT pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
      WHERE n.nspname = $1 AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
      ORDER BY ic.relname`,
    [ENGINE_SCHEMA_NAME],
  );
  return { tables: [...tables.values()], constraints, indexes: indexes.map((i) => i.definition) };
}

/** The app schema's sequences. A sequence is outside transactions: read after the snapshot, it is at least as far as any row in it. */
export async function appSequences(client: pg.ClientBase): Promise<SequenceEntry[]> {
  const { rows } = await client.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'S' ORDER BY c.relname`,
    [APP_SCHEMA],
  );
  const out: SequenceEntry[] = [];
  for (const s of rows) {
    const { rows: v } = await client.query<{ last_value: string; is_called: boolean }>(`SELECT last_value::text AS last_value, is_called FROM ${qualified(s.schema, s.name)}`);
    out.push({ schema: s.schema, name: s.name, lastValue: v[0]!.last_value, isCalled: v[0]!.is_called });
  }
  return out;
}

/** Foreign keys between tables of one schema, as `schema.table` pairs. */
export async function foreignKeys(client: pg.ClientBase, schema: string): Promise<ForeignKey[]> {
  const { rows } = await client.query<ForeignKey>(
    `SELECT n.nspname || '.' || c.relname AS "from", rn.nspname || '.' || r.relname AS "to"
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_class r ON r.oid = k.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
      WHERE k.contype = 'f' AND n.nspname = $1`,
    [schema],
  );
  return rows;
}

/** Same text output on both sides of a backup: dates, intervals, floats, bytea and encoding fixed. */
export const COPY_SESSION_SETTINGS = [
  `SET client_encoding = 'UTF8'`,
  `SET DateStyle = 'ISO, YMD'`,
  `SET IntervalStyle = 'postgres'`,
  `SET TimeZone = 'UTC'`,
  `SET extra_float_digits = 3`,
  `SET bytea_output = 'hex'`,
  `SET standard_conforming_strings = on`,
  `SET search_path = pg_catalog`,
];
