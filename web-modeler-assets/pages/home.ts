import { get } from '../app/api.ts';
import { h } from '../app/dom.ts';
import { dueText, formatDate, lightBadge, rolesText, subjectText } from '../app/format.ts';
import { mayOpen, screens, worksTasks, type PageContext } from '../app/screens.ts';
import type { Page, ProcessInfo, TaskView } from '../app/types.ts';

/**
 * 首页, by role: what needs me today (tasks by light, the most urgent first), the loops running
 * that I may watch, and the screens my role opens.
 */
export async function render(ctx: PageContext): Promise<void> {
  const { user } = ctx;
  const today = new Intl.DateTimeFormat('zh-CN', { dateStyle: 'full' }).format(new Date());
  const cards = h('div', { class: 'cards' });
  ctx.outlet.append(
    h('h1', { tabindex: '-1' }, `您好，${user.displayName}`),
    h('p', { class: 'muted' }, `${today} · ${rolesText(user.roles)}${user.departmentId ? ' · ' + ctx.departmentName(user.departmentId) : ''}`),
    cards,
  );

  const [tasks, processes] = await Promise.all([
    worksTasks(user) ? get<Page<TaskView>>('/api/tasks?limit=200') : Promise.resolve(null),
    get<ProcessInfo[]>('/api/processes'),
  ]);

  if (tasks) {
    const count = (light: string) => tasks.items.filter((t) => t.light === light).length;
    const urgent = tasks.items.slice(0, 5);
    cards.append(
      h(
        'section',
        { class: 'card card-wide', 'aria-labelledby': 'home-tasks' },
        h('h2', { id: 'home-tasks' }, '我的待办'),
        h(
          'div',
          { class: 'stats' },
          stat(String(tasks.total), '件待办', ''),
          stat(String(count('red')), '件逾期', 'red'),
          stat(String(count('yellow')), '件临期（3 天内）', 'yellow'),
          stat(String(count('green')), '件正常', 'green'),
        ),
        urgent.length === 0
          ? h('p', { class: 'muted' }, '暂无待办事项。')
          : h(
              'ol',
              { class: 'task-mini' },
              urgent.map((t) =>
                h(
                  'li',
                  {},
                  lightBadge(t.light),
                  h('a', { href: `#/tasks/${t.key}` }, t.name),
                  t.subject && h('span', {}, subjectText(t.subject)),
                  h('span', { class: 'muted' }, `${t.processName} · ${t.dueDate ? formatDate(t.dueDate) + '（' + dueText(t.dueDate) + '）' : '无期限'}`),
                ),
              ),
            ),
        h('p', {}, h('a', { class: 'btn', href: '#/inbox' }, '进入待办')),
      ),
    );
  }

  const running = processes.reduce((n, p) => n + p.running, 0);
  cards.append(
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'home-loops' },
      h('h2', { id: 'home-loops' }, user.roles.every((r) => r === 'department') ? '本单位参与的流程' : '运行中的流程'),
      h('div', { class: 'stats' }, stat(String(running), '个流程实例运行中', '')),
      processes.filter((p) => p.running > 0).length > 0 &&
        h(
          'ul',
          { class: 'plain' },
          processes.filter((p) => p.running > 0).map((p) => h('li', {}, h('a', { href: `#/monitor?processId=${encodeURIComponent(p.id)}` }, p.name), ` ${p.running} 个`)),
        ),
      h('p', {}, h('a', { class: 'btn', href: '#/monitor' }, '流程监控')),
    ),
  );

  const shortcuts = screens.filter((s) => s.nav && s.path !== '/' && s.path !== '/inbox' && s.path !== '/monitor' && mayOpen(s, user));
  if (shortcuts.length > 0) {
    cards.append(
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'home-more' },
        h('h2', { id: 'home-more' }, '常用功能'),
        h('ul', { class: 'plain shortcuts' }, shortcuts.map((s) => h('li', {}, h('a', { class: 'btn', href: '#' + s.path }, s.nav!.label)))),
      ),
    );
  }
}

function stat(value: string, label: string, light: string): HTMLElement {
  return h('div', { class: `stat ${light ? 'stat-' + light : ''}` }, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label));
}
