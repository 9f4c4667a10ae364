import { get, qs } from '../app/api.ts';
import { append, h } from '../app/dom.ts';
import { formatDateTime } from '../app/format.ts';
import type { PageContext } from '../app/screens.ts';
import type { DocumentDetail, DocumentSummary, Page } from '../app/types.ts';
import { pager } from './inbox.ts';

const PAGE_SIZE = 50;

/** 公文收件箱: papers addressed to my unit (主送 or 抄送) and public ones; unread first in bold. */
export async function render(ctx: PageContext): Promise<void> {
  if (ctx.params.id) return renderOne(ctx, ctx.params.id);
  const unread = ctx.query.get('unread') === 'true';
  const pageNo = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
  const list = await get<Page<DocumentSummary>>('/api/documents' + qs({ unread: unread ? 'true' : undefined, limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE }));
  const toggle = h('input', { type: 'checkbox', id: 'documents-unread', checked: unread });
  toggle.addEventListener('change', () => ctx.navigate('/documents' + qs({ unread: toggle.checked ? 'true' : undefined })));
  ctx.outlet.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '公文'), h('p', { class: 'muted' }, `共 ${list.total} 份`)),
    h('div', { class: 'toolbar' }, toggle, h('label', { for: 'documents-unread' }, '只看未读')),
  );
  if (list.items.length === 0) {
    ctx.outlet.append(h('div', { class: 'empty' }, h('p', {}, '暂无公文。')));
    return;
  }
  append(ctx.outlet, [
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table responsive', id: 'documents-table' },
        h('caption', { class: 'sr-only' }, '公文，最新的在前'),
        h('thead', {}, h('tr', {}, ['文号', '标题', '主送', '成文日期', '状态'].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          list.items.map((d) =>
            h(
              'tr',
              { 'data-document-id': d.id, class: d.readAt ? null : 'unread' },
              h('td', { 'data-label': '文号' }, d.number ?? '—'),
              h('td', { 'data-label': '标题' }, h('a', { href: `#/documents/${d.id}` }, d.title)),
              h('td', { 'data-label': '主送' }, d.recipients.map((r) => ctx.departmentName(r)).join('、') || '—'),
              h('td', { 'data-label': '成文日期' }, d.issuedOn),
              h('td', { 'data-label': '状态' }, d.readAt ? `已读 ${formatDateTime(d.readAt)}` : h('span', { class: 'tag tag-red' }, '未读')),
            ),
          ),
        ),
      ),
    ),
    pager(list.total, pageNo, (n) => ctx.navigate('/documents' + qs({ unread: unread ? 'true' : undefined, page: n }))),
  ]);
}

async function renderOne(ctx: PageContext, id: string): Promise<void> {
  const d = await get<DocumentDetail>(`/api/documents/${encodeURIComponent(id)}`);
  append(ctx.outlet, [
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, d.title), h('p', { class: 'muted' }, `${d.number ?? ''} · 成文日期 ${d.issuedOn}`)),
    h(
      'p',
      {},
      h('a', { class: 'btn btn-small', href: `/api/documents/${d.id}/file/pdf`, download: '' }, '下载 PDF'),
      ' ',
      h('a', { class: 'btn btn-small', href: `/api/documents/${d.id}/file/docx`, download: '' }, '下载 Word'),
    ),
    h('p', {}, `主送：${d.recipients.map((r) => ctx.departmentName(r)).join('、') || '—'}`, d.cc.length > 0 && `；抄送：${d.cc.map((r) => ctx.departmentName(r)).join('、')}`),
    h('div', { class: 'report-text', id: 'document-text' }, d.text),
    d.receipts &&
      h(
        'section',
        {},
        h('h2', {}, '签阅情况'),
        d.receipts.length === 0
          ? h('p', { class: 'muted' }, '尚无单位签阅。')
          : h('ul', { id: 'document-receipts' }, d.receipts.map((r) => h('li', {}, `${ctx.departmentName(r.departmentId)} ${r.reader}：${formatDateTime(r.firstReadAt)}`))),
      ),
    h('p', { class: 'muted small' }, `PDF SHA-256 ${d.pdfSha256}`),
  ]);
}
