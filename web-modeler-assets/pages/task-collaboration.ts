import { get, post } from '../app/api.ts';
import { append, busy, clear, countedTextarea, h } from '../app/dom.ts';
import { formatDateTime } from '../app/format.ts';
import type { PageContext } from '../app/screens.ts';
import type { TaskAttachment, TaskComment } from '../app/types.ts';

/** 意见与附件 of one task: anyone who sees the task reads them; its candidates and the office add to them. */
export function collaborationSection(ctx: PageContext, key: string, canWrite: boolean): HTMLElement {
  const comments = h('ul', { id: 'task-comments', class: 'plain' });
  const files = h('ul', { id: 'task-attachments', class: 'plain' });
  const messages = h('div', { class: 'messages', 'aria-live': 'polite' });

  const load = async () => {
    const [c, a] = await Promise.all([get<TaskComment[]>(`/api/tasks/${key}/comments`), get<TaskAttachment[]>(`/api/tasks/${key}/attachments`)]);
    clear(comments);
    clear(files);
    append(comments, c.length === 0 ? [h('li', { class: 'muted' }, '暂无意见。')] : c.map((x) => h('li', {}, h('strong', {}, x.authorName), h('span', { class: 'muted small' }, ` ${ctx.departmentName(x.departmentId)} · ${formatDateTime(x.createdAt)}`), h('div', {}, x.body))));
    append(files, a.length === 0 ? [h('li', { class: 'muted' }, '暂无附件。')] : a.map((x) => h('li', {}, h('a', { href: `/api/tasks/${key}/attachments/${x.id}`, download: '' }, x.fileName), h('span', { class: 'muted small' }, ` ${Math.ceil(x.size / 1024)} KB · ${x.uploaderName} · ${formatDateTime(x.createdAt)}`))));
  };

  const comment = countedTextarea('comment-body', 2000, 3);
  const text = comment.text;
  const send = h('button', { type: 'button', class: 'btn btn-small' }, '发表意见');
  send.addEventListener('click', busy(send, messages, async () => {
    await post(`/api/tasks/${key}/comments`, { body: text.value });
    comment.reset();
    await load();
  }, { body: '意见' }));
  // The native file button speaks the browser's language; ours is a label in Chinese.
  const picker = h('input', { type: 'file', id: 'attachment-file', class: 'sr-only', accept: '.pdf,.docx,.xlsx,.jpg,.jpeg,.png' });
  const chosen = h('span', { class: 'muted small' }, '未选择文件');
  picker.addEventListener('change', () => (chosen.textContent = picker.files?.[0]?.name ?? '未选择文件'));
  const upload = h('button', { type: 'button', class: 'btn btn-small' }, '上传附件');
  upload.addEventListener('click', busy(upload, messages, async () => {
    const file = picker.files?.[0];
    if (!file) throw new Error('请先选择文件');
    await post(`/api/tasks/${key}/attachments?fileName=${encodeURIComponent(file.name)}`, file);
    picker.value = '';
    chosen.textContent = '未选择文件';
    await load();
  }, { fileName: '附件' }));

  void load().catch((error: unknown) => messages.append(h('p', { class: 'alert alert-error' }, error instanceof Error ? error.message : String(error))));
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'collab-title' },
    h('h2', { id: 'collab-title' }, '意见与附件'),
    h('h3', {}, '办理意见'),
    comments,
    canWrite && h('div', { class: 'collab-input' }, h('label', { for: 'comment-body' }, '新意见'), text, comment.counter, h('div', {}, send)),
    h('h3', {}, '附件'),
    files,
    canWrite &&
      h(
        'div',
        { class: 'collab-input' },
        h('span', { class: 'muted small' }, 'PDF、Word、Excel 或图片'),
        h('div', {}, picker, h('label', { for: 'attachment-file', class: 'btn btn-small' }, '选择文件'), ' ', chosen, ' ', upload),
      ),
    messages,
  );
}
