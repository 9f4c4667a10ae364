import { get, post } from '../app/api.ts';
import { append, busy, clear, countedTextarea, h, notice } from '../app/dom.ts';
import { formatDateTime } from '../app/format.ts';
import type { LeadUnitItem, ProgressReport, TaskDetail } from '../app/types.ts';

const PROGRESS_LIMIT = 5000;
const REASON_LIMIT = 2000;
/** How long the list waits for a sent report to be registered by the item's process. */
const REGISTER_POLLS = 20;
const REGISTER_POLL_MS = 500;

/** The day after a YYYY-MM-DD date, as YYYY-MM-DD (the earliest date an extension may ask for). */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * 督办事项办理 on the lead unit's task page (第十三条): the item's deadline and whether it is 重大,
 * its progress reports, and the two things the unit may send at any time while it handles the item —
 * a progress report and a request for more time — through the item's own routes.
 */
export function itemSection(task: TaskDetail, item: LeadUnitItem): HTMLElement {
  const list = h('ul', { id: 'progress-list', class: 'plain list-rows' });
  const missing = h('div', { id: 'progress-missing' });

  const render = (reports: ProgressReport[], pending: ProgressReport[] = []) => {
    clear(list);
    clear(missing);
    const shown = [...pending.filter((p) => !reports.some((r) => r.id === p.id)), ...reports];
    if (item.major && shown.length === 0) {
      missing.append(h('div', { class: 'alert alert-warning' }, '本事项为重大事项，应随时报告进展；目前尚未报告进展。'));
    }
    append(
      list,
      shown.length === 0
        ? [h('li', { class: 'muted' }, '尚未报告进展。')]
        : shown.map((r) =>
            h(
              'li',
              { 'data-report-id': r.id },
              h('span', { class: 'muted small progress-time' }, formatDateTime(r.reportedAt)),
              pending.includes(r) && h('span', { class: 'tag tag-grey' }, '登记中'),
              h('div', { class: 'progress-content' }, r.content),
            ),
          ),
    );
  };
  render(item.progressReports);

  /** The item's reports as the server has them now (null once the task or the handling has ended, or on no answer). */
  const reload = async (): Promise<ProgressReport[] | null> => {
    try {
      return (await get<TaskDetail>(`/api/tasks/${encodeURIComponent(task.key)}`)).item?.progressReports ?? null;
    } catch {
      return null;
    }
  };

  // 报告进展
  const progress = countedTextarea('progress-content', PROGRESS_LIMIT);
  const progressMessages = h('div', { class: 'messages', id: 'progress-messages', 'aria-live': 'polite' });
  const sendProgress = h('button', { type: 'button', class: 'btn btn-primary', id: 'progress-submit' }, '报告进展');
  sendProgress.addEventListener(
    'click',
    busy(
      sendProgress,
      progressMessages,
      async () => {
        const content = progress.text.value;
        const { reportId } = await post<{ reportId: string }>(`/api/items/${item.id}/progress`, { content });
        progress.reset();
        progressMessages.append(notice('进展报告已报送。', 'success'));
        const sent: ProgressReport = { id: reportId, reportedAt: new Date().toISOString(), content: content.trim() };
        let reports = item.progressReports;
        render(reports, [sent]);
        // The item's process registers the report in a moment: show it as registered once it is.
        for (let i = 0; i < REGISTER_POLLS && !reports.some((r) => r.id === reportId); i++) {
          await new Promise((resolve) => setTimeout(resolve, REGISTER_POLL_MS));
          reports = (await reload()) ?? reports;
        }
        item.progressReports = reports;
        render(reports, [sent]);
      },
      { content: '进展情况' },
    ),
  );

  // 申请延期
  const reason = countedTextarea('extension-reason', REASON_LIMIT);
  // A text field, not the native date picker: its placeholder speaks the browser's language, not always Chinese.
  const requested = h('input', {
    type: 'text',
    id: 'extension-deadline',
    inputmode: 'numeric',
    maxlength: '10',
    autocomplete: 'off',
    placeholder: `如 ${nextDay(item.deadlineDate)}`,
    'aria-describedby': 'extension-deadline-hint',
  });
  const extensionMessages = h('div', { class: 'messages', id: 'extension-messages', 'aria-live': 'polite' });
  const sendExtension = h('button', { type: 'button', class: 'btn', id: 'extension-submit' }, '申请延期');
  sendExtension.addEventListener(
    'click',
    busy(
      sendExtension,
      extensionMessages,
      async () => {
        const requestedDeadline = requested.value.trim();
        await post(`/api/items/${item.id}/extension`, { reason: reason.text.value, requestedDeadline });
        reason.reset();
        requested.value = '';
        extensionMessages.append(notice(`延期申请已提交（申请延至 ${requestedDeadline}），待平安办审核、领导审批。`, 'success'));
      },
      { reason: '延期理由', requestedDeadline: '申请延至' },
    ),
  );

  return h(
    'section',
    { class: 'card', id: 'item-handling', 'aria-labelledby': 'item-title' },
    h('h2', { id: 'item-title' }, '督办事项进展与延期'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, '督办编号'),
      h('dd', { id: 'item-number' }, item.number ?? '（待编号）'),
      h('dt', {}, '督办事项'),
      h('dd', { id: 'item-name' }, item.title),
      h('dt', {}, '办理时限'),
      h('dd', { id: 'item-deadline' }, item.deadlineDate),
      h('dt', {}, '重大事项'),
      h('dd', { id: 'item-major' }, item.major ? '是（须随时报告进展）' : '否'),
    ),
    h('h3', {}, '进展报告'),
    missing,
    list,
    h('h3', {}, '报告进展'),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'progress-content' }, '进展情况'),
      progress.text,
      progress.counter,
      h('div', {}, sendProgress),
    ),
    progressMessages,
    h('h3', {}, '申请延期'),
    item.extensionOpen
      ? [
          h('div', { class: 'field' }, h('label', { for: 'extension-reason' }, '延期理由'), reason.text, reason.counter),
          h(
            'div',
            { class: 'field' },
            h('label', { for: 'extension-deadline' }, '申请延至'),
            requested,
            h('div', { class: 'hint', id: 'extension-deadline-hint' }, `格式为 年-月-日，应晚于现办理时限 ${item.deadlineDate}`),
          ),
          h('div', { class: 'form-actions' }, sendExtension),
          extensionMessages,
        ]
      : h('p', { class: 'muted' }, '办理时限已届满，不能再申请延期。'),
  );
}
