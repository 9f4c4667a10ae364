import * as echarts from 'echarts';
import type { PublicListing } from '../../src/services/public-report.ts';
import { ApiError, get } from '../app/api.ts';
import { append, h } from '../app/dom.ts';
import { formatDate } from '../app/format.ts';
import type { PublicContext } from '../app/screens.ts';
import type { PublicReport } from '../app/types.ts';

/**
 * 年度报告（公开）: the latest published year for anyone, aggregates only (第十七条), and the
 * 挂牌督办公示 — every listing with its unit, deadline and 摘牌 (DOMAIN.md §4.5).
 */
export async function render(ctx: PublicContext): Promise<() => void> {
  const [report, listings] = await Promise.all([
    get<PublicReport>('/api/public/report').catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }),
    get<PublicListing[]>('/api/public/listings'),
  ]);
  const disposers: (() => void)[] = [];
  if (report) {
    const chartBox = h('div', { class: 'chart', id: 'public-outcomes', role: 'img', 'aria-label': '上年度高风险指标的治理成效分布' });
    append(ctx.outlet, [
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, `唐河县 ${report.year} 年度社会治理风险防控工作报告`), h('p', { class: 'muted' }, `发布日期 ${formatDate(report.publishedAt)}`)),
      h('h2', {}, '上年度高风险指标的治理成效'),
      h('ul', { id: 'public-counts' }, report.outcomes.map((o) => h('li', {}, `${o.label}：${o.count} 项`))),
      chartBox,
      h(
        'table',
        { class: 'table' },
        h('caption', {}, '按领域统计'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '领域'), report.outcomes.map((o) => h('th', { scope: 'col' }, o.label)))),
        h('tbody', {}, report.byDomain.map((d) => h('tr', {}, h('th', { scope: 'row' }, d.domain), report.outcomes.map((o) => h('td', {}, String(d.counts[o.outcome] ?? 0)))))),
      ),
      report.text ? h('section', {}, h('h2', {}, '报告全文'), h('div', { class: 'report-text' }, report.text)) : null,
    ]);
    const chart = echarts.init(chartBox);
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: ['40%', '70%'], data: report.outcomes.map((o) => ({ name: o.label, value: o.count })) }],
    });
    disposers.push(() => chart.dispose());
  } else {
    ctx.outlet.append(h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '唐河县社会治理风险防控工作公开信息'), h('p', { class: 'muted' }, '尚未发布年度报告。')));
  }
  ctx.outlet.append(
    h(
      'section',
      { id: 'public-listings', 'aria-labelledby': 'public-listings-title' },
      h('h2', { id: 'public-listings-title' }, '挂牌督办公示'),
      listings.length === 0
        ? h('p', { class: 'muted' }, '目前没有挂牌督办事项。')
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table responsive' },
              h('thead', {}, h('tr', {}, ['挂牌编号', '单位', '督办事项', '挂牌日期', '整改期限', '状态'].map((c) => h('th', { scope: 'col' }, c)))),
              h(
                'tbody',
                {},
                listings.map((l) =>
                  h(
                    'tr',
                    { 'data-listing': l.number },
                    h('td', { 'data-label': '挂牌编号' }, l.number),
                    h('td', { 'data-label': '单位' }, l.unit),
                    h('td', { 'data-label': '督办事项' }, l.matter),
                    h('td', { 'data-label': '挂牌日期' }, l.listedOn ?? '—'),
                    h('td', { 'data-label': '整改期限' }, l.deadline),
                    h('td', { 'data-label': '状态' }, l.delistedOn ? `${l.status}（${l.delistedOn}）` : l.status),
                  ),
                ),
              ),
            ),
          ),
    ),
  );
  return () => disposers.forEach((d) => d());
}
