import { existsSync, readFileSync } from 'node:fs';
import { PermanentError } from '../shared/errors.ts';

/**
 * CJK fonts for PDF and chart rendering, from Debian packages (installed by apt in CI and in the
 * production image): `fonts-noto-cjk` (Noto Serif/Sans CJK, preferred) or `fonts-wqy-microhei`
 * (fallback). The .docx files only name fonts (仿宋_GB2312, 方正小标宋简体 …) and rely on the
 * reader's Word; PDFs embed subsets of these, so they look the same everywhere.
 */

export interface FontFace {
  path: string;
  /** PostScript name of the face inside a .ttc collection. */
  postscriptName: string;
}

/** The roles a government paper needs: body (仿宋-like), title (小标宋-like), headings (黑体-like). */
export interface CjkFonts {
  body: FontFace;
  title: FontFace;
  heading: FontFace;
  /** Sans face for charts and tables' headers. */
  sans: FontFace;
  /** Family name resvg uses for chart text. */
  chartFamily: string;
  /** Font files resvg loads to rasterise charts. */
  files: string[];
  /** Which package was found: shown in diagnostics. */
  source: 'fonts-noto-cjk' | 'fonts-wqy-microhei';
}

const notoDirs = ['/usr/share/fonts/opentype/noto', '/usr/share/fonts/opentype/noto-cjk', '/usr/share/fonts/noto-cjk'];
const wqyDirs = ['/usr/share/fonts/truetype/wqy', '/usr/share/fonts/wqy-microhei'];

function find(dirs: readonly string[], file: string): string | null {
  for (const dir of dirs) {
    const path = `${dir}/${file}`;
    if (existsSync(path)) return path;
  }
  return null;
}

/**
 * Finds the fonts, preferring Noto CJK for text (serif body, bold titles, sans headings) and
 * WenQuanYi Micro Hei for rasterising charts (a TrueType face: resvg draws it ten times faster
 * than the CFF-based Noto collections). Either package alone suffices. Throws a PermanentError
 * naming the Debian packages when neither is installed (retrying cannot help).
 */
export function locateCjkFonts(roots: { noto?: readonly string[]; wqy?: readonly string[] } = {}): CjkFonts {
  const noto = roots.noto ?? notoDirs;
  const wqy = roots.wqy ?? wqyDirs;
  const serifRegular = find(noto, 'NotoSerifCJK-Regular.ttc');
  const sansRegular = find(noto, 'NotoSansCJK-Regular.ttc');
  const micro = find(wqy, 'wqy-microhei.ttc');
  const microFace: FontFace | null = micro ? { path: micro, postscriptName: 'WenQuanYiMicroHei' } : null;
  const chart = microFace
    ? { chartFamily: 'WenQuanYi Micro Hei', files: [microFace.path] }
    : sansRegular
      ? { chartFamily: 'Noto Sans CJK SC', files: [sansRegular] }
      : serifRegular
        ? { chartFamily: 'Noto Serif CJK SC', files: [serifRegular] }
        : null;
  if (serifRegular || sansRegular) {
    const serifBold = find(noto, 'NotoSerifCJK-Bold.ttc');
    const sansBold = find(noto, 'NotoSansCJK-Bold.ttc');
    const serif: FontFace = serifRegular ? { path: serifRegular, postscriptName: 'NotoSerifCJKsc-Regular' } : { path: sansRegular!, postscriptName: 'NotoSansCJKsc-Regular' };
    const sans: FontFace = sansRegular ? { path: sansRegular, postscriptName: 'NotoSansCJKsc-Regular' } : serif;
    const title: FontFace = serifBold ? { path: serifBold, postscriptName: 'NotoSerifCJKsc-Bold' } : serif;
    const heading: FontFace = sansBold ? { path: sansBold, postscriptName: 'NotoSansCJKsc-Bold' } : sans;
    return { body: serif, title, heading, sans, ...chart!, source: 'fonts-noto-cjk' };
  }
  if (microFace) {
    return { body: microFace, title: microFace, heading: microFace, sans: microFace, ...chart!, source: 'fonts-wqy-microhei' };
  }
  throw new PermanentError(
    `No CJK font found (looked for NotoSerifCJK-Regular.ttc / NotoSansCJK-Regular.ttc in ${noto.join(', ')} and wqy-microhei.ttc in ${wqy.join(', ')}). ` +
      'Install the Debian package fonts-noto-cjk (or fonts-wqy-microhei): apt-get install -y fonts-noto-cjk fonts-wqy-microhei',
  );
}

let located: CjkFonts | undefined;

/** The located fonts, found once per process. */
export function cjkFonts(): CjkFonts {
  located ??= locateCjkFonts();
  return located;
}

const bytes = new Map<string, Buffer>();

/** File contents, read once per process (the Noto collections are 20–27 MB each). */
export function fontBytes(face: FontFace): Buffer {
  let data = bytes.get(face.path);
  if (!data) {
    data = readFileSync(face.path);
    bytes.set(face.path, data);
  }
  return data;
}
