import { get, post } from '../app/api.ts';
import { append, busy, clear, h } from '../app/dom.ts';
import { formatDateTime, riskLevelNames } from '../app/format.ts';
import type { PageContext } from '../app/screens.ts';
import type { Cockpit, RiskLevel } from '../app/types.ts';

interface Definition {
  id: string;
  version: number;
  createdBy: string;
  createdAt: string;
  definition: { id: string; name: string; domain: string; unit: string; enabled?: boolean; owners: string[]; coOwners?: string[]; bands: unknown; floors?: unknown[]; minN?: number };
}

type Figure = { value: number | null; n: number; level: RiskLevel } | null;

/** POST /api/rounds/:id/verify (src/services/indicators/run-check.ts RunCheck). */
interface RunCheck {
  summary: string;
  /** Recomputed on the rows as the round saw them, it gives the stored figures. */
  reproduced: boolean;
  /** Figures today's data would change. */
  differenceCount: number;
  differences: { indicator: string; regionName: string; stored: Figure; recomputed: Figure }[];
}

const figureText = (f: Figure) => (f ? `${f.value ?? '—'}（${f.n} 件，${riskLevelNames[f.level]}）` : '无');

/**
 * 复算核对 (the court): a past round recomputed with the definition versions it used on the rows as it
 * saw them, compared with what is stored; the answer says whether the data changed since and which
 * figures today's data would change. The stored figures never change.
 */
function runCheckCard(rounds: Cockpit['rounds']): HTMLElement {
  const round = h('select', { id: 'verify-round' }, rounds.map((r) => h('option', { value: r.id }, `${r.id}（${r.periodStart} 至 ${r.periodEnd}）`)));
  const messages = h('div', { class: 'messages' });
  const result = h('div', { id: 'verify-result', 'aria-live': 'polite' });
  const verify = h('button', { type: 'button', class: 'btn', id: 'verify-submit' }, '复算核对');
  verify.addEventListener(
    'click',
    busy(verify, messages, async () => {
      const r = await post<RunCheck>(`/api/rounds/${encodeURIComponent(round.value)}/verify`, {});
      clear(result);
      append(result, [
        h('p', { class: r.reproduced && r.differenceCount === 0 ? 'alert alert-success' : 'alert alert-warning', role: 'status' }, r.summary),
        r.differences.length > 0 &&
          h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table responsive' },
              h('thead', {}, h('tr', {}, ['指标', '地区', '存档', '按现有数据'].map((c) => h('th', { scope: 'col' }, c)))),
              h(
                'tbody',
                {},
                r.differences.map((d) =>
                  h('tr', {}, h('td', { 'data-label': '指标' }, d.indicator), h('td', { 'data-label': '地区' }, d.regionName), h('td', { 'data-label': '存档' }, figureText(d.stored)), h('td', { 'data-label': '按现有数据' }, figureText(d.recomputed))),
                ),
              ),
            ),
          ),
        r.differenceCount > r.differences.length && h('p', { class: 'muted' }, `另有 ${r.differenceCount - r.differences.length} 项未列出。`),
      ]);
    }),
  );
  return h(
    'section',
    { class: 'card', id: 'verify-card', 'aria-labelledby': 'verify-title' },
    h('h2', { id: 'verify-title' }, '复算核对'),
    h('p', { class: 'muted' }, '用该轮次当时的指标定义版本和当时的数据版本重新计算，与存档结果逐项比对；如计算后数据有过更正，列出按现有数据计算会变化的指标。存档结果不会改变。'),
    h('div', { class: 'toolbar' }, h('label', { for: 'verify-round' }, '评估轮次'), round, verify),
    messages,
    result,
  );
}

interface WhatIf {
  before: { departmentId: string }[];
  after: { departmentId: string }[];
  added: string[];
  removed: string[];
  /** `indicator` is its label, "民间借贷纠纷（B2）". */
  changedLevels: { indicatorId: string; indicator: string; region: string; level: RiskLevel; reason: string }[];
}

/**
 * 指标管理: the catalogue as versioned data. Admins save a definition as a new version (the old one
 * stays for past rounds); the court, the office and leaders try changed bands on a computed round
 * first and see which units would get a notice (第七条: before leaders approve).
 */
export async function render(ctx: PageContext): Promise<void> {
  const [definitions, cockpit] = await Promise.all([get<Definition[]>('/api/indicators'), get<Cockpit>('/api/cockpit')]);
  const isAdmin = ctx.user.roles.includes('admin');
  const detail = h('section', { class: 'detail', id: 'indicator-detail', 'aria-live': 'polite' }, h('p', { class: 'muted' }, '选择一个指标查看、修改或试算。'));

  const open = (d: Definition) => {
    clear(detail);
    const messages = h('div', { class: 'messages' });
    const editor = h('textarea', { id: 'definition-json', rows: '14', class: 'code', readonly: !isAdmin }, JSON.stringify(d.definition, null, 2));
    const save = h('button', { type: 'button', class: 'btn btn-primary' }, '保存为新版本');
    save.addEventListener('click', busy(save, messages, async () => {
      const saved = await post<{ id: string; version: number }>('/api/indicators', JSON.parse(editor.value) as unknown);
      ctx.flash(`已保存 ${saved.id} 第 ${saved.version} 版`);
      ctx.navigate('/admin/indicators');
    }));
    const round = h('select', { id: 'whatif-round' }, cockpit.rounds.map((r) => h('option', { value: r.id }, `${r.id}（${r.periodStart} 至 ${r.periodEnd}）`)));
    const change = h('textarea', { id: 'whatif-change', rows: '8', class: 'code' }, JSON.stringify({ bands: d.definition.bands, minN: d.definition.minN ?? 10 }, null, 2));
    const result = h('div', { id: 'whatif-result' });
    const tryIt = h('button', { type: 'button', class: 'btn' }, '试算');
    tryIt.addEventListener('click', busy(tryIt, messages, async () => {
      const r = await post<WhatIf>(`/api/rounds/${encodeURIComponent(round.value)}/what-if`, { changes: [{ indicatorId: d.id, definition: JSON.parse(change.value) as unknown }] });
      clear(result);
      append(result, [
        h('p', {}, `调整前发函 ${r.before.length} 个单位，调整后 ${r.after.length} 个单位。`),
        r.added.length > 0 && h('p', {}, '新增：', r.added.map((id) => ctx.departmentName(id)).join('、')),
        r.removed.length > 0 && h('p', {}, '不再发函：', r.removed.map((id) => ctx.departmentName(id)).join('、')),
        h('p', { class: 'muted' }, `等级变化 ${r.changedLevels.length} 处`),
        h('ul', {}, r.changedLevels.slice(0, 30).map((l) => h('li', {}, `${l.indicator} · ${l.region === 'county' ? '全县' : ctx.departmentName(l.region)}：${riskLevelNames[l.level]}（${l.reason}）`))),
      ]);
    }));
    append(detail, [
      h('h2', {}, `${d.id} ${d.definition.name}`),
      h('p', { class: 'muted' }, `第 ${d.version} 版 · ${d.createdBy} · ${formatDateTime(d.createdAt)}`),
      h('label', { for: 'definition-json' }, isAdmin ? '定义（JSON，保存为新版本，不覆盖旧版本）' : '定义（JSON）'),
      editor,
      isAdmin && h('div', {}, save),
      h('h3', {}, '阈值试算'),
      h('div', { class: 'toolbar' }, h('label', { for: 'whatif-round' }, '评估轮次'), round),
      h('label', { for: 'whatif-change' }, '调整的分级标准、下限规则或最少案件数（JSON）'),
      change,
      h('div', {}, tryIt),
      messages,
      result,
    ]);
  };

  ctx.outlet.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '指标管理'), h('p', { class: 'muted' }, `共 ${definitions.length} 个指标`)),
    ctx.user.roles.includes('court_analyst') && cockpit.rounds.length > 0 ? runCheckCard(cockpit.rounds) : '',
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table responsive', id: 'indicator-table' },
        h('caption', { class: 'sr-only' }, '指标定义（最新版本）'),
        h('thead', {}, h('tr', {}, ['编号', '名称', '领域', '版本', '牵头单位', '状态', ''].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          definitions.map((d) => {
            const button = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `查看 ${d.id} ${d.definition.name}` }, isAdmin ? '修改或试算' : '试算');
            button.addEventListener('click', () => open(d));
            return h(
              'tr',
              { 'data-indicator': d.id },
              h('td', { 'data-label': '编号' }, d.id),
              h('td', { 'data-label': '名称' }, d.definition.name),
              h('td', { 'data-label': '领域' }, d.definition.domain),
              h('td', { 'data-label': '版本' }, `第 ${d.version} 版`),
              h('td', { 'data-label': '牵头单位' }, d.definition.owners.map((o) => ctx.departmentName(o)).join('、')),
              h('td', { 'data-label': '状态' }, d.definition.enabled === false ? '停用' : '启用'),
              h('td', { 'data-label': '操作' }, button),
            );
          }),
        ),
      ),
    ),
    detail,
  );
}
