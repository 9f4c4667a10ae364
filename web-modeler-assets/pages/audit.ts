import { get, qs } from '../app/api.ts';
import { busy, h } from '../app/dom.ts';
import { formatDateTime } from '../app/format.ts';
import type { PageContext } from '../app/screens.ts';
import type { AuditRow } from '../app/types.ts';
import { auditActionLabel, auditEntityLabel, auditEntityLabels } from '../../src/domain/audit-labels.ts';

const PAGE_SIZE = 100;

/** 审计日志: the append-only log, newest first, for admins and the discipline inspector. */
export async function render(ctx: PageContext): Promise<void> {
  const entityType = ctx.query.get('entityType') ?? '';
  const select = h(
    'select',
    { id: 'audit-entity' },
    h('option', { value: '' }, '全部对象'),
    Object.entries(auditEntityLabels).map(([v, l]) => h('option', { value: v, selected: v === entityType }, l)),
  );
  select.addEventListener('change', () => ctx.navigate('/audit' + qs({ entityType: select.value })));
  const tbody = h('tbody', {});
  const messages = h('div', { class: 'messages' });
  const more = h('button', { type: 'button', class: 'btn' }, '加载更早的记录');

  ctx.outlet.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '审计日志'), h('p', { class: 'muted' }, '每一次状态变化，以及对案件衍生数据的查看与导出，都有记录；记录不可修改或删除。')),
    h('div', { class: 'toolbar' }, h('label', { for: 'audit-entity' }, '对象类型'), select),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table responsive', id: 'audit-table' },
        h('caption', { class: 'sr-only' }, '审计日志，最新的在前'),
        h('thead', {}, h('tr', {}, ['时间', '操作人', '操作', '对象', '单位', '详情'].map((c) => h('th', { scope: 'col' }, c)))),
        tbody,
      ),
    ),
    messages,
    h('div', { class: 'pager' }, more),
  );

  let beforeId: string | undefined;
  const loadMore = async () => {
    const rows = await get<AuditRow[]>('/api/audit' + qs({ entityType, limit: PAGE_SIZE, beforeId }));
    for (const r of rows) tbody.append(row(ctx, r));
    beforeId = rows.at(-1)?.id ?? beforeId;
    more.hidden = rows.length < PAGE_SIZE;
    if (tbody.childElementCount === 0) tbody.append(h('tr', {}, h('td', { colspan: '6' }, '暂无记录。')));
  };
  more.addEventListener('click', busy(more, messages, loadMore));
  await loadMore();
}

function row(ctx: PageContext, r: AuditRow): HTMLElement {
  const detail = { before: r.before ?? undefined, after: r.after ?? undefined, sha256: r.sha256 ?? undefined };
  const text = JSON.stringify(detail, null, 2);
  return h(
    'tr',
    { 'data-audit-id': r.id },
    h('td', { 'data-label': '时间' }, formatDateTime(r.at)),
    // The loop's own jobs write as the system actor (src/services/actor.ts systemActor).
    h('td', { 'data-label': '操作人' }, r.actor_name === 'system' ? '系统' : r.actor_name),
    h('td', { 'data-label': '操作' }, auditActionLabel(r.action)),
    h('td', { 'data-label': '对象' }, auditEntityLabel(r.entity_type), r.entity_id && h('div', { class: 'small muted' }, h('code', {}, r.entity_id))),
    h('td', { 'data-label': '单位' }, r.department_id ? ctx.departmentName(r.department_id) : '—'),
    h('td', { 'data-label': '详情' }, text === '{}' ? '—' : h('details', {}, h('summary', {}, '查看'), h('pre', { class: 'json' }, text))),
  );
}
