import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { OfficialDocument } from '../domain/documents/model.ts';
import type { RenderedDocument } from './index.ts';

/**
 * Laying out a document (echarts → SVG → PNG, .docx, pdfkit with CJK font subsets) takes about
 * half a second of CPU. On the event loop it would stall every request and job of the process
 * for that long — the thirty notices of a round for fifteen seconds — so issued documents are
 * laid out on worker threads: one fewer than the cores, at least one, started on first use;
 * an idle thread does not keep the process alive and exits after five minutes.
 */

let pool: Piscina<OfficialDocument, RenderedDocument> | undefined;

export async function renderOffThread(doc: OfficialDocument): Promise<RenderedDocument> {
  pool ??= new Piscina({
    filename: new URL('./render-thread.ts', import.meta.url).href,
    minThreads: 0,
    maxThreads: Math.max(1, availableParallelism() - 1),
    idleTimeout: 300_000,
  });
  // Buffers arrive as plain Uint8Arrays (structured clone): wrap them again without copying.
  const { docx, pdf, text } = await pool.run(doc);
  return { docx: Buffer.from(docx.buffer, docx.byteOffset, docx.byteLength), pdf: Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength), text };
}
