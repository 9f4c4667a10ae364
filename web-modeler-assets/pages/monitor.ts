import { get, qs } from '../app/api.ts';
import { append, h } from '../app/dom.ts';
import { formatDateTime, instanceStateNames, lightBadge } from '../app/format.ts';
import type { PageContext } from '../app/screens.ts';
import type { InstanceSummary, Page, ProcessInfo } from '../app/types.ts';
import { pager } from './inbox.ts';

const PAGE_SIZE = 50;

/** 流程监控: the loops (process instances) I may watch, newest first, with their worst light and incidents. */
export async function render(ctx: PageContext): Promise<void> {
  const processId = ctx.query.get('processId') ?? '';
  const state = ctx.query.get('state') ?? 'ACTIVE';
  const pageNo = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
  const [processes, instances] = await Promise.all([
    get<ProcessInfo[]>('/api/processes'),
    get<Page<InstanceSummary>>('/api/instances' + qs({ processId, state: state === 'ALL' ? undefined : state, limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE })),
  ]);
  const go = (p: Record<string, string | number | undefined>) => ctx.navigate('/monitor' + qs({ processId, state, ...p }));

  const processSelect = h(
    'select',
    { id: 'monitor-process' },
    h('option', { value: '' }, '全部流程'),
    processes.map((p) => h('option', { value: p.id, selected: p.id === processId }, `${p.name}（运行中 ${p.running}）`)),
  );
  processSelect.addEventListener('change', () => go({ processId: processSelect.value, page: undefined }));
  const stateSelect = h(
    'select',
    { id: 'monitor-state' },
    [['ACTIVE', '运行中'], ['COMPLETED', '已完成'], ['TERMINATED', '已终止'], ['ALL', '全部']].map(([v, l]) => h('option', { value: v, selected: v === state }, l)),
  );
  stateSelect.addEventListener('change', () => go({ state: stateSelect.value, page: undefined }));

  ctx.outlet.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '流程监控'), h('p', { class: 'muted' }, `共 ${instances.total} 个流程实例`)),
    h(
      'div',
      { class: 'toolbar' },
      h('label', { for: 'monitor-process' }, '流程'),
      processSelect,
      h('label', { for: 'monitor-state' }, '状态'),
      stateSelect,
    ),
  );
  if (instances.items.length === 0) {
    ctx.outlet.append(h('div', { class: 'empty' }, h('p', {}, '没有符合条件的流程实例。')));
    return;
  }
  append(ctx.outlet, [
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table responsive', id: 'instance-table' },
        h('caption', { class: 'sr-only' }, '流程实例，最新的在前'),
        h('thead', {}, h('tr', {}, ['状态灯', '流程', '实例编号', '状态', '开始时间', '待办', '异常'].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          instances.items.map((i) =>
            h(
              'tr',
              { 'data-instance-key': i.key },
              h('td', { 'data-label': '状态灯' }, lightBadge(i.light)),
              h('td', { 'data-label': '流程' }, h('a', { href: `#/monitor/${i.key}` }, i.processName), h('div', { class: 'muted small' }, `第 ${i.version} 版`)),
              h('td', { 'data-label': '实例编号' }, h('code', {}, i.key)),
              h('td', { 'data-label': '状态' }, instanceStateNames[i.state] ?? i.state),
              h('td', { 'data-label': '开始时间' }, formatDateTime(i.startTime)),
              h(
                'td',
                { 'data-label': '待办' },
                i.openTaskCount === 0 ? '—' : `${i.openTaskCount} 件`,
                i.overdueTaskCount > 0 && h('span', { class: 'tag tag-red' }, `逾期 ${i.overdueTaskCount}`),
              ),
              h('td', { 'data-label': '异常' }, i.incidentCount > 0 ? h('span', { class: 'tag tag-red' }, `${i.incidentCount} 个`) : '—'),
            ),
          ),
        ),
      ),
    ),
    pager(instances.total, pageNo, (n) => go({ page: n > 1 ? n : undefined })),
  ]);
}
