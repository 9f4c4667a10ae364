import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { documentKindLabels, type Block, type Cell, type ChartSpec, type OfficialDocument, type TableColumn, type Tone } from '../domain/documents/model.ts';
import { chartSize, chartSvg } from './charts.ts';
import { cjkFonts, fontBytes, type CjkFonts, type FontFace } from './fonts.ts';
import { annexNoteLines, contactLine, distributionLines, emWidth, LINE_PITCH_PT, MM, page, sizes } from './layout.ts';
import { officialRed, toneFill } from './palette.ts';

/**
 * PDF of an official document with PDFKit: A4 with the GB/T 9704 margins and 22-line grid,
 * embedded (subsetted) Noto Serif/Sans SC fonts so every glyph renders and the text is extractable,
 * red header and separator, tables drawn by hand (header row repeated after a page break),
 * charts as vectors, 版记 at the foot of the last page, page numbers "— 1 —" alternating sides.
 */

type FontRole = 'body' | 'title' | 'heading' | 'sans';

export interface PdfOptions {
  fonts?: CjkFonts;
}

const PAGE_W = page.widthMm * MM;
const PAGE_H = page.heightMm * MM;
const LEFT = page.leftMm * MM;
const TOP = page.topMm * MM;
const BOTTOM_MARGIN = page.bottomMm * MM;
const TEXT_W = (page.widthMm - page.leftMm - page.rightMm) * MM;
const TEXT_BOTTOM = PAGE_H - BOTTOM_MARGIN;
const BODY = sizes.body;

class PdfWriter {
  readonly pdf: PDFKit.PDFDocument;
  /** Pages that must not carry a page number (the tear-off receipt). */
  readonly unnumbered = new Set<number>();
  private pageIndex = 0;
  readonly doc: OfficialDocument;

  constructor(doc: OfficialDocument, fonts: CjkFonts) {
    this.doc = doc;
    this.pdf = new PDFDocument({
      size: 'A4',
      margins: { top: TOP, bottom: BOTTOM_MARGIN, left: LEFT, right: PAGE_W - LEFT - TEXT_W },
      bufferPages: true,
      autoFirstPage: true,
      lang: 'zh-CN',
      displayTitle: true,
      pdfVersion: '1.7',
      info: {
        Title: doc.number ? `${doc.title}（${doc.number}）` : doc.title,
        Author: doc.signature?.organs.join('、') ?? '',
        Subject: documentKindLabels[doc.kind],
        Keywords: [doc.number ?? '', ...doc.mainRecipients].filter(Boolean).join(' '),
        Creator: 'risk-loop',
        CreationDate: new Date(`${doc.meta.issuedOn}T00:00:00+08:00`),
      },
    });
    for (const role of ['body', 'title', 'heading', 'sans'] as const) {
      const face = fonts[role];
      this.pdf.registerFont(role, parsedFont(face) as unknown as Buffer);
    }
    this.pdf.on('pageAdded', () => {
      this.pageIndex += 1;
    });
  }

  get y(): number {
    return this.pdf.y;
  }

  set y(value: number) {
    this.pdf.y = value;
  }

  get currentPage(): number {
    return this.pageIndex;
  }

  newPage(): void {
    this.pdf.addPage();
    this.pdf.x = LEFT;
    this.pdf.y = TOP;
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (this.pdf.y + height > TEXT_BOTTOM + 0.5) this.newPage();
  }

  use(role: FontRole, size: number, color = '#000000'): number {
    this.pdf.font(role).fontSize(size).fillColor(color);
    return this.pdf.currentLineHeight();
  }

  /** Text on the line grid: `pitch` is the distance between baselines of consecutive lines. */
  text(text: string, opts: { role?: FontRole; size?: number; pitch?: number; indent?: number; align?: 'left' | 'center' | 'right'; color?: string; x?: number; width?: number }): void {
    const size = opts.size ?? BODY;
    const height = this.use(opts.role ?? 'body', size, opts.color);
    const pitch = opts.pitch ?? (size === BODY ? LINE_PITCH_PT : size * 1.5);
    const lineGap = Math.max(0, pitch - height);
    this.ensure(pitch);
    this.pdf.text(text, opts.x ?? LEFT, this.pdf.y, {
      width: opts.width ?? TEXT_W,
      indent: opts.indent ?? 0,
      align: opts.align ?? 'left',
      lineGap,
    });
  }

  skipLines(n: number, pitch = LINE_PITCH_PT): void {
    this.pdf.y += n * pitch;
  }

  line(y: number, width: number, color: string, x = LEFT, length = TEXT_W): void {
    this.pdf.save().moveTo(x, y).lineTo(x + length, y).lineWidth(width).strokeColor(color).stroke().restore();
  }
}

const parsed = new Map<string, unknown>();

/**
 * The font parsed once per process and shared by every document: PDFKit accepts a fontkit font
 * object in place of the file, and parsing the CJK fonts' tables (cmap, GSUB, glyf) per document
 * was most of the cost of a PDF. Each document still embeds its own subset. The object is taken
 * from PDFKit's own fontkit through a throw-away document, so no second copy of fontkit is loaded.
 */
function parsedFont(face: FontFace): unknown {
  let font = parsed.get(face.path);
  if (!font) {
    const probe = new PDFDocument({ autoFirstPage: false });
    probe.font(fontBytes(face));
    font = (probe as unknown as { _font: { font: unknown } })._font.font;
    parsed.set(face.path, font);
  }
  return font;
}

export async function renderPdf(doc: OfficialDocument, options: PdfOptions = {}): Promise<Buffer> {
  const w = new PdfWriter(doc, options.fonts ?? cjkFonts());
  const chunks: Buffer[] = [];
  w.pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    w.pdf.on('end', () => resolve());
    w.pdf.on('error', reject);
  });

  header(w, doc);
  title(w, doc);
  if (doc.mainRecipients.length > 0) w.text(`${doc.mainRecipients.join('、')}：`, {});
  blocks(w, doc.body);
  const contact = contactLine(doc);
  if (contact) w.text(contact, { indent: 2 * BODY });
  const annexNotes = annexNoteLines(doc);
  if (annexNotes.length > 0) {
    w.skipLines(1);
    for (const line of annexNotes) w.text(line, { indent: 2 * BODY });
  }
  signature(w, doc);
  for (const annex of doc.annexes) {
    w.newPage();
    w.text(annex.label, { role: 'heading' });
    w.skipLines(1);
    w.text(annex.title, { role: 'title', size: sizes.title, align: 'center', pitch: sizes.title * 1.6 });
    w.skipLines(1);
    blocks(w, annex.blocks);
  }
  imprint(w, doc);
  if (doc.receipt) {
    w.newPage();
    w.unnumbered.add(w.currentPage);
    w.text(doc.receipt.title, { role: 'title', size: sizes.title, align: 'center', pitch: sizes.title * 1.6 });
    w.skipLines(1);
    blocks(w, doc.receipt.blocks);
  }
  pageNumbers(w);
  w.pdf.end();
  await finished;
  return Buffer.concat(chunks);
}

function header(w: PdfWriter, doc: OfficialDocument): void {
  if (doc.classification) w.text(doc.classification, { role: 'heading' });
  const h = doc.header;
  if (h.style === 'red') {
    const size = Math.min(36, (TEXT_W * 0.92) / Math.max(1, emWidth(h.organ)));
    w.skipLines(doc.classification ? 1 : 2);
    w.text(h.organ, { role: 'title', size, align: 'center', color: officialRed, pitch: size * 1.3 });
    w.skipLines(1);
    if (doc.number) w.text(doc.number, { align: 'center' });
    const y = w.y + 4 * MM - LINE_PITCH_PT * 0.3;
    w.line(y, 1.5, officialRed);
    w.y = y + LINE_PITCH_PT;
  } else if (h.style === 'bulletin') {
    w.skipLines(1);
    w.text(h.masthead, { role: 'title', size: 40, align: 'center', color: officialRed, pitch: 56 });
    w.text(`${h.issue}`, { align: 'center' });
    w.skipLines(0.5);
    const y = w.y;
    w.text(h.organ, {});
    w.y = y;
    w.text(h.date, { align: 'right' });
    w.line(w.y + 2, 2, officialRed);
    w.y += LINE_PITCH_PT;
  } else if (doc.number) {
    w.text(doc.number, { align: 'right' });
  }
}

function title(w: PdfWriter, doc: OfficialDocument): void {
  if (doc.header.style === 'plain') w.skipLines(doc.classification || doc.number ? 0.5 : 0);
  w.text(doc.title, { role: 'title', size: sizes.title, align: 'center', pitch: sizes.title * 1.6 });
  if (doc.subtitle) w.text(doc.subtitle, { align: 'center' });
  w.skipLines(1);
}

function blocks(w: PdfWriter, list: readonly Block[]): void {
  for (const [index, block] of list.entries()) {
    switch (block.type) {
      case 'heading': {
        const role: FontRole = block.level === 1 ? 'heading' : block.level === 2 ? 'title' : 'body';
        // Keep a heading with the start of what follows (a line of text, or a table's first rows).
        const next = list[index + 1]?.type;
        w.ensure(LINE_PITCH_PT * (next === 'paragraph' || next === 'heading' || next === undefined ? 2 : 4));
        w.text(block.text, { role, indent: 2 * BODY });
        break;
      }
      case 'paragraph':
        w.text(block.text, { role: block.bold ? 'heading' : 'body', indent: block.indent === false || block.align === 'center' ? 0 : 2 * BODY, align: block.align ?? 'left' });
        break;
      case 'table':
        table(w, block.columns, block.rows, { ...(block.title ? { title: block.title } : {}), ...(block.note ? { note: block.note } : {}) });
        break;
      case 'fields':
        fields(w, block.rows);
        break;
      case 'chart':
        chart(w, block.chart, block.caption);
        break;
      case 'signature_lines':
        w.skipLines(1);
        for (const label of block.labels) {
          w.ensure(LINE_PITCH_PT * 1.5);
          const y = w.y;
          w.text(label, { x: LEFT + 2 * BODY, width: TEXT_W - 2 * BODY });
          const labelW = w.pdf.font('body').fontSize(BODY).widthOfString(label);
          w.line(y + BODY * 1.2, 0.6, '#000000', LEFT + 2 * BODY + labelW + 4, TEXT_W * 0.45);
          w.y = y;
          w.text('日期：', { x: LEFT + TEXT_W * 0.72, width: TEXT_W * 0.28 });
          w.line(y + BODY * 1.2, 0.6, '#000000', LEFT + TEXT_W * 0.72 + 3 * BODY, TEXT_W * 0.28 - 3 * BODY);
          w.y = y + LINE_PITCH_PT * 1.5;
        }
        break;
      case 'page_break':
        w.newPage();
        break;
    }
  }
}

const PAD = 4;

function cellText(cell: Cell): string {
  return typeof cell === 'string' ? cell : cell.text;
}

function cellTone(cell: Cell): Tone | undefined {
  return typeof cell === 'string' ? undefined : cell.tone;
}

function table(w: PdfWriter, columns: readonly TableColumn[], rows: readonly Cell[][], opts: { title?: string; note?: string }): void {
  const size = columns.length > 6 ? sizes.table : sizes.small;
  const gap = size * 0.35;
  const total = columns.reduce((s, c) => s + c.width, 0);
  const widths = columns.map((c) => (c.width / total) * TEXT_W);
  const measure = (text: string, width: number, role: FontRole): number => {
    w.use(role, size);
    return w.pdf.heightOfString(text || ' ', { width: width - 2 * PAD, lineGap: gap });
  };
  const rowHeight = (cells: readonly string[], role: FontRole): number => Math.max(...cells.map((t, i) => measure(t, widths[i]!, role))) + 2 * PAD;

  const headerTexts = columns.map((c) => c.header);
  const headerH = rowHeight(headerTexts, 'heading');
  const drawRow = (cells: readonly Cell[], height: number, role: FontRole, fill: string | null): void => {
    let x = LEFT;
    const y = w.y;
    cells.forEach((cell, i) => {
      const width = widths[i]!;
      const tone = cellTone(cell);
      const bg = tone ? toneFill[tone] : fill;
      if (bg) w.pdf.save().rect(x, y, width, height).fill(bg).restore();
      w.pdf.save().rect(x, y, width, height).lineWidth(0.5).strokeColor('#000000').stroke().restore();
      const bold = typeof cell !== 'string' && cell.bold;
      w.use(bold ? 'heading' : role, size);
      w.pdf.text(cellText(cell), x + PAD, y + PAD, { width: width - 2 * PAD, align: role === 'heading' ? 'center' : (columns[i]?.align ?? 'left'), lineGap: gap });
      x += width;
    });
    w.y = y + height;
  };

  if (opts.title) {
    w.ensure(LINE_PITCH_PT + headerH + 24);
    w.text(opts.title, { role: 'heading', size: sizes.imprint, align: 'center', pitch: sizes.imprint * 1.7 });
  }
  w.ensure(headerH + 24);
  drawRow(headerTexts, headerH, 'heading', '#F2F2F2');
  for (const row of rows) {
    const height = rowHeight(row.map(cellText), 'body');
    if (w.y + height > TEXT_BOTTOM) {
      w.newPage();
      drawRow(headerTexts, headerH, 'heading', '#F2F2F2');
    }
    drawRow(row, height, 'body', null);
  }
  w.y += 6;
  if (opts.note) w.text(opts.note, { size: sizes.small, pitch: sizes.small * 1.6 });
  w.y += LINE_PITCH_PT * 0.3;
}

function fields(w: PdfWriter, rows: readonly { label: string; value: string }[]): void {
  const size = sizes.imprint;
  const labelW = Math.min(TEXT_W * 0.34, Math.max(...rows.map((r) => emWidth(r.label))) * size + 2 * PAD + 4);
  const valueW = TEXT_W - labelW;
  const gap = size * 0.35;
  for (const row of rows) {
    w.use('body', size);
    const textH = Math.max(w.pdf.heightOfString(row.value || ' ', { width: valueW - 2 * PAD, lineGap: gap }), w.pdf.heightOfString(row.label, { width: labelW - 2 * PAD, lineGap: gap }));
    const height = Math.max(textH + 2 * PAD, row.value ? 0 : size * 2.4);
    w.ensure(height);
    const y = w.y;
    w.pdf.save().rect(LEFT, y, labelW, height).fill('#F2F2F2').restore();
    w.pdf.save().rect(LEFT, y, labelW, height).rect(LEFT + labelW, y, valueW, height).lineWidth(0.5).strokeColor('#000000').stroke().restore();
    w.use('heading', size);
    w.pdf.text(row.label, LEFT + PAD, y + PAD, { width: labelW - 2 * PAD, lineGap: gap });
    w.use('body', size);
    w.pdf.text(row.value, LEFT + labelW + PAD, y + PAD, { width: valueW - 2 * PAD, lineGap: gap });
    w.y = y + height;
  }
  w.y += LINE_PITCH_PT * 0.4;
}

function chart(w: PdfWriter, spec: ChartSpec, caption: string): void {
  const size = chartSize(spec);
  const width = spec.type === 'heat_grid' ? TEXT_W : TEXT_W * 0.9;
  const height = (size.height / size.width) * width;
  w.ensure(height + LINE_PITCH_PT);
  const y = w.y;
  SVGtoPDF(w.pdf, chartSvg(spec, size), LEFT + (TEXT_W - width) / 2, y, {
    width,
    height,
    preserveAspectRatio: 'xMidYMid meet',
    fontCallback: () => 'sans',
    warningCallback: () => undefined,
  });
  w.y = y + height + 4;
  w.text(caption, { role: 'heading', size: sizes.small, align: 'center', pitch: sizes.small * 1.8 });
  w.y += LINE_PITCH_PT * 0.3;
}

function signature(w: PdfWriter, doc: OfficialDocument): void {
  const sig = doc.signature;
  if (!sig) {
    if (doc.note) w.text(doc.note, { indent: 2 * BODY });
    return;
  }
  const lines = sig.organs.length + 1 + (doc.note ? 1 : 0);
  // 加盖印章的公文: 正文下空三行 (room for the seal); otherwise one line.
  const space = sig.sealed ? 2 : 1;
  w.ensure(LINE_PITCH_PT * (lines + space));
  w.skipLines(space);
  w.use('body', BODY);
  const right = LEFT + TEXT_W - 4 * BODY;
  const dateW = w.pdf.widthOfString(sig.date);
  const center = right - dateW / 2;
  for (const organ of sig.organs) {
    const organW = w.pdf.widthOfString(organ);
    const x = Math.min(center - organW / 2, LEFT + TEXT_W - 2 * BODY - organW);
    w.text(organ, { x, width: organW + 2 });
  }
  w.text(sig.date, { x: right - dateW, width: dateW + 2 });
  if (doc.note) w.text(doc.note, { indent: 2 * BODY });
}

function imprint(w: PdfWriter, doc: OfficialDocument): void {
  const lines = distributionLines(doc);
  if (lines.length === 0 && !doc.imprint) return;
  const size = sizes.imprint;
  const pitch = size * 1.75;
  const inner = TEXT_W - 2 * size;
  w.use('body', size);
  // "抄送：" stays alone on the left; wrapped lines align with the first name after the colon.
  const split = lines.map((l) => {
    const colon = l.indexOf('：') + 1;
    const label = l.slice(0, colon);
    return { label, rest: l.slice(colon), labelW: w.pdf.widthOfString(label) };
  });
  const heights = split.map((l) => w.pdf.heightOfString(l.rest, { width: inner - l.labelW, lineGap: pitch - w.pdf.currentLineHeight() }));
  const total = heights.reduce((s, h) => s + h, 0) + (doc.imprint ? pitch : 0) + 12;
  // 版记 sits at the foot of the last page (GB/T 9704 §8).
  if (w.y + total > TEXT_BOTTOM) w.newPage();
  let y = TEXT_BOTTOM - total;
  w.line(y, 1, '#000000');
  y += 4;
  split.forEach((l, i) => {
    w.y = y;
    w.text(l.label, { size, pitch, x: LEFT + size, width: l.labelW + 2 });
    w.y = y;
    w.text(l.rest, { size, pitch, x: LEFT + size + l.labelW, width: inner - l.labelW });
    y += heights[i]!;
    if (i < lines.length - 1 || doc.imprint) w.line(y + 1, 0.7, '#000000');
    y += 2;
  });
  if (doc.imprint) {
    w.y = y + 2;
    w.text(doc.imprint.organ, { size, pitch, x: LEFT + size, width: inner });
    w.y = y + 2;
    w.text(`${doc.imprint.date}印发`, { size, pitch, x: LEFT + size, width: inner, align: 'right' });
    y += pitch;
  }
  w.line(y + 4, 1, '#000000');
}

/** "— 1 —" in 四号, 7 mm under the text block; odd pages right, even pages left (one character in). */
function pageNumbers(w: PdfWriter): void {
  const range = w.pdf.bufferedPageRange();
  let n = 0;
  for (let i = range.start; i < range.start + range.count; i += 1) {
    if (w.unnumbered.has(i)) continue;
    n += 1;
    w.pdf.switchToPage(i);
    const bottom = w.pdf.page.margins.bottom;
    w.pdf.page.margins.bottom = 0;
    w.use('body', sizes.imprint);
    const label = `— ${n} —`;
    const width = w.pdf.widthOfString(label);
    const x = n % 2 === 1 ? LEFT + TEXT_W - sizes.imprint - width : LEFT + sizes.imprint;
    w.pdf.text(label, x, TEXT_BOTTOM + 7 * MM, { lineBreak: false });
    w.pdf.page.margins.bottom = bottom;
  }
}
