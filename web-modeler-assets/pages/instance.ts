import { ApiError, get } from '../app/api.ts';
import { errorBox, h } from '../app/dom.ts';
import { dueText, formatDateTime, instanceStateNames, lightBadge } from '../app/format.ts';
import type { Cleanup, PageContext } from '../app/screens.ts';
import type { InstanceDetail } from '../app/types.ts';
import { createInstanceViewer } from '../viewer.ts';

/**
 * 流程实例: the diagram the instance runs on, with the path walked, where it stands, which units
 * hold open tasks (red/yellow/green) and any incident; beside it the same facts as a list.
 */
export async function render(ctx: PageContext): Promise<Cleanup | void> {
  let instance: InstanceDetail;
  try {
    instance = await get<InstanceDetail>(`/api/instances/${encodeURIComponent(ctx.params.key!)}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      ctx.outlet.append(h('h1', { tabindex: '-1' }, '流程实例不存在'), errorBox(error), h('p', {}, h('a', { class: 'btn', href: '#/monitor' }, '返回流程监控')));
      return;
    }
    throw error;
  }
  const { xml } = await get<{ xml: string }>(`/api/processes/${encodeURIComponent(instance.processId)}/xml?version=${instance.version}`);

  const canvasHost = h('div', { class: 'diagram', id: 'instance-diagram', role: 'img', 'aria-label': `${instance.processName}流程图，标出了当前所在环节` });
  const zoomIn = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': '放大' }, '＋');
  const zoomOut = h('button', { type: 'button', class: 'btn btn-small', 'aria-label': '缩小' }, '－');
  const fit = h('button', { type: 'button', class: 'btn btn-small' }, '适应窗口');

  ctx.outlet.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/monitor' }, '流程监控'), ' / ', instance.processName),
    h(
      'div',
      { class: 'page-head' },
      h('h1', { tabindex: '-1' }, instance.processName),
      lightBadge(instance.light),
      h('span', { class: 'muted' }, `实例 ${instance.key} · 第 ${instance.version} 版 · ${instanceStateNames[instance.state] ?? instance.state} · 开始于 ${formatDateTime(instance.startTime)}`),
      // Office staff and admins may open Cockpit (its runtime view: Cockpit of this edition keeps no history, our trace does).
      ctx.user.roles.some((r) => r === 'peace_office' || r === 'admin') && instance.state === 'ACTIVE'
        ? h('a', { class: 'btn btn-small', id: 'open-in-cockpit', href: `${ctx.engineWebapps}/app/cockpit/default/#/process-instance/${encodeURIComponent(instance.key)}/runtime`, target: '_blank', rel: 'noopener' }, '在 Cockpit 中查看')
        : null,
    ),
    h(
      'div',
      { class: 'monitor-layout' },
      h(
        'section',
        { class: 'card diagram-card', 'aria-label': '流程图' },
        h(
          'div',
          { class: 'diagram-toolbar' },
          h(
            'ul',
            { class: 'legend', 'aria-label': '图例' },
            h('li', {}, h('span', { class: 'swatch sw-completed' }), '已完成'),
            h('li', {}, h('span', { class: 'swatch sw-active' }), '当前环节'),
            h('li', {}, h('span', { class: 'swatch sw-red' }), '逾期'),
            h('li', {}, h('span', { class: 'swatch sw-yellow' }), '临期'),
            h('li', {}, h('span', { class: 'swatch sw-green' }), '正常'),
            h('li', {}, h('span', { class: 'swatch sw-incident' }), '异常'),
          ),
          h('div', { class: 'zoom' }, zoomOut, zoomIn, fit),
        ),
        canvasHost,
      ),
      h('aside', { class: 'side' }, businessCard(instance), tasksCard(ctx, instance), incidentsCard(instance), progressCard(instance)),
    ),
  );

  const viewer = createInstanceViewer(canvasHost);
  // Where the instance is: its open tasks and incidents first, else any step running (not a subprocess around it).
  const running = instance.elements.filter((e) => e.active > 0 && !/SUB_PROCESS$/.test(e.elementType)).map((e) => e.elementId);
  await viewer.open(xml, [...instance.openTasks.map((t) => t.elementId), ...instance.incidents.map((i) => i.elementId), ...running]);
  viewer.state().show({
    elements: instance.elements,
    openTasks: instance.openTasks.map((t) => ({
      elementId: t.elementId,
      light: t.light,
      dueText: t.dueDate ? dueText(t.dueDate) : '无期限',
      units: t.candidateGroups.map((g) => shortUnit(g.name)).join('、'),
      assignee: t.assignee,
    })),
    incidents: instance.incidents,
    business: instance.business?.badge,
  });
  zoomIn.addEventListener('click', () => viewer.zoom(1.25));
  zoomOut.addEventListener('click', () => viewer.zoom(0.8));
  fit.addEventListener('click', () => viewer.zoom('fit'));
  return () => viewer.destroy();
}

/** "唐河县人力资源和社会保障局" → "人力资源和社会保障局": the county prefix says nothing on a diagram. */
function shortUnit(name: string): string {
  return name.replace(/^(唐河县|南阳市)/, '');
}

/** 业务状态: the loop in the county's terms (null when the process has no business record). */
function businessCard(instance: InstanceDetail): HTMLElement | null {
  const b = instance.business;
  if (!b) return null;
  return h(
    'section',
    { class: 'card', id: 'instance-business', 'aria-labelledby': 'business-title' },
    h('h2', { id: 'business-title' }, '业务状态'),
    h('p', {}, b.title, ' ', b.badge && h('span', { class: `tag tag-${b.badge.tone}` }, b.badge.text)),
    h('dl', { class: 'facts' }, b.facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
  );
}

function tasksCard(ctx: PageContext, instance: InstanceDetail): HTMLElement {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'open-tasks-title' },
    h('h2', { id: 'open-tasks-title' }, `待办（${instance.openTasks.length}）`),
    instance.openTasks.length === 0
      ? h('p', { class: 'muted' }, '没有未办结的待办。')
      : h(
          'ul',
          { class: 'plain list-rows', id: 'instance-tasks' },
          instance.openTasks.map((t) =>
            h(
              'li',
              { 'data-task-key': t.key },
              h('div', {}, lightBadge(t.light), ' ', t.mine ? h('a', { href: `#/tasks/${t.key}` }, t.name) : h('strong', {}, t.name)),
              h('div', { class: 'small' }, t.candidateGroups.map((g) => g.name).join('、')),
              h(
                'div',
                { class: 'small muted' },
                `截止 ${t.dueDate ? formatDateTime(t.dueDate) + '（' + dueText(t.dueDate) + '）' : '无期限'} · ${t.assignee ? '办理人 ' + t.assignee : '未认领'}`,
              ),
            ),
          ),
        ),
    !ctx.user.roles.every((r) => r === 'department') ? null : h('p', { class: 'small muted' }, '仅显示本单位的待办。'),
  );
}

function incidentsCard(instance: InstanceDetail): HTMLElement | null {
  if (instance.incidents.length === 0) return null;
  return h(
    'section',
    { class: 'card card-danger', 'aria-labelledby': 'incidents-title' },
    h('h2', { id: 'incidents-title' }, `异常（${instance.incidents.length}）`),
    h(
      'ul',
      { class: 'plain list-rows' },
      instance.incidents.map((i) =>
        h('li', {}, h('div', {}, h('code', {}, i.elementId), ' · ', i.errorType), h('div', { class: 'small' }, i.message ?? '流程异常，已通知管理员'), h('div', { class: 'small muted' }, formatDateTime(i.createdAt))),
      ),
    ),
  );
}

function progressCard(instance: InstanceDetail): HTMLElement {
  const completed = instance.elements.filter((e) => e.completed > 0).length;
  const active = instance.elements.filter((e) => e.active > 0).length;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'progress-title' },
    h('h2', { id: 'progress-title' }, '进度'),
    h('p', {}, `已完成 ${completed} 个环节，当前 ${active} 个环节进行中。`),
    instance.parentKey && h('p', {}, '上级流程：', h('a', { href: `#/monitor/${instance.parentKey}` }, instance.parentKey)),
    instance.endTime && h('p', {}, `结束于 ${formatDateTime(instance.endTime)}`),
  );
}
