/**
 * What a stored document is called and served as. Apart from the renderers (index.ts), so the app's
 * thread, which only stores and sends what the render thread made, never loads docx, the PDF
 * writer or echarts (≈ 80 MB of an app's resident memory, measured at rest).
 */

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const PDF_MIME = 'application/pdf';

/** File name for downloads and attachments: 文号 + title, characters unsafe in file names removed. */
export function documentFileName(doc: { number?: string | null; title: string }, ext: 'docx' | 'pdf'): string {
  const base = [doc.number, doc.title].filter(Boolean).join(' ').replace(/[\\/:*?"<>|\s]+/g, '_');
  return `${base}.${ext}`;
}
