import { get, post } from '../app/api.ts';
import { append, busy, countedTextarea, h } from '../app/dom.ts';
import { formatDateTime, subjectText } from '../app/format.ts';
import type { PageContext } from '../app/screens.ts';
import type { OpenIncident } from '../app/types.ts';

/**
 * 故障处理 (issue 21 §5), for the office and admins: each step of the loop whose automatic work
 * failed until its retries ran out — which matter, which step, why (the reason in Chinese), since
 * when. After the cause is fixed (by whoever the reason names), 重试 runs the step once more at
 * once; the note says what was fixed and goes to the audit log. Cockpit shows the same incident.
 */
export async function render(ctx: PageContext): Promise<void> {
  const incidents = await get<OpenIncident[]>('/api/incidents');
  ctx.outlet.append(
    h('h1', { tabindex: '-1' }, '故障处理'),
    h('p', { class: 'muted' }, '自动处理的环节多次失败后列在这里，流程在该环节暂停。请按“原因”排除故障（需要系统管理员处理的，请联系系统管理员），然后点“重试”，流程从该环节继续。'),
  );
  if (incidents.length === 0) {
    ctx.outlet.append(h('div', { class: 'empty', id: 'incidents-empty' }, h('p', {}, '目前没有待处理的流程故障。')));
    return;
  }
  append(ctx.outlet, [
    h('p', {}, `共 ${incidents.length} 个待处理故障，最新的在前。`),
    h('ol', { class: 'plain incident-list', id: 'incident-list' }, incidents.map((i) => incidentCard(ctx, i))),
  ]);
}

function incidentCard(ctx: PageContext, i: OpenIncident): HTMLElement {
  const messages = h('div', { 'aria-live': 'polite' });
  const noteId = `incident-note-${i.key}`;
  const note = countedTextarea(noteId, 500, 2);
  note.text.placeholder = '例如：已恢复数据库授权';
  const retry = h('button', { type: 'button', class: 'btn btn-primary retry-incident' }, '重试');
  retry.addEventListener(
    'click',
    busy(
      retry,
      messages,
      async () => {
        await post(`/api/incidents/${encodeURIComponent(i.key)}/retry`, note.text.value.trim() ? { note: note.text.value.trim() } : {});
        ctx.refreshBadge();
        ctx.flash(`已重试“${i.elementName}”，流程从该环节继续。`, 'success');
        ctx.navigate('/incidents');
      },
      { note: '处理说明' },
    ),
  );
  const title = i.subject ? subjectText(i.subject) : (i.businessKey ?? `实例 ${i.processInstanceKey}`);
  return h(
    'li',
    { class: 'card card-danger incident', 'data-incident-key': i.key, 'data-instance-key': i.processInstanceKey },
    h('h2', {}, title),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, '流程'),
      h('dd', {}, h('a', { href: `#/monitor/${i.processInstanceKey}` }, i.processName), ' ', h('span', { class: 'muted small' }, `实例 ${i.processInstanceKey}`)),
      h('dt', {}, '故障环节'),
      h('dd', { class: 'incident-step' }, i.elementName),
      h('dt', {}, '故障类型'),
      h('dd', {}, i.typeLabel),
      h('dt', {}, '发生时间'),
      h('dd', {}, formatDateTime(i.createdAt)),
    ),
    h('div', { class: 'alert alert-error incident-reason' }, h('strong', {}, '原因：'), i.message ?? '（引擎未记录原因）'),
    i.retryable
      ? h('div', { class: 'form-row' }, h('label', { for: noteId }, '处理说明（选填）'), h('div', { class: 'grow' }, note.text, note.counter), retry)
      : h('p', { class: 'muted' }, '此类故障不能在这里重试，请在 Cockpit 中处理。'),
    h(
      'p',
      {},
      h(
        'a',
        {
          class: 'btn btn-small open-in-cockpit',
          href: `${ctx.engineWebapps}/app/cockpit/default/#/process-instance/${encodeURIComponent(i.processInstanceKey)}/runtime?tab=incidents-tab`,
          target: '_blank',
          rel: 'noopener',
        },
        '在 Cockpit 中查看',
      ),
    ),
    messages,
  );
}
