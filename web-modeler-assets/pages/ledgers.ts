import { get, qs } from '../app/api.ts';
import { append, h } from '../app/dom.ts';
import type { PageContext } from '../app/screens.ts';
import type { Ledger } from '../app/types.ts';
import { pager } from './inbox.ts';

const PAGE_SIZE = 50;

export const ledgerTabs: [string, string][] = [
  ['notices', '风险提示函'],
  ['measures', '工作意见与措施'],
  ['items', '督办事项'],
  ['interviews', '约谈'],
  ['listings', '挂牌督办'],
  ['meetings', '联席会议'],
  ['bulletins', '督办专报'],
  ['evaluations', '成效评价'],
  ['deductions', '考核扣分'],
  ['documents', '公文'],
];

/** 台账: one ledger at a time, searched and paged on the server, exported as .xlsx with the same search. */
export async function render(ctx: PageContext): Promise<void> {
  const kind = ctx.params.kind ?? 'items';
  const q = ctx.query.get('q') ?? '';
  const pageNo = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1);
  const ledger = await get<Ledger>(`/api/ledgers/${encodeURIComponent(kind)}` + qs({ q: q || undefined, limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE }));
  const go = (p: Record<string, string | number | undefined>) => ctx.navigate(`/ledgers/${kind}` + qs({ q: q || undefined, ...p }));

  const search = h('input', { id: 'ledger-q', type: 'search', value: q, maxlength: '100', placeholder: '文号、单位、事项、措施……' });
  const form = h('form', { class: 'toolbar', role: 'search' }, h('label', { for: 'ledger-q' }, '搜索'), search, h('button', { type: 'submit', class: 'btn' }, '搜索'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(`/ledgers/${kind}` + qs({ q: search.value.trim() || undefined }));
  });
  ctx.outlet.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, ledger.title), h('p', { class: 'muted' }, `共 ${ledger.total} 条`)),
    h('nav', { class: 'tabs', 'aria-label': '台账类型' }, ledgerTabs.map(([k, label]) => h('a', { href: `#/ledgers/${k}`, 'aria-current': k === kind ? 'page' : null }, label))),
    form,
    h('p', {}, h('a', { class: 'btn btn-small', id: 'ledger-export', href: `/api/ledgers/${encodeURIComponent(kind)}/export` + qs({ q: q || undefined }), download: '' }, '导出 Excel')),
  );
  if (ledger.items.length === 0) {
    ctx.outlet.append(h('div', { class: 'empty' }, h('p', {}, q ? `没有与“${q}”匹配的记录。` : '暂无记录。')));
    return;
  }
  append(ctx.outlet, [
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table responsive', id: 'ledger-table' },
        h('caption', { class: 'sr-only' }, ledger.title),
        h('thead', {}, h('tr', {}, ledger.columns.map((c) => h('th', { scope: 'col' }, c.label)))),
        h(
          'tbody',
          {},
          ledger.items.map((row) =>
            h(
              'tr',
              {},
              ledger.columns.map((c) => {
                const value = row[c.key];
                if (value === null || value === '') return h('td', { 'data-label': c.label }, '—');
                // A document column links to the document (read receipt and downloads there).
                return h('td', { 'data-label': c.label }, c.document ? h('a', { href: `#/documents/${String(value)}` }, '查看') : String(value));
              }),
            ),
          ),
        ),
      ),
    ),
    pager(ledger.total, pageNo, (n) => go({ page: n })),
  ]);
}
