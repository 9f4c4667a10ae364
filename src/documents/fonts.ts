import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PermanentError } from '../shared/errors.ts';

/**
 * CJK fonts for PDF and chart rendering, brought by `npm ci`: Google's Noto Serif SC and Noto Sans
 * SC as static TrueType files from the npm packages `@expo-google-fonts/noto-serif-sc` and
 * `@expo-google-fonts/noto-sans-sc` (SIL Open Font License 1.1, docs/fonts.md). No system font is
 * needed, and every machine lays out and rasterises with the same files. The .docx files only
 * name fonts (仿宋_GB2312, 方正小标宋简体 …) and rely on the reader's Word; PDFs embed subsets of
 * these, so they look the same everywhere.
 */

export interface FontFace {
  /** Absolute path of the TrueType file. */
  path: string;
  /** The npm package that ships it (named when it is missing). */
  packageName: string;
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
  /** Font files resvg loads to rasterise charts (regular, and bold for the chart titles). */
  files: string[];
}

const SERIF = '@expo-google-fonts/noto-serif-sc';
const SANS = '@expo-google-fonts/noto-sans-sc';

/** Each role's file inside its package. */
const fontFiles = {
  body: { packageName: SERIF, file: '400Regular/NotoSerifSC_400Regular.ttf' },
  title: { packageName: SERIF, file: '700Bold/NotoSerifSC_700Bold.ttf' },
  heading: { packageName: SANS, file: '700Bold/NotoSansSC_700Bold.ttf' },
  sans: { packageName: SANS, file: '400Regular/NotoSansSC_400Regular.ttf' },
} as const;

/**
 * Finds the font files in the installed packages, resolved as Node resolves modules from `from`
 * (this module by default). Throws a PermanentError naming every missing package or file
 * (retrying cannot help; `npm ci` does).
 */
export function locateCjkFonts(from: string = import.meta.url): CjkFonts {
  const require = createRequire(from);
  const missing: string[] = [];
  const face = (role: keyof typeof fontFiles): FontFace => {
    const { packageName, file } = fontFiles[role];
    let fontPath = `${packageName}/${file}`;
    try {
      fontPath = path.join(path.dirname(require.resolve(`${packageName}/package.json`)), file);
      if (!existsSync(fontPath)) missing.push(`${fontPath} (file missing from the npm package ${packageName})`);
    } catch {
      missing.push(`${fontPath} (npm package ${packageName} not installed)`);
    }
    return { path: fontPath, packageName };
  };
  const fonts = { body: face('body'), title: face('title'), heading: face('heading'), sans: face('sans') };
  if (missing.length > 0) throw new PermanentError(`CJK fonts missing: ${missing.join('; ')}. Run npm ci.`);
  return { ...fonts, chartFamily: 'Noto Sans SC', files: [fonts.sans.path, fonts.heading.path] };
}

let located: CjkFonts | undefined;

/** The located fonts, found once per process. */
export function cjkFonts(): CjkFonts {
  located ??= locateCjkFonts();
  return located;
}

const bytes = new Map<string, Buffer>();

/** File contents, read once per process (10–15 MB each). */
export function fontBytes(face: FontFace): Buffer {
  let data = bytes.get(face.path);
  if (!data) {
    data = readFileSync(face.path);
    bytes.set(face.path, data);
  }
  return data;
}
