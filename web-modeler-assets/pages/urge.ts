import { get, post } from '../app/api.ts';
import { append, busy, clear, h } from '../app/dom.ts';
import { dueText, formatDateTime, subjectText } from '../app/format.ts';
import type { PageContext } from '../app/screens.ts';
import type { OverdueTask } from '../app/types.ts';

/** 逾期催办: the county's overdue unit tasks; the office picks some and sends one 催办 each (once a day). */
export async function render(ctx: PageContext): Promise<void> {
  const tasks = await get<(OverdueTask & { name: string; processName: string })[]>('/api/overdue-tasks');
  const mayUrge = ctx.user.roles.includes('peace_office');
  const messages = h('div', { class: 'messages', 'aria-live': 'polite' });
  ctx.outlet.append(h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '逾期催办'), h('p', { class: 'muted' }, `全县逾期待办 ${tasks.length} 件`)), messages);
  if (tasks.length === 0) {
    ctx.outlet.append(h('div', { class: 'empty' }, h('p', {}, '目前没有逾期的待办。')));
    return;
  }
  const units = (t: OverdueTask) => t.candidateGroups.map((g) => g.name).join('、');
  const boxes = tasks.map((t) => h('input', { type: 'checkbox', value: t.key, 'aria-label': `选择：${t.name}（${t.subject ? subjectText(t.subject) : units(t)}）` }));
  const all = h('input', { type: 'checkbox', id: 'urge-all', 'aria-label': '全选' });
  all.addEventListener('change', () => boxes.forEach((b) => (b.checked = all.checked)));
  const urge = h('button', { type: 'button', class: 'btn btn-primary', id: 'urge-selected' }, '批量催办');
  urge.addEventListener(
    'click',
    busy(urge, messages, async () => {
      const taskKeys = boxes.filter((b) => b.checked).map((b) => b.value);
      const result = await post<{ urged: string[]; skipped: { key: string; reason: string }[] }>('/api/overdue-tasks/urge', { taskKeys });
      clear(messages);
      append(messages, [
        h('div', { class: 'alert alert-success', role: 'status' }, `已催办 ${result.urged.length} 件${result.skipped.length ? `，跳过 ${result.skipped.length} 件` : ''}`),
        result.skipped.length > 0 && h('ul', {}, result.skipped.map((s) => h('li', {}, `${tasks.find((t) => t.key === s.key)?.name ?? s.key}：${s.reason}`))),
      ]);
    }, { taskKeys: '待办' }),
  );
  append(ctx.outlet, [
    mayUrge && h('div', { class: 'toolbar' }, urge),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table responsive', id: 'urge-table' },
        h('caption', { class: 'sr-only' }, '逾期待办，逾期最久的在前'),
        h('thead', {}, h('tr', {}, mayUrge ? h('th', { scope: 'col' }, all) : null, ['事项', '承办单位', '截止时间'].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          tasks.map((t, i) =>
            h(
              'tr',
              { 'data-task-key': t.key },
              mayUrge ? h('td', { 'data-label': '选择' }, boxes[i]) : null,
              h('td', { 'data-label': '事项' }, t.name, t.subject && h('div', { class: 'task-subject' }, subjectText(t.subject)), h('div', { class: 'muted small' }, t.processName)),
              h('td', { 'data-label': '承办单位' }, units(t)),
              h('td', { 'data-label': '截止时间' }, formatDateTime(t.dueDate), h('div', { class: 'small due-red' }, dueText(t.dueDate))),
            ),
          ),
        ),
      ),
    ),
  ]);
}
