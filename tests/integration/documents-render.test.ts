import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import PDFDocument from 'pdfkit';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSource } from '../../src/db/data-source.ts';
import type { RenderedImage } from '@resvg/resvg-js';
import { rasterise } from '../../src/documents/charts.ts';
import { chartSvg, cjkFonts, fontBytes, renderDocument, type RenderedDocument } from '../../src/documents/index.ts';
import {
  buildAssessmentReport,
  buildInterviewNotice,
  buildInterviewRecord,
  buildListingRecord,
  buildMeetingAgenda,
  buildMeetingMinutes,
  buildPublicReport,
  buildRectificationOrder,
  buildRiskNotice,
  buildScoreSheet,
  buildSupervisionBulletin,
  buildSupervisionNotice,
  buildUrgeNotice,
  buildWarningCard,
  buildSeminarInvitation,
  buildListingNotice,
  buildTopicReport,
  documentText,
  findPersonalData,
  type DocumentKind,
  type NumberSeries,
  type OfficialDocument,
  type TrendChart,
} from '../../src/domain/documents/index.ts';
import { systemActor } from '../../src/services/actor.ts';
import { allocateDocumentNumber, lastDocumentSerial } from '../../src/services/document-numbers.ts';
import { layOutNumbered, storeLaidOut } from '../../src/services/official-documents.ts';
import { loadDocumentFile, sha256Hex, storeDocument } from '../../src/services/document-store.ts';
import { openTestDatabase, uniqueSuffix } from '../support/database.ts';
import { testDatabaseAdminUrl } from '../support/ports.ts';
import * as fx from '../fixtures/documents.ts';

const run = promisify(execFile);

/** Key figures each rendered file must show, besides title, 文号 and recipients. */
const cases: { kind: DocumentKind; doc: OfficialDocument; figures: string[] }[] = [
  { kind: 'risk_notice', doc: buildRiskNotice(fx.riskNoticeInput()), figures: ['412件', '上升57.9%', '重大风险（红色）', '涉 <5 名劳动者', '二〇二六年七月二十四日'] },
  { kind: 'assessment_report', doc: buildAssessmentReport(fx.assessmentReportInput()), figures: ['12209件', '上升2.2%', '26.8%', '重大风险1项', '六、数据说明', '读取数据36518行', '2026年2月案件.csv', '源潭镇：5月至6月', '表3 2026年上半年案件数据覆盖情况'] },
  { kind: 'topic_report', doc: buildTopicReport(fx.topicReportInput()), figures: ['2025年上半年至2026年上半年', '118件', '<5件', '源潭镇重大风险（红色）'] },
  { kind: 'supervision_notice', doc: buildSupervisionNotice(fx.supervisionNoticeInput()), figures: ['2026年12月20日前', '督办事项通知书回执', '唐法风〔2026〕3号'] },
  { kind: 'urge_notice', doc: buildUrgeNotice(fx.urgeNoticeInput()), figures: ['已逾期1日', '2026年12月28日前', '县政府分管副县长'] },
  { kind: 'listing_notice', doc: buildListingNotice(fx.listingNoticeInput()), figures: ['唐平挂〔2026〕第001号', '2027年4月12日前完成整改', '五落实'] },
  { kind: 'seminar_invitation', doc: buildSeminarInvitation(fx.seminarInvitationInput()), figures: ['2027年3月12日', '唐河县委党校报告厅', '欠薪治理长效机制'] },
  { kind: 'warning_card', doc: buildWarningCard(fx.warningCardInput()), figures: ['已逾期22日', '督办红牌警示', '唐平督〔2026〕第015号'] },
  { kind: 'supervision_bulletin', doc: buildSupervisionBulletin(fx.bulletinInput()), figures: ['督办事项专报', '按期办结率75.0%', '县委政法委主要负责同志', '督办事项台账'] },
  { kind: 'interview_notice', doc: buildInterviewNotice(fx.interviewNoticeInput()), figures: ['2026年12月11日（星期五）上午9:30', '县委政法委三楼会议室'] },
  { kind: 'interview_record', doc: buildInterviewRecord(fx.interviewRecordInput()), figures: ['2027年1月31日前', '被约谈人（签字）'] },
  { kind: 'rectification_order', doc: buildRectificationOrder(fx.rectificationOrderInput()), figures: ['唐平挂〔2026〕第001号', '2027年6月30日前完成整改', '落实预案'] },
  { kind: 'listing_record', doc: buildListingRecord(fx.listingRecordInput()), figures: ['整改中', '2026年12月18日'] },
  { kind: 'meeting_agenda', doc: buildMeetingAgenda(fx.meetingAgendaInput()), figures: ['2026年9月3日（星期四）上午9:00', '高风险指标3项'] },
  { kind: 'meeting_minutes', doc: buildMeetingMinutes(fx.meetingMinutesInput()), figures: ['开展建筑领域欠薪联合执法专项行动', '议定事项工作任务清单'] },
  { kind: 'score_sheet', doc: buildScoreSheet(fx.scoreSheetInput()), figures: ['扣分明细', '101', '98.5'] },
  { kind: 'public_report', doc: buildPublicReport(fx.publicReportInput()), figures: ['此件公开发布', '最高人民法院中国司法大数据研究院', '下降23.9%', '联席会议决策影响预判与实际', '按期办结', '未立项'] },
];

const squash = (text: string): string => text.replace(/\s+/g, '');

async function docxText(docx: Buffer): Promise<{ body: string; xml: string; footers: string; fontTable: string }> {
  const zip = await JSZip.loadAsync(docx);
  const xmlText = (xml: string): string => [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]!.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&').replaceAll('&quot;', '"')).join('');
  const files = Object.keys(zip.files);
  const footers = await Promise.all(files.filter((f) => /^word\/footer\d+\.xml$/.test(f)).map((f) => zip.file(f)!.async('string')));
  const xml = await zip.file('word/document.xml')!.async('string');
  return { body: xmlText(xml), xml, footers: footers.join(''), fontTable: await zip.file('word/fontTable.xml')!.async('string') };
}

describe('documents rendered to .docx and PDF', () => {
  let dir: string;
  const rendered = new Map<DocumentKind, RenderedDocument>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'risk-loop-docs-'));
    // Two at a time: the work is CPU-bound and this machine has two cores.
    for (let i = 0; i < cases.length; i += 2) {
      await Promise.all(cases.slice(i, i + 2).map(async (c) => rendered.set(c.kind, await renderDocument(c.doc))));
    }
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(cases.map((c) => [c.kind, c] as const))('when %s is rendered, then the .docx carries title, 文号, recipients and key figures', async (_kind, c) => {
    const r = rendered.get(c.kind)!;
    expect(r.docx.subarray(0, 2).toString()).toBe('PK');
    const { body, xml, footers, fontTable } = await docxText(r.docx);
    const text = squash(body);
    // A4, margins 37 mm top / 35 mm bottom / 28 mm left / 26 mm right, 方正小标宋 title, 仿宋 三号 body.
    expect(xml).toContain('<w:pgSz w:w="11906" w:h="16838"');
    expect(xml).toContain('w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"');
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toContain('<w:sz w:val="32"/>');
    if (c.doc.header.style !== 'plain') expect(xml).toContain('<w:color w:val="E60012"/>');
    expect(text).toContain(squash(c.doc.title));
    if (c.doc.number) expect(text).toContain(c.doc.number);
    for (const name of [...c.doc.mainRecipients, ...c.doc.copyTo, ...c.figures]) expect(text, name).toContain(squash(name));
    expect(findPersonalData(body)).toEqual([]);
    expect(footers).toContain('PAGE');
    expect(fontTable).toContain('w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>');
  });

  it.each(cases.map((c) => [c.kind, c] as const))('when %s is rendered, then the PDF text is extractable Chinese with the same facts', async (_kind, c) => {
    const r = rendered.get(c.kind)!;
    expect(r.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(dir, `${c.kind}.pdf`);
    await writeFile(file, r.pdf);
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
    const text = squash(stdout);
    expect(stdout).not.toContain('\uFFFD');
    expect(text).toContain(squash(c.doc.title));
    if (c.doc.number) expect(text).toContain(c.doc.number);
    for (const name of [...c.doc.mainRecipients, ...c.doc.copyTo, ...c.figures]) expect(text, name).toContain(squash(name));
    expect(findPersonalData(stdout)).toEqual([]);
    const info = await run('pdfinfo', [file]);
    expect(info.stdout).toMatch(/Page size:\s+595\.2\d x 841\.8\d pts \(A4\)/);
    const fonts = await run('pdffonts', [file]);
    const rows = fonts.stdout.split('\n').slice(2).filter(Boolean);
    expect(rows.length).toBeGreaterThan(0);
    // Every font is embedded (emb = yes) as a subset with a Unicode map: text renders and copies.
    for (const row of rows) expect(row, row).toMatch(/\s+yes\s+yes\s+yes\s+/);
    // ... and is one of the npm package's faces (Noto Serif/Sans SC), never a system font.
    for (const row of rows) expect(row, row).toMatch(/^[A-Z]{6}\+Noto(Serif|Sans)SC-(Regular|Bold)\s+CID TrueType\s/);
  });

  it('when the notices carry small counts, then neither file prints them', async () => {
    const r = rendered.get('risk_notice')!;
    const { body } = await docxText(r.docx);
    const pdfFile = join(dir, 'risk_notice.pdf');
    await writeFile(pdfFile, r.pdf);
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', pdfFile, '-']);
    for (const t of [body, stdout]) {
      expect(t).toContain('<5');
      expect(t).not.toMatch(/涉\s*3\s*名/);
    }
  });

  it('when any document is rendered, then the fonts have a glyph for every character it prints', () => {
    const fonts = cjkFonts();
    const probe = new PDFDocument({ autoFirstPage: false });
    const chars = new Set([...cases.map((c) => documentText(c.doc)).join(''), ...'— 0123456789印发附件报送抄送：〔〕（）《》、，。；']);
    for (const role of ['body', 'title', 'heading', 'sans'] as const) {
      probe.font(fontBytes(fonts[role]));
      const font = (probe as unknown as { _font: { font: { hasGlyphForCodePoint(cp: number): boolean } } })._font.font;
      const missing = [...chars].filter((ch) => !/\s/.test(ch) && !font.hasGlyphForCodePoint(ch.codePointAt(0)!));
      expect(missing, role).toEqual([]);
    }
  });

  it('when a chart is rasterised for the .docx, then resvg draws its Chinese title with the npm font', async () => {
    const spec: TrendChart = { type: 'trend', title: '追索劳动报酬纠纷案件数量变化（件）', unit: '件', categories: ['2025年上半年', '2025年下半年', '2026年上半年'], series: [{ name: '全县', values: [261, 318, 412] }] };
    const svg = chartSvg(spec);
    expect(svg).toContain('font-family:Noto Sans SC;');
    const [drawn, blank] = await Promise.all([rasterise(svg), rasterise(svg.replace(/<text[\s\S]*?<\/text>/g, ''))]);
    // The title band (CSS y 0–30 at scale 2) holds nothing but the title's characters.
    const inkInTitleBand = (image: RenderedImage): number => {
      // `pixels` copies the whole image at each read: once.
      const pixels = image.pixels;
      let ink = 0;
      for (let i = 0; i < image.width * 60 * 4; i += 4) if (pixels[i]! < 200) ink += 1;
      return ink;
    };
    expect([drawn.width, drawn.height]).toEqual([1200, 600]);
    expect(inkInTitleBand(blank)).toBe(0);
    expect(inkInTitleBand(drawn)).toBeGreaterThan(2000);
  });

  it('when a risk notice and a bulletin are rendered, then their first pages are kept as PNG samples in docs/samples', async () => {
    await mkdir('docs/samples', { recursive: true });
    for (const [kind, name] of [
      ['risk_notice', 'risk-notice'],
      ['supervision_bulletin', 'supervision-bulletin'],
    ] as const) {
      const file = join(dir, `${kind}.pdf`);
      await writeFile(file, rendered.get(kind)!.pdf);
      await run('pdftoppm', ['-png', '-r', '72', '-f', '1', '-l', '1', '-singlefile', file, join('docs/samples', `${name}-p1`)]);
      const png = await readFile(join('docs/samples', `${name}-p1.png`));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeLessThan(400_000);
    }
  });
});

describe('document numbers and the document store', () => {
  let ds: DataSource;
  let wide: DataSource;

  beforeAll(async () => {
    ds = await openTestDatabase();
    // Enough connections for twenty transactions to contend for the counter row at once.
    wide = createDataSource(testDatabaseAdminUrl(), 21);
    await wide.initialize();
  });

  afterAll(async () => {
    await wide?.destroy();
    await ds?.destroy();
  });

  /** A fresh 机关代字 per test run: three random CJK characters. */
  function freshSeries(style: NumberSeries['style'] = 'ordinal'): NumberSeries {
    const ch = () => String.fromCodePoint(0x4e00 + Math.floor(Math.random() * 0x5000));
    return { prefix: `测${ch()}${ch()}${ch()}`, style, pad: 3 };
  }

  it('when 20 allocations run in parallel transactions, then the serials are 1..20 with no gap and no duplicate', async () => {
    const series = freshSeries();
    const suffix = uniqueSuffix();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => wide.transaction((m) => allocateDocumentNumber(m, series, 2026, `test:${suffix}:${i}`))));
    expect(results.map((r) => r.serial).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.number)).size).toBe(20);
    expect(results.every((r) => r.fresh)).toBe(true);
    expect(results.map((r) => r.number)).toContain(`${series.prefix}〔2026〕第015号`);
    expect(await lastDocumentSerial(ds, series.prefix, 2026)).toBe(20);
  });

  it('when a transaction that took a number rolls back, then the next one gets the same number (no gap)', async () => {
    const series = freshSeries('plain');
    const suffix = uniqueSuffix();
    await ds.transaction((m) => allocateDocumentNumber(m, series, 2026, `test:${suffix}:a`));
    await expect(
      ds.transaction(async (m) => {
        await allocateDocumentNumber(m, series, 2026, `test:${suffix}:b`);
        throw new Error('business write failed');
      }),
    ).rejects.toThrow('business write failed');
    const next = await ds.transaction((m) => allocateDocumentNumber(m, series, 2026, `test:${suffix}:c`));
    expect(next.number).toBe(`${series.prefix}〔2026〕2号`);
  });

  it('when the same business key asks again (a redelivered job), then it gets its number back and the counter does not move', async () => {
    const series = freshSeries();
    const key = `test:${uniqueSuffix()}:same`;
    const first = await ds.transaction((m) => allocateDocumentNumber(m, series, 2027, key));
    const again = await Promise.all([1, 2, 3].map(() => wide.transaction((m) => allocateDocumentNumber(m, series, 2027, key))));
    expect(again.map((a) => a.number)).toEqual([first.number, first.number, first.number]);
    expect(again.every((a) => !a.fresh)).toBe(true);
    expect(await lastDocumentSerial(ds, series.prefix, 2027)).toBe(1);
    // Each year starts again at 1.
    const nextYear = await ds.transaction((m) => allocateDocumentNumber(m, series, 2028, `${key}:2028`));
    expect(nextYear.serial).toBe(1);
  });

  it('when a notice numbered by an earlier step is laid out before its transaction, then it keeps that 文号, holds no connection while laid out, and a redelivery stores and mails it once', async () => {
    const key = `test:${uniqueSuffix()}:laid-out`;
    const request = { series: 'riskNotice' as const, year: 2031, businessKey: key, mail: true, build: (number: string | undefined) => buildRiskNotice(fx.riskNoticeInput({ number: number! })) };
    // Nothing numbered yet: the layout step refuses rather than print a document without its 文号.
    await expect(layOutNumbered(ds, request)).rejects.toThrow(`no 文号 is registered for ${key}`);
    const numbered = await ds.transaction((m) => allocateDocumentNumber(m, { prefix: '唐法风', style: 'plain' }, 2031, key));
    // A pool of one connection: were a layout to keep it, the second lookup and the transaction below would wait for it.
    const single = createDataSource(testDatabaseAdminUrl(), 1);
    await single.initialize();
    try {
      const [laidOut, again] = await Promise.all([layOutNumbered(single, request), layOutNumbered(single, request)]);
      expect(laidOut.number).toBe(numbered.number);
      expect(laidOut.doc.number).toBe(numbered.number);
      const first = await single.transaction((m) => storeLaidOut(m, systemActor, request, laidOut));
      const second = await single.transaction((m) => storeLaidOut(m, systemActor, request, again));
      expect(second.documentId).toBe(first.documentId);
      expect(first.number).toBe(numbered.number);
    } finally {
      await single.destroy();
    }
    expect(await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE dedup_key = $1`, [`document:${key}`])).toEqual([{ n: 1 }]);
  });

  it('when a document is stored twice, then it is one row addressed by its content, and the audit log holds the file hashes', async () => {
    const doc = buildUrgeNotice(fx.urgeNoticeInput({ number: `唐平催〔2026〕第${uniqueSuffix()}号` }));
    const rendered = await renderDocument(doc);
    const first = await ds.transaction((m) => storeDocument(m, systemActor, doc, rendered));
    const again = await renderDocument(doc);
    const second = await ds.transaction((m) => storeDocument(m, systemActor, doc, again));
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ id: first.id, sha256: first.sha256, created: false });
    expect(first.docxSha256).toBe(sha256Hex(rendered.docx));
    const audit = await ds.query<{ sha256: string; after: { pdfSha256: string; docxSha256: string } }[]>(
      `SELECT sha256, after FROM audit_log WHERE entity_type = 'document' AND entity_id = $1`,
      [first.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.sha256).toBe(first.sha256);
    expect(audit[0]!.after).toMatchObject({ docxSha256: first.docxSha256, pdfSha256: first.pdfSha256 });
    const pdf = await loadDocumentFile(ds, first.id, 'pdf');
    expect(pdf?.contentType).toBe('application/pdf');
    expect(sha256Hex(pdf!.data)).toBe(first.pdfSha256);
    expect(pdf?.fileName).toMatch(/催办通知书\.pdf$/);
    const row = await ds.query<{ recipients: string[]; cc: string[]; text_body: string }[]>(`SELECT recipients, cc, text_body FROM document WHERE id = $1`, [first.id]);
    expect(row[0]).toMatchObject({ recipients: ['rsj'], cc: [] });
    expect(row[0]!.text_body).toContain('催办通知书');
  });
});
