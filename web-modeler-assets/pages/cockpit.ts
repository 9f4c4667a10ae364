import * as echarts from 'echarts';
import { get, qs } from '../app/api.ts';
import { append, clear, h } from '../app/dom.ts';
import { riskLevelNames } from '../app/format.ts';
import type { Cleanup, PageContext } from '../app/screens.ts';
import type { Cockpit, RiskLevel } from '../app/types.ts';

const levelColours: Record<RiskLevel, string> = { low: '#8cc9a1', medium: '#f2c94c', high: '#f08a5d', critical: '#c4320a' };
const levels: RiskLevel[] = ['low', 'medium', 'high', 'critical'];

/**
 * 驾驶舱: one round's indicators (rows, by domain) across 全县 and the 23 townships (columns),
 * coloured by level and keyboard-reachable; the county's levels per domain; the loop's counts and
 * the units with the most overdue items. A cell opens the indicator's county history and the
 * trace of the loop it started.
 */
export async function render(ctx: PageContext): Promise<Cleanup> {
  const roundId = ctx.query.get('roundId') ?? undefined;
  const data = await get<Cockpit>('/api/cockpit' + qs({ roundId }));
  const charts: echarts.ECharts[] = [];
  const onResize = () => charts.forEach((c) => c.resize());
  window.addEventListener('resize', onResize);
  const cleanup = () => {
    window.removeEventListener('resize', onResize);
    charts.forEach((c) => c.dispose());
  };

  const roundSelect = h(
    'select',
    { id: 'cockpit-round' },
    data.rounds.map((r) => h('option', { value: r.id, selected: r.id === data.round?.id }, `${r.id}（${r.periodStart} 至 ${r.periodEnd}）`)),
  );
  roundSelect.addEventListener('change', () => ctx.navigate('/cockpit' + qs({ roundId: roundSelect.value })));
  ctx.outlet.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, '驾驶舱'), data.round && h('p', { class: 'muted' }, `评估期间 ${data.round.periodStart} 至 ${data.round.periodEnd}`)),
    h('div', { class: 'toolbar' }, h('label', { for: 'cockpit-round' }, '评估轮次'), roundSelect),
    h(
      'div',
      { class: 'cards', id: 'cockpit-counts' },
      h('div', { class: 'card' }, h('div', { class: 'muted' }, '待反馈的风险提示函'), h('div', { class: 'figure' }, String(data.counts.openNotices))),
      h(
        'div',
        { class: 'card' },
        h('div', { class: 'muted' }, '在办督办事项'),
        h(
          'div',
          {},
          h('span', { class: 'tag tag-red' }, `逾期 ${data.counts.items.red}`),
          h('span', { class: 'tag tag-yellow' }, `临期 ${data.counts.items.yellow}`),
          h('span', { class: 'tag tag-green' }, `正常 ${data.counts.items.green}`),
        ),
      ),
      h(
        'div',
        { class: 'card' },
        h('div', { class: 'muted' }, '逾期事项最多的单位'),
        data.mostOverdue.length === 0 ? h('div', {}, '无逾期事项') : h('ol', { id: 'most-overdue' }, data.mostOverdue.map((u) => h('li', {}, `${u.name}：${u.overdue} 件`))),
      ),
    ),
  );
  if (!data.round) {
    ctx.outlet.append(h('div', { class: 'empty' }, h('p', {}, '尚无已计算指标的评估轮次。')));
    return cleanup;
  }
  const round = data.round;

  const cellOf = new Map(data.cells.map((c) => [`${c.indicatorId}:${c.region}`, c]));
  const domains = [...new Set(data.indicators.map((i) => i.domain))];
  const levelChart = h('div', { class: 'chart', id: 'cockpit-levels', role: 'img', 'aria-label': '各领域指标风险等级分布（全县）' });
  const detail = h('section', { class: 'detail', id: 'cockpit-detail', 'aria-live': 'polite' }, h('p', { class: 'muted' }, '点击热力格查看指标走势和溯源。'));

  const regraded = (cell: Cockpit['cells'][number]) => (cell.reassessment ? `，联席会议再评估，原计算为${riskLevelNames[cell.reassessment.computedLevel]}` : '');
  const showDetail = (indicatorId: string, region: string) => {
    const indicator = data.indicators.find((i) => i.id === indicatorId)!;
    const cell = cellOf.get(`${indicatorId}:${region}`);
    const regionName = data.regions.find((r) => r.id === region)?.name ?? region;
    const points = data.history.find((x) => x.indicatorId === indicatorId)?.points ?? [];
    const trend = h('div', { class: 'chart', role: 'img', 'aria-label': `${indicator.name} 全县历次评估数值` });
    clear(detail);
    append(detail, [
      h('h2', {}, `${indicator.id} ${indicator.name} · ${regionName}`),
      cell ? h('p', {}, h('span', { class: `tag level-${cell.level}` }, `${riskLevelNames[cell.level]}风险`), ' ', cell.reason) : h('p', {}, '本轮无该指标数值。'),
      cell?.reassessment
        ? h(
            'p',
            { id: 'cockpit-reassessment' },
            `联席会议 ${cell.reassessment.meetingId} 再评估：计算等级为${riskLevelNames[cell.reassessment.computedLevel]}风险，调整为${riskLevelNames[cell.level]}风险。${cell.reassessment.analysis}`,
          )
        : null,
      cell?.suppressed ? h('p', { class: 'muted' }, '案件数少于 5 件，数值不对外显示（<5）。') : null,
      trend,
      h('p', {}, h('a', { href: `#/trace/indicator/${encodeURIComponent(`${round.id}:${indicatorId}`)}`, id: 'cockpit-trace' }, '查看该指标引发的闭环溯源 →')),
    ]);
    const chart = echarts.init(trend);
    charts.push(chart);
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      xAxis: { type: 'category', data: points.map((p) => p.roundId) },
      yAxis: { type: 'value' },
      series: [{ type: 'line', data: points.map((p) => ({ value: p.value, itemStyle: { color: levelColours[p.level] } })), connectNulls: false }],
    });
  };

  const grid = h(
    'table',
    { class: 'heat', id: 'heat-grid' },
    h('caption', { class: 'sr-only' }, '指标风险热力表：行是指标，列是全县和各乡镇'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '指标'), data.regions.map((r) => h('th', { scope: 'col' }, r.name)))),
    domains.map((domain) =>
      h(
        'tbody',
        {},
        h('tr', {}, h('th', { scope: 'rowgroup', colspan: String(data.regions.length + 1), class: 'muted' }, domain)),
        data.indicators
          .filter((i) => i.domain === domain)
          .map((i) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row', title: i.name }, `${i.id} ${i.name}`),
              data.regions.map((r) => {
                const cell = cellOf.get(`${i.id}:${r.id}`);
                if (!cell) return h('td', {}, '');
                const value = cell.suppressed ? '<5' : cell.value === null ? '—' : String(Math.round(cell.value * 100) / 100);
                const button = h(
                  'button',
                  {
                    type: 'button',
                    class: `level-${cell.level}${cell.reassessment ? ' reassessed' : ''}`,
                    'data-cell': `${i.id}:${r.id}`,
                    title: `${i.name} · ${r.name}：${value}（${riskLevelNames[cell.level]}${regraded(cell)}）${cell.reason}`,
                    'aria-label': `${i.name}，${r.name}，${riskLevelNames[cell.level]}风险${regraded(cell)}，数值 ${value}`,
                  },
                  riskLevelNames[cell.level],
                  cell.reassessment ? h('sup', { 'aria-hidden': 'true' }, '再') : null,
                );
                button.addEventListener('click', () => showDetail(i.id, r.id));
                return h('td', {}, button);
              }),
            ),
          ),
      ),
    ),
  );
  ctx.outlet.append(h('h2', {}, '各领域风险等级（全县）'), levelChart, h('h2', {}, '指标热力表'), h('div', { class: 'heat-wrap' }, grid), detail);

  const chart = echarts.init(levelChart);
  charts.push(chart);
  chart.setOption({
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: levels.map((l) => `${riskLevelNames[l]}风险`) },
    grid: { left: 48, right: 16, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: domains, axisLabel: { interval: 0, fontSize: 11 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: levels.map((level) => ({
      name: `${riskLevelNames[level]}风险`,
      type: 'bar',
      stack: 'levels',
      itemStyle: { color: levelColours[level] },
      data: domains.map((d) => data.indicators.filter((i) => i.domain === d && cellOf.get(`${i.id}:county`)?.level === level).length),
    })),
  });
  return cleanup;
}
