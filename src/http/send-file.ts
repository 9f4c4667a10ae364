import type { Response } from 'express';

/** A file download: its type, a UTF-8 file name (Chinese names survive), and its SHA-256 when known. */
export function sendFile(res: Response, file: { fileName: string; contentType: string; data: Buffer; sha256?: string }): void {
  res.status(200).type(file.contentType).setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
  if (file.sha256) res.setHeader('X-Content-SHA256', file.sha256);
  res.send(file.data);
}
