import { renderAsync, type RenderedImage } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { ChartSpec, HeatGridChart, LevelBarsChart, Tone, TrendChart } from '../domain/documents/model.ts';
import { cjkFonts } from './fonts.ts';
import { toneMark, toneSoft } from './palette.ts';

/**
 * Charts drawn server-side: echarts in SSR mode renders SVG (no DOM, no canvas); the SVG goes
 * into PDFs as vectors (svg-to-pdfkit, so axis labels stay extractable text) and is rasterised
 * by resvg, with the CJK font files loaded, into the PNG that .docx files embed.
 */

export interface ChartSize {
  width: number;
  height: number;
}

/** Natural size in CSS pixels (≈ points): the text width of an A4 page is about 442 pt. */
export function chartSize(spec: ChartSpec): ChartSize {
  switch (spec.type) {
    case 'trend':
      return { width: 600, height: 300 };
    case 'level_bars':
      return { width: 600, height: Math.max(220, 90 + spec.categories.length * 36) };
    case 'heat_grid':
      return { width: 600, height: Math.max(260, 130 + spec.rows.length * 22) };
  }
}

const NOTE_SUPPRESSED = '注：基数少于5件的期间不予显示';

function base(title: string, subtext?: string): echarts.EChartsOption {
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: cjkFonts().chartFamily },
    title: { text: title, left: 'center', top: 6, textStyle: { fontSize: 16, fontWeight: 'bold', color: '#222' }, ...(subtext ? { subtext, subtextStyle: { fontSize: 12, color: '#666' } } : {}) },
  };
}

function trendOption(spec: TrendChart): echarts.EChartsOption {
  const gaps = spec.series.some((s) => s.values.some((v) => v === null));
  const palette = [toneMark.blue, toneMark.red, toneMark.green, toneMark.orange];
  return {
    ...base(spec.title, gaps ? NOTE_SUPPRESSED : undefined),
    grid: { left: 64, right: 32, top: gaps ? 72 : 56, bottom: spec.series.length > 1 ? 64 : 40 },
    legend: spec.series.length > 1 ? { bottom: 6, textStyle: { fontSize: 12 } } : { show: false },
    xAxis: { type: 'category', data: spec.categories, axisLabel: { fontSize: 13, color: '#333', interval: 0 } },
    yAxis: { type: 'value', name: spec.unit, nameTextStyle: { fontSize: 13, color: '#333' }, axisLabel: { fontSize: 13, color: '#333' } },
    series: spec.series.map((s, i) => ({
      type: 'line',
      name: s.name,
      data: s.values,
      connectNulls: false,
      symbol: 'circle',
      symbolSize: 7,
      lineStyle: { width: 2.5, color: palette[i % palette.length] },
      itemStyle: { color: palette[i % palette.length] },
      // No text border: svg-to-pdfkit would paint the white halo over the glyphs.
      label: { show: true, position: 'top', fontSize: 13, color: '#222', textBorderWidth: 0 },
    })),
  };
}

function levelBarsOption(spec: LevelBarsChart): echarts.EChartsOption {
  return {
    ...base(spec.title),
    grid: { left: 150, right: 32, top: 48, bottom: 48 },
    legend: { bottom: 6, textStyle: { fontSize: 12 } },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 12, color: '#333' } },
    yAxis: { type: 'category', inverse: true, data: spec.categories, axisLabel: { fontSize: 13, color: '#333' } },
    series: spec.series.map((s) => ({
      type: 'bar',
      stack: 'levels',
      name: s.name,
      barWidth: 20,
      data: s.values,
      itemStyle: { color: toneMark[s.tone] },
      label: { show: true, fontSize: 11, color: '#fff', textBorderWidth: 0, formatter: (p: { value: unknown }) => (Number(p.value) > 0 ? String(p.value) : '') },
    })),
  };
}

const gridTones: (Tone | null)[] = [null, 'blue', 'yellow', 'orange', 'red'];
const gridToneNames = ['未评级', '低风险', '中风险', '高风险', '重大风险'];

function heatGridOption(spec: HeatGridChart): echarts.EChartsOption {
  const data = spec.rows.flatMap((_, y) => spec.columns.map((__, x) => [x, y, Math.max(0, gridTones.indexOf(spec.cells[y]?.[x]?.tone ?? null))]));
  return {
    ...base(spec.title),
    grid: { left: 110, right: 24, top: 76, bottom: 48 },
    xAxis: { type: 'category', position: 'top', data: spec.columns, axisLabel: { fontSize: 11, color: '#333', interval: 0, width: Math.max(48, 520 / Math.max(1, spec.columns.length)), overflow: 'break' }, splitArea: { show: true } },
    yAxis: { type: 'category', inverse: true, data: spec.rows, axisLabel: { fontSize: 11, color: '#333', interval: 0 }, splitArea: { show: true } },
    visualMap: {
      type: 'piecewise',
      orient: 'horizontal',
      bottom: 6,
      left: 'center',
      textStyle: { fontSize: 11 },
      pieces: gridTones.map((tone, i) => ({ value: i, label: gridToneNames[i], color: tone ? toneSoft[tone] : toneSoft.grey })),
    },
    series: [
      {
        type: 'heatmap',
        data,
        itemStyle: { borderColor: '#ffffff', borderWidth: 1 },
        label: {
          show: true,
          fontSize: 10,
          color: '#111',
          textBorderWidth: 0,
          formatter: (p: { value: unknown }) => {
            const [x, y] = p.value as [number, number];
            return spec.cells[y]?.[x]?.label ?? '';
          },
        },
      },
    ],
  };
}

export function chartOption(spec: ChartSpec): echarts.EChartsOption {
  switch (spec.type) {
    case 'trend':
      return trendOption(spec);
    case 'level_bars':
      return levelBarsOption(spec);
    case 'heat_grid':
      return heatGridOption(spec);
  }
}

/** The chart as an SVG document (echarts SSR). */
export function chartSvg(spec: ChartSpec, size: ChartSize = chartSize(spec)): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption(chartOption(spec));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The SVG rasterised at `scale`× (resvg on the libuv pool, with the CJK font files loaded). */
export async function rasterise(svg: string, scale = 2): Promise<RenderedImage> {
  const fonts = cjkFonts();
  return renderAsync(svg, {
    font: { loadSystemFonts: false, fontFiles: fonts.files, defaultFontFamily: fonts.chartFamily, sansSerifFamily: fonts.chartFamily, serifFamily: fonts.chartFamily },
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    logLevel: 'off',
  });
}

/** The PNG that .docx files embed. */
export async function chartPng(spec: ChartSpec, size: ChartSize = chartSize(spec)): Promise<Buffer> {
  return (await rasterise(chartSvg(spec, size))).asPng();
}
