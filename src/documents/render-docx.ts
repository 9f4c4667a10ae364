import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  ImageRun,
  LineRuleType,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  RelativeVerticalPosition,
  SectionType,
  ShadingType,
  Table,
  TableAnchorType,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type FileChild,
  type IRunOptions,
  type ISectionOptions,
} from 'docx';
import { documentKindLabels, type Block, type Cell, type ChartSpec, type OfficialDocument, type TableColumn } from '../domain/documents/model.ts';
import { chartPng, chartSize } from './charts.ts';
import { annexNoteLines, contactLine, distributionLines, emWidth, page, sizes } from './layout.ts';
import { officialRed, toneFill } from './palette.ts';

/**
 * .docx of an official document with the `docx` package, in the layout county offices expect
 * (GB/T 9704-2012): A4, margins 37/35/28/26 mm, 22 lines a page (28.95 pt exact), 方正小标宋简体
 * title, 仿宋_GB2312 body in 三号, 黑体/楷体 headings, red organ mark and separator for 红头
 * papers, 附件说明, signature centred over a date four characters from the right, 版记 table at
 * the foot of the last page, "— 1 —" page numbers alternating sides, annexes on their own
 * pages and the 回执 in its own section. Fonts are named, not embedded: a fontTable with
 * alternates (仿宋, 楷体, 黑体) lets Word substitute on machines without the GB2312 faces.
 */

export interface DocxFonts {
  title: string;
  body: string;
  heading: string;
  kai: string;
  song: string;
  latin: string;
}

export const defaultDocxFonts: DocxFonts = {
  title: '方正小标宋简体',
  body: '仿宋_GB2312',
  heading: '黑体',
  kai: '楷体_GB2312',
  song: '宋体',
  latin: 'Times New Roman',
};

export interface DocxOptions {
  fonts?: DocxFonts;
}

const TWIP_PER_MM = 1440 / 25.4;
const twip = (mm: number): number => Math.round(mm * TWIP_PER_MM);
const TEXT_W = twip(page.widthMm - page.leftMm - page.rightMm);
/** 22 lines in 225 mm. */
const LINE = Math.round((225 * TWIP_PER_MM) / 22);
const CHAR = sizes.body * 20;
const hex = (color: string): string => color.replace('#', '').toUpperCase();

type Role = keyof Omit<DocxFonts, 'latin'>;

class Builder {
  readonly fonts: DocxFonts;
  constructor(fonts: DocxFonts) {
    this.fonts = fonts;
  }

  run(text: string, role: Role, sizePt: number, extra: Partial<IRunOptions> = {}): TextRun {
    return new TextRun({
      text,
      font: { ascii: this.fonts.latin, hAnsi: this.fonts.latin, eastAsia: this.fonts[role] },
      size: Math.round(sizePt * 2),
      ...extra,
    });
  }

  para(
    text: string,
    opts: {
      role?: Role;
      size?: number;
      align?: 'left' | 'center' | 'right';
      indent?: boolean;
      color?: string;
      bold?: boolean;
      before?: number;
      after?: number;
      line?: number;
      keepNext?: boolean;
      right?: number;
      left?: number;
    } = {},
  ): Paragraph {
    return new Paragraph({
      children: [this.run(text, opts.role ?? 'body', opts.size ?? sizes.body, { ...(opts.color ? { color: hex(opts.color) } : {}), ...(opts.bold ? { bold: true } : {}) })],
      alignment: opts.align === 'center' ? AlignmentType.CENTER : opts.align === 'right' ? AlignmentType.RIGHT : AlignmentType.BOTH,
      spacing: { line: opts.line ?? LINE, lineRule: LineRuleType.EXACT, before: opts.before ?? 0, after: opts.after ?? 0 },
      indent: { firstLine: opts.indent ? 2 * CHAR : 0, ...(opts.right ? { right: opts.right } : {}), ...(opts.left ? { left: opts.left } : {}) },
      ...(opts.keepNext ? { keepNext: true } : {}),
    });
  }
}

export async function renderDocx(doc: OfficialDocument, options: DocxOptions = {}): Promise<Buffer> {
  const fonts = options.fonts ?? defaultDocxFonts;
  const b = new Builder(fonts);
  const children: FileChild[] = [];

  header(b, doc, children);
  children.push(
    b.para(doc.title, { role: 'title', size: sizes.title, align: 'center', line: Math.round(sizes.title * 20 * 1.6), before: doc.header.style === 'plain' ? 0 : LINE }),
  );
  if (doc.subtitle) children.push(b.para(doc.subtitle, { role: 'kai', align: 'center' }));
  children.push(b.para('', {}));
  if (doc.mainRecipients.length > 0) children.push(b.para(`${doc.mainRecipients.join('、')}：`, { align: 'left' }));
  children.push(...(await blocks(b, doc.body)));
  const contact = contactLine(doc);
  if (contact) children.push(b.para(contact, { indent: true }));
  annexNoteLines(doc).forEach((line, i) => children.push(b.para(line, { indent: true, before: i === 0 ? LINE : 0, align: 'left' })));
  signature(b, doc, children);
  for (const annex of doc.annexes) {
    children.push(new Paragraph({ children: [new PageBreak()] }));
    children.push(b.para(annex.label, { role: 'heading', align: 'left' }));
    children.push(b.para(annex.title, { role: 'title', size: sizes.title, align: 'center', before: LINE, after: LINE, line: Math.round(sizes.title * 20 * 1.6) }));
    children.push(...(await blocks(b, annex.blocks)));
  }
  const imprint = imprintTable(b, doc);
  if (imprint) children.push(b.para('', {}), imprint, b.para('', { line: 240 }));

  const properties: ISectionOptions['properties'] = {
    page: {
      size: { width: twip(page.widthMm), height: twip(page.heightMm) },
      margin: { top: twip(page.topMm), bottom: twip(page.bottomMm), left: twip(page.leftMm), right: twip(page.rightMm), header: twip(15), footer: twip(page.bottomMm - 7 - 6) },
    },
    // No w:docGrid: WPS and LibreOffice snap every line to it, table cells included, which
    // doubles the height of table rows. Exact 28.95 pt line spacing gives the 22 lines alone.
  };
  const sections: ISectionOptions[] = [{ properties, footers: { default: pageNumberFooter(b, 'odd'), even: pageNumberFooter(b, 'even') }, children }];
  if (doc.receipt) {
    const receiptFooter = new Footer({ children: [new Paragraph({})] });
    sections.push({
      properties: { ...properties, type: SectionType.NEXT_PAGE },
      footers: { default: receiptFooter, even: receiptFooter },
      children: [
        b.para(doc.receipt.title, { role: 'title', size: sizes.title, align: 'center', after: LINE, line: Math.round(sizes.title * 20 * 1.6) }),
        ...(await blocks(b, doc.receipt.blocks)),
      ],
    });
  }

  const file = new Document({
    title: doc.number ? `${doc.title}（${doc.number}）` : doc.title,
    subject: documentKindLabels[doc.kind],
    creator: doc.signature?.organs.join('、') ?? 'risk-loop',
    lastModifiedBy: 'risk-loop',
    keywords: [doc.number ?? '', ...doc.mainRecipients].filter(Boolean).join(' '),
    description: doc.number ?? '',
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: { ascii: fonts.latin, hAnsi: fonts.latin, eastAsia: fonts.body }, size: sizes.body * 2 },
          paragraph: { spacing: { line: LINE, lineRule: LineRuleType.EXACT } },
        },
      },
    },
    sections,
  });
  return Packer.toBuffer(file, false, [{ path: 'word/fontTable.xml', data: fontTable(fonts) }]);
}

function header(b: Builder, doc: OfficialDocument, out: FileChild[]): void {
  if (doc.classification) out.push(b.para(doc.classification, { role: 'heading', align: 'left' }));
  const h = doc.header;
  if (h.style === 'red') {
    const size = Math.min(36, (((page.widthMm - page.leftMm - page.rightMm) / 25.4) * 72 * 0.92) / Math.max(1, emWidth(h.organ)));
    out.push(
      b.para(h.organ, { role: 'title', size, align: 'center', color: officialRed, before: doc.classification ? LINE : 2 * LINE, line: Math.round(size * 20 * 1.3) }),
    );
    // 发文字号 two lines under the organ mark, the red separator 4 mm under it.
    out.push(
      new Paragraph({
        children: [b.run(doc.number ?? '', 'body', sizes.body)],
        alignment: AlignmentType.CENTER,
        spacing: { before: LINE, line: LINE, lineRule: LineRuleType.EXACT },
        border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: hex(officialRed), space: 8 } },
      }),
    );
  } else if (h.style === 'bulletin') {
    out.push(b.para(h.masthead, { role: 'title', size: 40, align: 'center', color: officialRed, before: LINE, line: 56 * 20 }));
    out.push(b.para(h.issue, { align: 'center' }));
    out.push(
      new Paragraph({
        children: [b.run(h.organ, 'body', sizes.body), b.run(`\t${h.date}`, 'body', sizes.body)],
        tabStops: [{ type: TabStopType.RIGHT, position: TEXT_W }],
        spacing: { before: LINE / 2, line: LINE, lineRule: LineRuleType.EXACT },
        border: { bottom: { style: BorderStyle.SINGLE, size: 24, color: hex(officialRed), space: 4 } },
      }),
    );
  } else if (doc.number) {
    out.push(b.para(doc.number, { align: 'right' }));
  }
}

async function blocks(b: Builder, list: readonly Block[]): Promise<FileChild[]> {
  const out: FileChild[] = [];
  for (const block of list) {
    switch (block.type) {
      case 'heading': {
        const role: Role = block.level === 1 ? 'heading' : block.level === 2 ? 'kai' : 'body';
        out.push(b.para(block.text, { role, indent: true, keepNext: true, align: 'left', bold: block.level === 3 }));
        break;
      }
      case 'paragraph':
        out.push(b.para(block.text, { role: block.bold ? 'heading' : 'body', indent: block.indent !== false && block.align !== 'center', align: block.align ?? 'left' }));
        break;
      case 'table':
        if (block.title) out.push(b.para(block.title, { role: 'heading', size: sizes.imprint, align: 'center', keepNext: true, line: Math.round(sizes.imprint * 20 * 1.7) }));
        out.push(dataTable(b, block.columns, block.rows));
        if (block.note) out.push(b.para(block.note, { size: sizes.small, align: 'left', line: Math.round(sizes.small * 20 * 1.5), before: 60 }));
        out.push(b.para('', { line: Math.round(LINE / 2) }));
        break;
      case 'fields':
        out.push(fieldsTable(b, block.rows), b.para('', { line: Math.round(LINE / 2) }));
        break;
      case 'chart':
        out.push(await chartParagraph(block.chart, block.caption), b.para(block.caption, { role: 'heading', size: sizes.small, align: 'center', line: Math.round(sizes.small * 20 * 1.8) }));
        break;
      case 'signature_lines':
        out.push(b.para('', {}));
        for (const label of block.labels) {
          out.push(
            new Paragraph({
              children: [b.run(label, 'body', sizes.body), b.run('\t', 'body', sizes.body, { underline: {} }), b.run('　日期：', 'body', sizes.body), b.run('\t', 'body', sizes.body, { underline: {} })],
              tabStops: [
                { type: TabStopType.LEFT, position: Math.round(TEXT_W * 0.68) },
                { type: TabStopType.RIGHT, position: TEXT_W },
              ],
              indent: { left: 2 * CHAR },
              spacing: { line: Math.round(LINE * 1.5), lineRule: LineRuleType.EXACT },
            }),
          );
        }
        break;
      case 'page_break':
        out.push(new Paragraph({ children: [new PageBreak()] }));
        break;
    }
  }
  return out;
}

const cellText = (cell: Cell): string => (typeof cell === 'string' ? cell : cell.text);

function cellParagraph(b: Builder, text: string, role: Role, size: number, align: 'left' | 'center' | 'right', bold = false): Paragraph {
  return new Paragraph({
    children: [b.run(text, role, size, bold ? { bold: true } : {})],
    alignment: align === 'center' ? AlignmentType.CENTER : align === 'right' ? AlignmentType.RIGHT : AlignmentType.LEFT,
    spacing: { line: Math.round(size * 20 * 1.35), lineRule: LineRuleType.EXACT, before: 0, after: 0 },
  });
}

const thin = { style: BorderStyle.SINGLE, size: 4, color: '000000' } as const;
const cellBorders = { top: thin, bottom: thin, left: thin, right: thin };
const cellMargins = { top: 60, bottom: 60, left: 80, right: 80 };

function dataTable(b: Builder, columns: readonly TableColumn[], rows: readonly Cell[][]): Table {
  const size = columns.length > 6 ? sizes.table : sizes.small;
  const total = columns.reduce((s, c) => s + c.width, 0);
  const widths = columns.map((c) => Math.round((c.width / total) * TEXT_W));
  const headerRow = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: columns.map(
      (c, i) =>
        new TableCell({
          children: [cellParagraph(b, c.header, 'heading', size, 'center')],
          width: { size: widths[i]!, type: WidthType.DXA },
          shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'F2F2F2' },
          borders: cellBorders,
          margins: cellMargins,
          verticalAlign: VerticalAlignTable.CENTER,
        }),
    ),
  });
  const bodyRows = rows.map(
    (row) =>
      new TableRow({
        cantSplit: true,
        children: row.map((cell, i) => {
          const tone = typeof cell === 'string' ? undefined : cell.tone;
          const bold = typeof cell !== 'string' && cell.bold === true;
          return new TableCell({
            children: [cellParagraph(b, cellText(cell), bold ? 'heading' : 'body', size, columns[i]?.align ?? 'left')],
            width: { size: widths[i]!, type: WidthType.DXA },
            ...(tone ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: hex(toneFill[tone]) } } : {}),
            borders: cellBorders,
            margins: cellMargins,
            verticalAlign: VerticalAlignTable.CENTER,
          });
        }),
      }),
  );
  return new Table({ rows: [headerRow, ...bodyRows], width: { size: TEXT_W, type: WidthType.DXA }, columnWidths: widths, layout: TableLayoutType.FIXED });
}

function fieldsTable(b: Builder, rows: readonly { label: string; value: string }[]): Table {
  const size = sizes.imprint;
  const labelW = Math.min(Math.round(TEXT_W * 0.34), Math.round(Math.max(...rows.map((r) => emWidth(r.label))) * size * 20 + 260));
  const widths = [labelW, TEXT_W - labelW];
  return new Table({
    width: { size: TEXT_W, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    rows: rows.map(
      (r) =>
        new TableRow({
          cantSplit: true,
          ...(r.value ? {} : { height: { value: Math.round(size * 20 * 2.4), rule: 'atLeast' as const } }),
          children: [
            new TableCell({
              children: [cellParagraph(b, r.label, 'heading', size, 'left')],
              width: { size: widths[0]!, type: WidthType.DXA },
              shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'F2F2F2' },
              borders: cellBorders,
              margins: cellMargins,
              verticalAlign: VerticalAlignTable.CENTER,
            }),
            new TableCell({
              children: [cellParagraph(b, r.value, 'body', size, 'left')],
              width: { size: widths[1]!, type: WidthType.DXA },
              borders: cellBorders,
              margins: cellMargins,
              verticalAlign: VerticalAlignTable.CENTER,
            }),
          ],
        }),
    ),
  });
}

async function chartParagraph(spec: ChartSpec, caption: string): Promise<Paragraph> {
  const size = chartSize(spec);
  const png = await chartPng(spec, size);
  // Text width 156 mm ≈ 590 px at 96 dpi.
  const width = spec.type === 'heat_grid' ? 590 : 560;
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    keepNext: true,
    spacing: { line: 240, lineRule: LineRuleType.AUTO, before: 120 },
    children: [
      new ImageRun({ type: 'png', data: png, transformation: { width, height: Math.round((size.height / size.width) * width) }, altText: { name: caption, title: spec.title, description: caption } }),
    ],
  });
}

function signature(b: Builder, doc: OfficialDocument, out: FileChild[]): void {
  const sig = doc.signature;
  if (sig) {
    // Sealed papers leave three lines for the seal; the organ is centred over the date, which
    // ends four characters from the right margin (GB/T 9704 §7.3.5.1).
    for (let i = 0; i < (sig.sealed ? 2 : 1); i += 1) out.push(b.para('', {}));
    const dateEm = emWidth(sig.date);
    for (const organ of sig.organs) {
      const right = Math.max(2 * CHAR, Math.round(4 * CHAR + ((dateEm - emWidth(organ)) / 2) * CHAR));
      out.push(b.para(organ, { align: 'right', right, keepNext: true }));
    }
    out.push(b.para(sig.date, { align: 'right', right: 4 * CHAR }));
  }
  if (doc.note) out.push(b.para(doc.note, { indent: true, align: 'left' }));
}

/** 版记: 报/送/抄送 and 印发机关/印发日期 between rules, floated to the foot of the last page. */
function imprintTable(b: Builder, doc: OfficialDocument): Table | null {
  const lines = distributionLines(doc);
  if (lines.length === 0 && !doc.imprint) return null;
  const size = sizes.imprint;
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' } as const;
  const thick = { style: BorderStyle.SINGLE, size: 8, color: '000000' } as const;
  const hair = { style: BorderStyle.SINGLE, size: 4, color: '000000' } as const;
  const rows: TableRow[] = [];
  const count = lines.length + (doc.imprint ? 1 : 0);
  const border = (i: number) => ({ top: i === 0 ? thick : hair, bottom: i === count - 1 ? thick : hair, left: none, right: none });
  lines.forEach((line, i) => {
    const colon = line.indexOf('：') + 1;
    rows.push(
      new TableRow({
        children: [
          new TableCell({
            borders: border(i),
            width: { size: TEXT_W, type: WidthType.DXA },
            children: [
              new Paragraph({
                children: [b.run(line, 'body', size)],
                // Wrapped lines align with the first name after "抄送：".
                indent: { left: Math.round(size * 20 * (1 + emWidth(line.slice(0, colon)))), hanging: Math.round(size * 20 * emWidth(line.slice(0, colon))), right: size * 20 },
                spacing: { line: Math.round(size * 20 * 1.6), lineRule: LineRuleType.EXACT },
              }),
            ],
          }),
        ],
      }),
    );
  });
  if (doc.imprint) {
    rows.push(
      new TableRow({
        children: [
          new TableCell({
            borders: border(count - 1),
            width: { size: TEXT_W, type: WidthType.DXA },
            children: [
              new Paragraph({
                children: [b.run(doc.imprint.organ, 'body', size), b.run(`\t${doc.imprint.date}印发`, 'body', size)],
                tabStops: [{ type: TabStopType.RIGHT, position: TEXT_W - 2 * size * 20 }],
                indent: { left: size * 20, right: size * 20 },
                spacing: { line: Math.round(size * 20 * 1.6), lineRule: LineRuleType.EXACT },
              }),
            ],
          }),
        ],
      }),
    );
  }
  return new Table({
    rows,
    width: { size: TEXT_W, type: WidthType.DXA },
    columnWidths: [TEXT_W],
    layout: TableLayoutType.FIXED,
    float: { horizontalAnchor: TableAnchorType.MARGIN, verticalAnchor: TableAnchorType.MARGIN, relativeVerticalPosition: RelativeVerticalPosition.BOTTOM },
  });
}

/** "— 1 —" in 四号宋体: odd pages right, even pages left, one character in. */
function pageNumberFooter(b: Builder, side: 'odd' | 'even'): Footer {
  const size = sizes.imprint;
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: size * 20 } : { left: size * 20 },
        children: [
          new TextRun({
            children: ['— ', PageNumber.CURRENT, ' —'],
            font: { ascii: b.fonts.song, hAnsi: b.fonts.song, eastAsia: b.fonts.song },
            size: size * 2,
          }),
        ],
      }),
    ],
  });
}

function xmlAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * Word has no per-run font fallback; the font table names an alternate for each GB2312-era face
 * and declares the GB2312 charset, so Word substitutes 仿宋/楷体/黑体 where they are missing.
 */
function fontTable(fonts: DocxFonts): string {
  const entry = (name: string, alt: string, family: string, pitch: string): string =>
    `<w:font w:name="${xmlAttr(name)}">${alt ? `<w:altName w:val="${xmlAttr(alt)}"/>` : ''}<w:charset w:val="86"/><w:family w:val="${family}"/><w:pitch w:val="${pitch}"/></w:font>`;
  const alternates: Record<string, string> = { '仿宋_GB2312': '仿宋', '楷体_GB2312': '楷体', '方正小标宋简体': '黑体', '方正小标宋_GBK': '黑体', '黑体': 'SimHei', '宋体': 'SimSun' };
  const names = [...new Set([fonts.title, fonts.body, fonts.heading, fonts.kai, fonts.song])];
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    names.map((n) => entry(n, alternates[n] ?? '', n === fonts.title ? 'script' : 'modern', n === fonts.title ? 'variable' : 'fixed')).join('') +
    `<w:font w:name="${xmlAttr(fonts.latin)}"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>` +
    '</w:fonts>'
  );
}
