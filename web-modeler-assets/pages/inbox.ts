import { api, get, post, qs } from '../app/api.ts';
import { append, busy, h } from '../app/dom.ts';
import { dueText, formatDateTime, lightBadge, subjectText } from '../app/format.ts';
import type { PageContext } from '../app/screens.ts';
import type { Light, Page, ProcessInfo, SavedFilter, TaskView } from '../app/types.ts';

const PAGE_SIZE = 50;

/**
 * 待办: the user tasks of my department and roles (scoped by the server), earliest due first,
 * lit red (overdue) / yellow (≤ 3 days) / green; claim, give back, open to work on.
 */
export async function render(ctx: PageContext): Promise<void> {
  const processId = ctx.query.get('processId') ?? '';
  const light = (ctx.query.get('light') ?? '') as Light | '';
  const pageNo = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
  // The list first; the process filter and the saved filters fill in when they arrive.
  const processes = get<ProcessInfo[]>('/api/processes');
  const saved = get<SavedFilter[]>('/api/filters');
  const tasks = await get<Page<TaskView>>('/api/tasks' + qs({ processId, light: light || undefined, limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE }));
  const { items, total } = tasks;
  const go = (f: { processId?: string; light?: string }) => ctx.navigate('/inbox' + qs({ processId: f.processId || undefined, light: f.light || undefined }));

  const filter = h('select', { id: 'inbox-process', name: 'processId' }, h('option', { value: '' }, '全部流程'));
  processes
    .then((list) => filter.append(...list.map((p) => h('option', { value: p.id, selected: p.id === processId }, p.name))))
    .catch(() => undefined);
  filter.addEventListener('change', () => go({ processId: filter.value, light }));
  const lightSelect = h(
    'select',
    { id: 'inbox-light', name: 'light' },
    [['', '全部'], ['red', '逾期'], ['yellow', '临期'], ['green', '正常']].map(([v, l]) => h('option', { value: v, selected: v === light }, l)),
  );
  lightSelect.addEventListener('change', () => go({ processId, light: lightSelect.value }));
  const messages = h('div', { class: 'messages', 'aria-live': 'polite' });

  // Saved filters (kept on the server per user): apply, delete, or save the current one by name.
  const savedBox = h('div', { class: 'toolbar', id: 'saved-filters', 'aria-label': '常用筛选' });
  const filterName = h('input', { id: 'filter-name', maxlength: '40', placeholder: '如：逾期的督办事项' });
  const save = h('button', { type: 'button', class: 'btn btn-small' }, '保存当前筛选');
  save.addEventListener(
    'click',
    busy(save, messages, async () => {
      await post('/api/filters', { name: filterName.value.trim(), filter: { ...(processId ? { processId } : {}), ...(light ? { light } : {}) } });
      ctx.flash(`已保存筛选：${filterName.value.trim()}`);
      ctx.navigate(location.hash.slice(1));
    }, { name: '名称' }),
  );
  saved
    .then((list) =>
      savedBox.append(
        ...list.flatMap((f) => {
          const remove = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': `删除筛选：${f.name}` }, '×');
          remove.addEventListener('click', busy(remove, messages, async () => {
            await api('DELETE', `/api/filters/${f.id}`);
            ctx.navigate(location.hash.slice(1));
          }));
          return [h('a', { class: 'tag tag-grey', href: '#/inbox' + qs({ processId: f.filter.processId, light: f.filter.light }) }, f.name), remove];
        }),
      ),
    )
    .catch(() => undefined);

  const counts = { red: items.filter((t) => t.light === 'red').length, yellow: items.filter((t) => t.light === 'yellow').length };
  ctx.outlet.append(
    h(
      'div',
      { class: 'page-head' },
      h('h1', { tabindex: '-1' }, '待办事项'),
      h(
        'p',
        { class: 'muted', id: 'inbox-summary' },
        `共 ${total} 件`,
        counts.red > 0 && h('span', { class: 'tag tag-red' }, `逾期 ${counts.red}`),
        counts.yellow > 0 && h('span', { class: 'tag tag-yellow' }, `临期 ${counts.yellow}`),
      ),
    ),
    h(
      'div',
      { class: 'toolbar' },
      h('label', { for: 'inbox-process' }, '流程'),
      filter,
      h('label', { for: 'inbox-light' }, '状态'),
      lightSelect,
      h('label', { for: 'filter-name' }, '筛选名称'),
      filterName,
      save,
    ),
    savedBox,
    messages,
  );

  if (items.length === 0) {
    ctx.outlet.append(h('div', { class: 'empty' }, h('p', {}, '暂无待办事项。'), h('p', { class: 'muted' }, '新的待办会按截止时间排在这里。')));
    return;
  }

  const row = (t: TaskView): HTMLElement => {
    const mine = t.assignee === ctx.user.username;
    // Tasks of one step differ by what they are about: the subject names them apart, for screen readers too.
    const subject = t.subject ? subjectText(t.subject) : null;
    const actions = h('td', { class: 'actions', 'data-label': '操作' });
    const claim = h('button', { type: 'button', class: 'btn btn-small' }, mine ? '退回认领' : '认领');
    claim.addEventListener(
      'click',
      busy(claim, messages, async () => {
        await post(`/api/tasks/${t.key}/${mine ? 'unclaim' : 'claim'}`);
        ctx.flash(mine ? `已退回认领：${t.name}` : `已认领：${t.name}`);
        ctx.navigate(location.hash.slice(1));
      }),
    );
    if (!t.assignee || mine) actions.append(claim);
    actions.append(h('a', { class: 'btn btn-small btn-primary', href: `#/tasks/${t.key}`, 'aria-label': `办理：${t.name}${subject ? `（${subject}）` : ''}` }, '办理'));
    return h(
      'tr',
      { 'data-task-key': t.key, class: t.light ? `row-${t.light}` : '' },
      h('td', { 'data-label': '状态' }, lightBadge(t.light)),
      h(
        'td',
        { 'data-label': '事项' },
        h('a', { href: `#/tasks/${t.key}`, class: 'task-name' }, t.name),
        subject && h('div', { class: 'task-subject' }, subject),
        t.subject && t.subject.indicators.length > 0 && h('div', { class: 'task-indicators small' }, `指标：${t.subject.indicators.join('、')}`),
        h('div', { class: 'muted small' }, t.processName),
      ),
      h('td', { 'data-label': '承办单位' }, t.candidateGroups.map((g) => g.name).join('、')),
      h('td', { 'data-label': '办理人' }, t.assignee ? (mine ? '我' : t.assignee) : h('span', { class: 'muted' }, '未认领')),
      h('td', { 'data-label': '截止时间' }, h('div', {}, formatDateTime(t.dueDate)), t.dueDate && h('div', { class: `small due-${t.light ?? 'none'}` }, dueText(t.dueDate))),
      h('td', { 'data-label': '收到时间' }, formatDateTime(t.createdAt)),
      actions,
    );
  };

  append(ctx.outlet, [
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table responsive', id: 'inbox-table' },
        h('caption', { class: 'sr-only' }, '待办事项，按截止时间排序'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['状态', '事项', '承办单位', '办理人', '截止时间', '收到时间', '操作'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h('tbody', {}, items.map(row)),
      ),
    ),
    pager(total, pageNo, (n) => ctx.navigate('/inbox' + qs({ processId: processId || undefined, light: light || undefined, page: n > 1 ? n : undefined }))),
  ]);
}

export function pager(total: number, pageNo: number, go: (n: number) => void): HTMLElement | null {
  const pages = Math.ceil(total / PAGE_SIZE);
  if (pages <= 1) return null;
  const nav = h('nav', { class: 'pager', 'aria-label': '分页' });
  const prev = h('button', { type: 'button', class: 'btn btn-small', disabled: pageNo <= 1 }, '上一页');
  const next = h('button', { type: 'button', class: 'btn btn-small', disabled: pageNo >= pages }, '下一页');
  prev.addEventListener('click', () => go(pageNo - 1));
  next.addEventListener('click', () => go(pageNo + 1));
  nav.append(prev, h('span', {}, `第 ${pageNo} / ${pages} 页`), next);
  return nav;
}
