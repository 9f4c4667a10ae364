import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateCjkFonts } from '../../src/documents/fonts.ts';
import { PermanentError } from '../../src/shared/errors.ts';

const SERIF = '@expo-google-fonts/noto-serif-sc';
const SANS = '@expo-google-fonts/noto-sans-sc';

describe('CJK fonts', () => {
  let empty: string;
  let partial: string;

  beforeAll(async () => {
    empty = await mkdtemp(path.join(tmpdir(), 'risk-loop-fonts-'));
    // The serif package with its package.json only (no font files), the sans package absent.
    partial = await mkdtemp(path.join(tmpdir(), 'risk-loop-fonts-'));
    await mkdir(path.join(partial, 'node_modules', SERIF), { recursive: true });
    await writeFile(path.join(partial, 'node_modules', SERIF, 'package.json'), JSON.stringify({ name: SERIF, version: '0.4.3' }));
  });

  afterAll(async () => {
    await rm(empty, { recursive: true, force: true });
    await rm(partial, { recursive: true, force: true });
  });

  it('when the fonts are located, then every role is a TrueType file of the npm packages in node_modules, not a system font', () => {
    const modules = path.resolve('node_modules');
    const fonts = locateCjkFonts();
    expect(fonts).toEqual({
      body: { path: path.join(modules, SERIF, '400Regular/NotoSerifSC_400Regular.ttf'), packageName: SERIF },
      title: { path: path.join(modules, SERIF, '700Bold/NotoSerifSC_700Bold.ttf'), packageName: SERIF },
      heading: { path: path.join(modules, SANS, '700Bold/NotoSansSC_700Bold.ttf'), packageName: SANS },
      sans: { path: path.join(modules, SANS, '400Regular/NotoSansSC_400Regular.ttf'), packageName: SANS },
      chartFamily: 'Noto Sans SC',
      files: [path.join(modules, SANS, '400Regular/NotoSansSC_400Regular.ttf'), path.join(modules, SANS, '700Bold/NotoSansSC_700Bold.ttf')],
    });
    for (const file of [fonts.body, fonts.title, fonts.heading, fonts.sans].map((f) => f.path)) expect(file.startsWith('/usr/share/fonts')).toBe(false);
  });

  it('when neither font package is installed, then the error names every missing file and its package, and says to run npm ci', () => {
    const from = pathToFileURL(path.join(empty, 'start.js')).href;
    expect(() => locateCjkFonts(from)).toThrow(PermanentError);
    expect(() => locateCjkFonts(from)).toThrow(
      'CJK fonts missing: ' +
        `${SERIF}/400Regular/NotoSerifSC_400Regular.ttf (npm package ${SERIF} not installed); ` +
        `${SERIF}/700Bold/NotoSerifSC_700Bold.ttf (npm package ${SERIF} not installed); ` +
        `${SANS}/700Bold/NotoSansSC_700Bold.ttf (npm package ${SANS} not installed); ` +
        `${SANS}/400Regular/NotoSansSC_400Regular.ttf (npm package ${SANS} not installed). Run npm ci.`,
    );
  });

  it('when a package is installed without its font files, then the error names the files missing from it', () => {
    const dir = path.join(partial, 'node_modules', SERIF);
    expect(() => locateCjkFonts(pathToFileURL(path.join(partial, 'start.js')).href)).toThrow(
      'CJK fonts missing: ' +
        `${dir}/400Regular/NotoSerifSC_400Regular.ttf (file missing from the npm package ${SERIF}); ` +
        `${dir}/700Bold/NotoSerifSC_700Bold.ttf (file missing from the npm package ${SERIF}); ` +
        `${SANS}/700Bold/NotoSansSC_700Bold.ttf (npm package ${SANS} not installed); ` +
        `${SANS}/400Regular/NotoSansSC_400Regular.ttf (npm package ${SANS} not installed). Run npm ci.`,
    );
  });
});
