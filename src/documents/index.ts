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
