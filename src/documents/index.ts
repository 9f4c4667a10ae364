import { renderPlainText } from '../domain/documents/plain-text.ts';
import type { OfficialDocument } from '../domain/documents/model.ts';
import { renderDocx, type DocxOptions } from './render-docx.ts';
import { renderPdf, type PdfOptions } from './render-pdf.ts';

export { renderDocx, defaultDocxFonts, type DocxFonts, type DocxOptions } from './render-docx.ts';
export { renderPdf, type PdfOptions } from './render-pdf.ts';
export { chartPng, chartSvg, chartSize } from './charts.ts';
export { cjkFonts, fontBytes, locateCjkFonts, type CjkFonts, type FontFace } from './fonts.ts';

export interface RenderedDocument {
  docx: Buffer;
  pdf: Buffer;
  /** Plain text: mail body and inbox preview. */
  text: string;
}

/** Both official formats and the plain text of one document model. */
export async function renderDocument(doc: OfficialDocument, options: DocxOptions & PdfOptions = {}): Promise<RenderedDocument> {
  const [docx, pdf] = await Promise.all([renderDocx(doc, options), renderPdf(doc, options)]);
  return { docx, pdf, text: renderPlainText(doc) };
}

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const PDF_MIME = 'application/pdf';

/** File name for downloads and attachments: 文号 + title, characters unsafe in file names removed. */
export function documentFileName(doc: OfficialDocument, ext: 'docx' | 'pdf'): string {
  const base = [doc.number, doc.title].filter(Boolean).join(' ').replace(/[\\/:*?"<>|\s]+/g, '_');
  return `${base}.${ext}`;
}
