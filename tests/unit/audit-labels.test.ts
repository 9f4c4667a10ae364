import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditActionLabel, auditEntityLabel } from '../../src/domain/audit-labels.ts';

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

/** Every action and record type the code writes as a literal (`action: '…'`, `entityType: '…'`). */
async function written(): Promise<{ actions: Set<string>; entities: Set<string> }> {
  const actions = new Set<string>();
  const entities = new Set<string>();
  for (const file of await sourceFiles('src')) {
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/\baction: (?:[^,`]*\? )?'([a-z_.]+)'(?: : '([a-z_.]+)')?/g)) for (const a of m.slice(1)) if (a) actions.add(a);
    for (const m of text.matchAll(/\bentityType: '([a-z_]+)'/g)) entities.add(m[1]!);
  }
  return { actions, entities };
}

/** Actions composed where they are written: escalation kinds, review decisions, side-table imports. */
const composed = [
  ...['reminder', 'urge', 'yellow_card', 'red_card', 'interview', 'listing', 'delisting', 'extension_granted', 'extension_refused', 'returned'].flatMap((kind) => [
    `supervision_item.${kind}`,
    `risk_notice.${kind}`,
  ]),
  'supervision_item.review_accept',
  'supervision_item.review_return',
  'supervision_item.result_accept',
  'supervision_item.result_return',
  'work_opinion.accept',
  'work_opinion.return',
  'township_population_import',
  'township_signal_import',
];

const latin = /[A-Za-z]/;

describe('audit log labels', () => {
  it('when the code writes an audit row, then its action and record type have Chinese names on the 审计日志 screen', async () => {
    const { actions, entities } = await written();
    // The scan finds what this change added: reads and exports of case-derived data.
    expect([...actions]).toEqual(expect.arrayContaining(['ledger.read', 'ledger.export', 'document.download', 'cockpit.read', 'trace.read', 'round.what_if', 'user.disable', 'user.enable']));
    const unnamed = [...actions, ...composed].filter((a) => latin.test(auditActionLabel(a)));
    expect(unnamed).toEqual([]);
    expect([...entities].filter((e) => latin.test(auditEntityLabel(e)))).toEqual([]);
  });

  it('when an action is record and verb, then the label reads record·verb; an unknown one keeps its code', () => {
    expect(auditActionLabel('supervision_item.sign')).toBe('督办事项·签收');
    expect(auditActionLabel('ledger.export')).toBe('台账·导出');
    expect(auditActionLabel('supervision_item.yellow_card')).toBe('督办事项·黄牌警示');
    expect(auditActionLabel('auth.login.failed')).toBe('登录失败');
    expect(auditActionLabel('ledger.shred')).toBe('ledger.shred');
  });
});
