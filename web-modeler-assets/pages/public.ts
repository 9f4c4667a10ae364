import * as echarts from 'echarts';
import { get } from '../app/api.ts';
import { append, h } from '../app/dom.ts';
import { formatDate } from '../app/format.ts';
import type { PublicContext } from '../app/screens.ts';
import type { PublicReport } from '../app/types.ts';

/** 年度报告（公开）: the latest published year for anyone, aggregates only (第十七条). */
export async function render(ctx: PublicContext): Promise<() => void> {
  const report = await get<PublicReport>('/api/public/report');
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
  return () => chart.dispose();
}
