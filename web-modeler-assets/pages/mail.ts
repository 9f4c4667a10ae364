import { get } from '../app/api.ts';
import { append, h } from '../app/dom.ts';
import { formatDateTime } from '../app/format.ts';
import type { PageContext } from '../app/screens.ts';
import type { CaughtMail } from '../app/types.ts';

/** 开发邮箱: what the local mail catcher received (development only; the server says 404 otherwise). */
export async function render(ctx: PageContext): Promise<void> {
  const mails = await get<CaughtMail[]>('/api/admin/mail');
  ctx.outlet.append(h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '开发邮箱'), h('p', { class: 'muted' }, `本地邮件捕获器共收到 ${mails.length} 封邮件`)));
  append(
    ctx.outlet,
    mails.map((m) =>
      h(
        'details',
        { class: 'detail', 'data-mail-index': String(m.index) },
        h('summary', {}, h('strong', {}, m.subject || '（无主题）'), ` · ${formatDateTime(m.date)} · 收件人 ${m.to.join('、')}`),
        h('p', {}, `发件人：${m.from}`),
        m.cc.length > 0 && h('p', {}, `抄送：${m.cc.join('、')}`),
        m.attachments.length > 0 && h('p', {}, `附件：${m.attachments.map((a) => `${a.filename}（${Math.ceil(a.size / 1024)} KB）`).join('、')}`),
        h('div', { class: 'report-text' }, m.text),
      ),
    ),
  );
}
