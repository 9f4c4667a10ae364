import { describe, expect, it } from 'vitest';
import {
  BackupRefused,
  countCopyRows,
  createEngineTables,
  dataEntryName,
  finishEngineTables,
  loadOrder,
  parseManifest,
  versionProblems,
  type EngineDdl,
  type Manifest,
} from '../../src/backup/manifest.ts';
import { codeVersions } from '../../src/backup/versions.ts';

/** The pure rules of backup and restore (src/backup/manifest.ts); the round trip itself is tests/process/backup-restore.test.ts. */
describe('backup manifest', () => {
  const ddl: EngineDdl = {
    tables: [
      {
        name: 'act_ru_job',
        columns: [
          { name: 'id_', type: 'character varying(64)', notNull: true, default: null, collation: null },
          { name: 'rev_', type: 'integer', notNull: false, default: null, collation: null },
          { name: 'lock_exp_time_', type: 'timestamp without time zone', notNull: false, default: null, collation: null },
        ],
      },
      { name: 'act_ge_property', columns: [{ name: 'name_', type: 'character varying(64)', notNull: true, default: "'x'::character varying", collation: '"C"' }] },
    ],
    constraints: [
      { table: 'act_ru_job', name: 'act_fk_job_exception', kind: 'f', definition: 'FOREIGN KEY (exception_stack_id_) REFERENCES operaton.act_ge_bytearray(id_)' },
      { table: 'act_ru_job', name: 'act_ru_job_pkey', kind: 'p', definition: 'PRIMARY KEY (id_)' },
      { table: 'act_ru_job', name: 'act_uniq_job', kind: 'u', definition: 'UNIQUE (rev_)' },
    ],
    indexes: ['CREATE INDEX act_idx_job_lock ON operaton.act_ru_job USING btree (lock_exp_time_)'],
  };

  const manifest: Manifest = {
    format: 'risk-loop-backup',
    formatVersion: 1,
    createdAt: '2026-12-05T09:00:00.000Z',
    serverVersion: '18.0',
    app: { migrations: ['Foundation1', 'Second2'] },
    engine: { operatonVersion: '1.0.3', schemaVersion: '7.24.0', ddl },
    tables: [{ schema: 'public', name: 'audit_log', columns: ['id'], rows: 2, bytes: 4, sha256: 'a'.repeat(64) }],
    sequences: [{ schema: 'public', name: 'audit_log_id_seq', lastValue: '2', isCalled: true }],
    secrets: [{ name: 'session-secret', sha256: 'b'.repeat(64) }],
    secretsFromEnvironment: [],
    elapsedMs: 12,
  };

  it('when the manifest is read back, then it is the manifest written; a file that is not one is refused in Chinese', () => {
    expect(parseManifest(JSON.stringify(manifest))).toEqual(manifest);
    expect(() => parseManifest('{not json')).toThrow(new BackupRefused('备份文件的清单（manifest.json）不是有效的 JSON，文件可能已损坏。'));
    expect(() => parseManifest('{"format":"other"}')).toThrow(new BackupRefused('这不是 risk-loop 的备份文件（清单中没有 risk-loop-backup 格式标记）。'));
    expect(() => parseManifest(JSON.stringify({ ...manifest, formatVersion: 2 }))).toThrow(new BackupRefused('备份文件格式版本 2 与本程序支持的版本 1 不一致。'));
    expect(() => parseManifest(JSON.stringify({ ...manifest, tables: undefined, secrets: [{ name: '../x', sha256: 'b'.repeat(64) }] }))).toThrow(
      new BackupRefused('备份文件的清单不完整：tables、secrets.0.name。'),
    );
  });

  it('when the backup and the code have the same migrations and Operaton version, then there is no problem; otherwise each difference is named', () => {
    expect(versionProblems(manifest, { migrations: ['Foundation1', 'Second2'], operatonVersion: '1.0.3' })).toEqual([]);
    expect(versionProblems(manifest, { migrations: ['Foundation1', 'Second2', 'Third3'], operatonVersion: '1.0.3' })).toEqual([
      '备份来自较早的程序版本：缺少数据库迁移 Third3。请先用生成备份的程序版本恢复，再升级程序。',
    ]);
    expect(versionProblems(manifest, { migrations: ['Foundation1'], operatonVersion: '1.1.0' })).toEqual([
      '备份来自更新的程序版本：数据库迁移 Second2 本程序没有。请用生成备份的程序版本恢复。',
      '备份的流程引擎是 Operaton 1.0.3，本程序使用 Operaton 1.1.0，引擎表结构可能不同。请用生成备份的程序版本恢复。',
    ]);
  });

  it('when the code versions are read, then they are the migrations in order and the pom.xml Operaton version', async () => {
    const code = await codeVersions();
    expect(code.migrations[0]).toBe('Foundation1764028800000');
    expect(new Set(code.migrations).size).toBe(code.migrations.length);
    expect(code.operatonVersion).toBe('1.0.3');
  });

  it('when tables reference each other, then each loads after the tables it references; a self-reference is no dependency and a cycle is reported', () => {
    const keys = [
      { from: 'public.measure', to: 'public.risk_notice' },
      { from: 'public.risk_notice', to: 'public.department' },
      { from: 'public.department', to: 'public.department' },
      { from: 'public.audit_log', to: 'public.elsewhere' },
    ];
    expect(loadOrder(['public.measure', 'public.audit_log', 'public.risk_notice', 'public.department'], keys)).toEqual({
      order: ['public.audit_log', 'public.department', 'public.risk_notice', 'public.measure'],
      cyclic: [],
    });
    expect(loadOrder(['public.a', 'public.b', 'public.c'], [
      { from: 'public.a', to: 'public.b' },
      { from: 'public.b', to: 'public.a' },
    ])).toEqual({ order: ['public.c', 'public.a', 'public.b'], cyclic: ['public.a', 'public.b'] });
  });

  it('when COPY text arrives in chunks, then rows are its line ends (an escaped newline inside a value is no row)', () => {
    const copy = Buffer.from('1\tfirst\\nline\n2\t\\N\n3\t末行\n');
    expect(countCopyRows(copy)).toBe(3);
    expect(countCopyRows(copy.subarray(0, 5)) + countCopyRows(copy.subarray(5))).toBe(3);
    expect(countCopyRows(Buffer.alloc(0))).toBe(0);
  });

  it('when the engine schema is rebuilt, then tables come bare, and keys, checks, foreign keys and indexes after the rows in that order', () => {
    expect(createEngineTables('operaton', ddl)).toEqual([
      'CREATE TABLE "operaton"."act_ru_job" (\n  "id_" character varying(64) NOT NULL,\n  "rev_" integer,\n  "lock_exp_time_" timestamp without time zone\n)',
      'CREATE TABLE "operaton"."act_ge_property" (\n  "name_" character varying(64) COLLATE "C" DEFAULT \'x\'::character varying NOT NULL\n)',
    ]);
    expect(finishEngineTables('operaton', ddl)).toEqual([
      'ALTER TABLE "operaton"."act_ru_job" ADD CONSTRAINT "act_ru_job_pkey" PRIMARY KEY (id_)',
      'ALTER TABLE "operaton"."act_ru_job" ADD CONSTRAINT "act_uniq_job" UNIQUE (rev_)',
      'ALTER TABLE "operaton"."act_ru_job" ADD CONSTRAINT "act_fk_job_exception" FOREIGN KEY (exception_stack_id_) REFERENCES operaton.act_ge_bytearray(id_)',
      'CREATE INDEX act_idx_job_lock ON operaton.act_ru_job USING btree (lock_exp_time_)',
    ]);
    expect(dataEntryName({ schema: 'operaton', name: 'act_ru_job' })).toBe('data/operaton.act_ru_job.copy');
  });
});
