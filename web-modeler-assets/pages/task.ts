import '@bpmn-io/form-js/dist/assets/form-js.css';
import { Form } from '@bpmn-io/form-js';
import { ApiError, get, post } from '../app/api.ts';
import { append, busy, clear, errorBox, h } from '../app/dom.ts';
import { dueText, formatDateTime, lightBadge, subjectText } from '../app/format.ts';
import type { Cleanup, PageContext } from '../app/screens.ts';
import type { TaskDetail } from '../app/types.ts';
import formZh, { localizeFormDom } from '../modules/form-zh/index.ts';
import { countFormTexts } from '../modules/form-counters/index.ts';
import { collaborationSection } from './task-collaboration.ts';
import { itemSection } from './task-item.ts';

interface FormField {
  key?: string;
  label?: string;
  components?: FormField[];
}

/** Labels of the form's fields by key, to name them in the server's problems. */
function fieldLabels(schema: Record<string, unknown> | null): Record<string, string> {
  const labels: Record<string, string> = {};
  const walk = (fields: FormField[] | undefined) => {
    for (const f of fields ?? []) {
      if (f.key) labels[`variables.${f.key}`] = labels[f.key] = f.label ?? f.key;
      walk(f.components);
    }
  };
  walk((schema as { components?: FormField[] } | null)?.components);
  return labels;
}

/**
 * 办理待办: the task's Camunda Form (the same JSON Tasklist renders) in form-js, validated
 * in the browser before submit; the server's answer (Chinese message, per-field problems) is shown.
 */
export async function render(ctx: PageContext): Promise<Cleanup | void> {
  let task: TaskDetail;
  try {
    task = await get<TaskDetail>(`/api/tasks/${encodeURIComponent(ctx.params.key!)}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      ctx.outlet.append(
        h('h1', { tabindex: '-1' }, '待办不存在'),
        errorBox(error),
        h('p', {}, '该待办可能已办结，或不属于您的单位。'),
        h('p', {}, h('a', { class: 'btn', href: '#/inbox' }, '返回待办')),
      );
      return;
    }
    throw error;
  }

  const mine = task.assignee === ctx.user.username;
  const takenByOther = Boolean(task.assignee) && !mine;
  const canAct = task.candidateGroups.some((g) => g.id === ctx.user.departmentId || (ctx.user.roles as string[]).includes(g.id));
  const messages = h('div', { class: 'messages', 'aria-live': 'assertive' });
  const labels = fieldLabels(task.form);

  const claim = h('button', { type: 'button', class: 'btn' }, mine ? '退回认领' : '认领');
  claim.addEventListener(
    'click',
    busy(claim, messages, async () => {
      await post(`/api/tasks/${task.key}/${mine ? 'unclaim' : 'claim'}`);
      ctx.flash(mine ? '已退回认领' : '已认领，请办理');
      ctx.navigate(`/tasks/${task.key}`);
    }),
  );

  append(ctx.outlet, [
    h('p', { class: 'crumbs' }, h('a', { href: '#/inbox' }, '待办'), ' / ', task.name),
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, task.name), lightBadge(task.light)),
    h(
      'dl',
      { class: 'facts' },
      fact('所属流程', task.processName),
      // What the task decides on, and the document to read beside the form (issue 21 point 1).
      task.subject && fact('办理事项', subjectText(task.subject)),
      task.subject?.document && fact('相关公文', h('a', { id: 'subject-document', href: `#/documents/${task.subject.document.id}` }, `查看${task.subject.document.label}`)),
      fact('承办单位', task.candidateGroups.map((g) => g.name).join('、')),
      fact('办理人', task.assignee ? (mine ? '我' : task.assignee) : '未认领'),
      fact('截止时间', task.dueDate ? `${formatDateTime(task.dueDate)}（${dueText(task.dueDate)}）` : '无期限'),
      fact('收到时间', formatDateTime(task.createdAt)),
      fact('流程实例', h('a', { href: `#/monitor/${task.processInstanceKey}` }, task.processInstanceKey)),
    ),
    takenByOther ? h('div', { class: 'alert alert-warning' }, `该待办已由 ${task.assignee} 认领，您只能查看。`) : null,
    !canAct ? h('div', { class: 'alert alert-info' }, '您可以查看此待办，但不是它的办理人。') : null,
    messages,
  ]);

  const formHost = h('div', { class: 'task-form', id: 'task-form' });
  const submit = h('button', { type: 'button', class: 'btn btn-primary', id: 'task-submit', disabled: takenByOther || !canAct }, '提交');
  append(ctx.outlet, [
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'form-title' },
      h('h2', { id: 'form-title' }, task.form ? '办理表单' : '办理'),
      task.form ? formHost : h('p', { class: 'muted' }, '此待办没有表单，确认办结后点击“提交”。'),
      h(
        'div',
        { class: 'form-actions' },
        submit,
        canAct && !takenByOther && claim,
        // The same task and form in the engine's own Tasklist (the same account logs in there).
        canAct && h('a', { class: 'btn', id: 'open-in-tasklist', href: `${ctx.engineWebapps}/app/tasklist/default/#/?task=${encodeURIComponent(task.key)}`, target: '_blank', rel: 'noopener' }, '在 Tasklist 中办理'),
        h('a', { class: 'btn btn-link', href: '#/inbox' }, '返回'),
      ),
    ),
    // The lead unit's own item while it is handled: progress reports and extension requests (第十三条).
    task.item && itemSection(task, task.item),
    collaborationSection(ctx, task.key, canAct || ctx.user.roles.some((r) => r === 'peace_office' || r === 'leader')),
  ]);

  let form: Form | null = null;
  // What watches the form's DOM (translation, counters), stopped with the page.
  const watchers: (() => void)[] = [];
  if (task.form) {
    watchers.push(localizeFormDom(formHost));
    form = new Form({ container: formHost, additionalModules: [formZh] } as ConstructorParameters<typeof Form>[0]);
    // The form opens with what the process knows (option lists, the facts its text shows).
    await form.importSchema(task.form as never, task.variables ?? {});
    watchers.push(countFormTexts(formHost, task.form as { components?: [] }));
    // The banner follows the fields: it counts what is still wrong and goes once everything is right.
    form.on('changed', (state: { errors: Record<string, unknown> }) => {
      const banner = messages.querySelector('#form-errors');
      if (!banner) return;
      const left = Object.keys(state.errors).length;
      if (left === 0) banner.remove();
      else banner.textContent = invalidText(left);
    });
    if (takenByOther || !canAct) formHost.classList.add('readonly');
  }

  const run = busy(
    submit,
    messages,
    async () => {
      let variables: Record<string, unknown> = {};
      if (form) {
        const { data, errors } = form.submit();
        const invalid = Object.keys(errors);
        if (invalid.length > 0) {
          clear(messages);
          messages.append(h('div', { class: 'alert alert-error', role: 'alert', id: 'form-errors' }, invalidText(invalid.length)));
          formHost.querySelector<HTMLElement>('.fjs-has-errors input, .fjs-has-errors textarea, .fjs-has-errors select, .fjs-has-errors [tabindex]')?.focus();
          return;
        }
        variables = data as Record<string, unknown>;
      }
      await post(`/api/tasks/${task.key}/complete`, { variables });
      ctx.flash(`已提交：${task.name}`);
      ctx.refreshBadge();
      ctx.navigate('/inbox');
    },
    labels,
  );
  submit.addEventListener('click', () => void run());

  return () => {
    for (const stop of watchers) stop();
    form?.destroy();
  };
}

const invalidText = (count: number) => `请先更正表单中标红的 ${count} 项后再提交。`;

function fact(label: string, value: string | Node): HTMLElement[] {
  return [h('dt', {}, label), h('dd', {}, value)];
}
