import { renderDocx } from '../src/documents/render-docx.ts';
import { renderPdf } from '../src/documents/render-pdf.ts';
import { buildRiskNotice, formatDocumentNumber, documentSeries, renderPlainText, type IndicatorFigure, type OfficialDocument } from '../src/domain/documents/index.ts';
import { figures, riskNoticeInput, townships } from '../tests/fixtures/documents.ts';
import { median } from './support/stats.ts';

/**
 * Issue 6, performance: the 30 风险提示函 of one assessment round rendered as .docx + PDF (each
 * with its indicator table, township top 5 and trend chart), one after the other in a cold
 * process, against rendering the same 30 models to plain text in the same run. Prints the
 * per-document median, the total and the layout/plain-text ratio. Target: total ≤ 30 s.
 *
 *   npm exec -- node bench/documents.ts
 */

const units = [
  '司法局', '人力资源和社会保障局', '住房和城乡建设局', '地方金融管理局', '公安局', '教育局', '市场监督管理局', '信访局', '自然资源局', '发展和改革委员会',
  '工业和信息化局', '交通运输局', '水利局', '农业农村局', '林业局', '民政局', '妇女联合会', '总工会', '财政局', '卫生健康委员会',
  '应急管理局', '退役军人事务局', '城市管理局', '商务局', '文化广电和旅游局', '审计局', '统计局', '医疗保障局', '税务局', '数据局',
];

const high = figures.filter((f) => f.level === 'high' || f.level === 'critical');

/** Notice i gets one to three high-risk indicators with values varied so no two are alike. */
function noticeModel(i: number): OfficialDocument {
  const indicators: IndicatorFigure[] = Array.from({ length: 1 + (i % 3) }, (_, k) => {
    const base = high[(i + k) % high.length]!;
    const bump = 1 + ((i * 7 + k * 3) % 11) / 20;
    return {
      ...base,
      id: `${base.id}-${k}`,
      value: base.kind === 'share' ? Math.min(0.95, base.value * bump) : Math.round(base.value * bump),
      townships: townships.map((name, t) => ({ name, count: (i * 13 + t * 5 + k) % 40, level: t % 4 === 0 ? 'high' : 'medium' })),
      trend: base.trend.map((p) => ({ ...p, value: base.kind === 'share' ? p.value * bump : Math.round(p.value * bump) })),
    };
  });
  return buildRiskNotice(
    riskNoticeInput({
      number: formatDocumentNumber(documentSeries.riskNotice, 2026, i + 1),
      recipient: { id: `unit-${i}`, name: `唐河县${units[i]}` },
      indicators,
    }),
  );
}

const ms = (n: number): string => `${n.toFixed(1)} ms`;

const round = Array.from({ length: 30 }, (_, i) => i);

// Plain text: model building + text, the baseline.
const plainTimes: number[] = [];
const plainStart = performance.now();
let plainBytes = 0;
for (const i of round) {
  const t = performance.now();
  plainBytes += Buffer.byteLength(renderPlainText(noticeModel(i)));
  plainTimes.push(performance.now() - t);
}
const plainTotal = performance.now() - plainStart;

// Layout: model building + .docx + PDF (charts drawn by echarts, rasterised by resvg for .docx).
const docxTimes: number[] = [];
const pdfTimes: number[] = [];
const layoutTimes: number[] = [];
let docxBytes = 0;
let pdfBytes = 0;
const layoutStart = performance.now();
for (const i of round) {
  const t0 = performance.now();
  const model = noticeModel(i);
  const t1 = performance.now();
  const docx = await renderDocx(model);
  const t2 = performance.now();
  const pdf = await renderPdf(model);
  const t3 = performance.now();
  docxBytes += docx.length;
  pdfBytes += pdf.length;
  docxTimes.push(t2 - t1);
  pdfTimes.push(t3 - t2);
  layoutTimes.push(t3 - t0);
}
const layoutTotal = performance.now() - layoutStart;

console.log(`30 risk notices of one round (1–3 indicators, a trend chart each), cold process, sequential`);
console.log(`  plain text   median ${ms(median(plainTimes))} per notice, total ${ms(plainTotal)} (${(plainBytes / 1024).toFixed(0)} KiB)`);
console.log(`  .docx        median ${ms(median(docxTimes))} per notice (${(docxBytes / 30 / 1024).toFixed(0)} KiB each)`);
console.log(`  PDF          median ${ms(median(pdfTimes))} per notice (${(pdfBytes / 30 / 1024).toFixed(0)} KiB each)`);
console.log(`  .docx + PDF  median ${ms(median(layoutTimes))} per notice, first ${ms(layoutTimes[0]!)} (loads fonts), total ${ms(layoutTotal)}`);
console.log(`  ratio layout/plain text: median ×${(median(layoutTimes) / median(plainTimes)).toFixed(0)}, total ×${(layoutTotal / plainTotal).toFixed(0)}`);
console.log(`  target: round ready ≤ 30 s → ${layoutTotal <= 30_000 ? 'met' : 'MISSED'} (${(layoutTotal / 1000).toFixed(1)} s)`);
