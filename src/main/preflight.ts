import { cjkFonts } from '../documents/fonts.ts';

/**
 * What a start needs from `npm ci`, checked before anything starts: the CJK fonts that documents
 * and charts render with. On a miss it says what is missing and how to get it, and exits 1,
 * instead of a document render failing later in a worker.
 */
export function checkInstallation(): void {
  try {
    cjkFonts();
  } catch (error) {
    process.stderr.write(`risk-loop cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
