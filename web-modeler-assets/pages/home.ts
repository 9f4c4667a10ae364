import { get } from '../app/api.ts';
import { h } from '../app/dom.ts';
import { dueText, formatDate, lightBadge, rolesText, subjectText } from '../app/format.ts';
import { mayOpen, screens, worksTasks, type PageContext } from '../app/screens.ts';
import type { MajorItemProgress, Page, ProcessInfo, Role, TaskView } from '../app/types.ts';
import type { EscalationBoard } from '../../src/domain/loop/escalation-orders.ts';
import { adhocStartCard } from './adhoc-starts.ts';

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

  const watchesItems = user.roles.some((r) => r === 'peace_office' || r === 'leader');
  const incidentScreen = screens.find((s) => s.path === '/incidents');
  const handlesIncidents = !!incidentScreen && mayOpen(incidentScreen, user);
  const [tasks, processes, major, incidents, escalations] = await Promise.all([
    worksTasks(user) ? get<Page<TaskView>>('/api/tasks?limit=200') : Promise.resolve(null),
    get<ProcessInfo[]>('/api/processes'),
    watchesItems ? get<MajorItemProgress[]>('/api/items/major-progress') : Promise.resolve(null),
    handlesIncidents ? get<{ count: number }>('/api/incidents/count') : Promise.resolve(null),
    watchesItems ? get<EscalationBoard>('/api/escalation-orders') : Promise.resolve(null),
  ]);
  const prompts = escalations?.prompts.length ?? 0;

  // 流程故障 first when there is one: a paused loop waits for the office or an admin (issue 21 §5).
  if (incidents && incidents.count > 0) cards.append(incidentsCard(incidents.count));
  if (prompts > 0) cards.append(promptsCard(prompts, user.roles.includes('leader')));
  ctx.outlet.insertBefore(nextStep(user, tasks?.items[0], incidents?.count ?? 0, prompts), cards);

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

  if (major) cards.append(majorProgressCard(major));
  const adhoc = adhocStartCard(ctx);
  if (adhoc) cards.append(adhoc);

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

/**
 * 下一步: the one thing to do first — a failed step to retry, else the most urgent task, else what
 * the role looks at when nothing waits for it.
 */
function nextStep(user: PageContext['user'], first: TaskView | undefined, incidentCount: number, prompts: number): HTMLElement {
  const line = (text: string, href: string, label: string) => h('p', { class: 'next-step', id: 'home-next' }, h('strong', {}, '下一步：'), text, h('a', { href }, label));
  if (incidentCount > 0) return line(`有 ${incidentCount} 个流程故障待处理，`, '#/incidents', '查看并重试');
  if (first) return line(`${first.light === 'red' ? '已逾期，' : ''}请先办理`, `#/tasks/${first.key}`, `「${first.name}」${first.subject ? '（' + subjectText(first.subject) + '）' : ''}`);
  if (prompts > 0 && user.roles.includes('leader')) return line(`有 ${prompts} 条约谈或挂牌督办建议待您决定，`, '#/escalations', '约谈与挂牌');
  const idle: [Role, string, string, string][] = [
    ['leader', '暂无待审批事项，可在驾驶舱查看全县风险与督办情况，', '#/cockpit', '打开驾驶舱'],
    ['court_analyst', '暂无待办，可导入最新的司法数据，', '#/imports', '数据导入'],
    ['peace_office', '暂无待办，可查看督办事项的红黄绿灯，', '#/cockpit', '打开驾驶舱'],
    ['department', '本单位暂无待办，可查阅收到的公文，', '#/documents', '公文'],
    ['admin', '可维护用户与单位、系统设置，', '#/admin/users', '用户管理'],
    ['auditor', '可查阅全部操作的审计记录，', '#/audit', '审计日志'],
  ];
  const [, text, href, label] = idle.find(([role]) => user.roles.includes(role)) ?? idle[0]!;
  return line(text, href, label);
}

/**
 * 重大事项进展 (第十三条: major matters report progress at any time): the major items in handling,
 * those whose lead unit has not reported yet first, each with its last report's date.
 */
function majorProgressCard(items: MajorItemProgress[]): HTMLElement {
  const silent = items.filter((i) => i.lastReportedAt === null).length;
  return h(
    'section',
    { class: 'card card-wide', id: 'home-major-progress', 'aria-labelledby': 'home-major' },
    h('h2', { id: 'home-major' }, '重大督办事项进展报告'),
    h('div', { class: 'stats' }, stat(String(items.length), '件重大事项办理中', ''), stat(String(silent), '件尚未报告进展', silent > 0 ? 'red' : '')),
    items.length === 0
      ? h('p', { class: 'muted' }, '暂无办理中的重大督办事项。')
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'table' },
            h('thead', {}, h('tr', {}, ['督办编号', '督办事项', '主办单位', '办理时限', '进展报告', '最近进展'].map((label) => h('th', { scope: 'col' }, label)))),
            h(
              'tbody',
              {},
              items.map((i) =>
                h(
                  'tr',
                  { 'data-item-id': i.id, class: i.lastReportedAt ? null : 'row-red' },
                  h('td', {}, i.number ?? '（待编号）'),
                  h('td', {}, i.title),
                  h('td', {}, i.leadUnit),
                  h('td', {}, formatDate(i.deadline)),
                  h('td', {}, `${i.reportCount} 次`),
                  h('td', {}, i.lastReportedAt ? formatDate(i.lastReportedAt) : h('span', { class: 'tag tag-red' }, '尚未报告')),
                ),
              ),
            ),
          ),
        ),
  );
}

/** 建议约谈/挂牌 the data raised (第十五条): a leader decides them, the office follows them. */
function promptsCard(count: number, decides: boolean): HTMLElement {
  return h(
    'section',
    { class: 'card', id: 'home-escalation-prompts', 'aria-labelledby': 'home-escalation-prompts-title' },
    h('h2', { id: 'home-escalation-prompts-title' }, '约谈与挂牌建议'),
    h('div', { class: 'stats' }, stat(String(count), decides ? '条建议待您决定' : '条建议待领导决定', 'yellow')),
    h('p', {}, h('a', { class: 'btn', href: '#/escalations' }, '约谈与挂牌')),
  );
}

/** Steps whose automatic work failed until retries ran out: the loop waits there until someone fixes the cause and retries. */
function incidentsCard(count: number): HTMLElement {
  return h(
    'section',
    { class: 'card card-wide card-danger', id: 'home-incidents', 'aria-labelledby': 'home-incidents-title' },
    h('h2', { id: 'home-incidents-title' }, '流程故障'),
    h('div', { class: 'stats' }, stat(String(count), '个故障待处理，相关流程已暂停', 'red')),
    h('p', {}, h('a', { class: 'btn btn-primary', href: '#/incidents' }, '故障处理')),
  );
}

function stat(value: string, label: string, light: string): HTMLElement {
  return h('div', { class: `stat ${light ? 'stat-' + light : ''}` }, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label));
}
