import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';

/**
 * `npm run web:build` (and `prestart`): Vite builds web-modeler-assets/ into the ignored web-dist/,
 * which express serves at /. Skipped when web-dist is newer than every source file, so a warm
 * `npm start` does not pay for a bundle it already has. `--force` rebuilds anyway.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
export const WEB_SOURCE = path.join(ROOT, 'web-modeler-assets');
export const WEB_DIST = path.join(ROOT, 'web-dist');
/** Browser code the bundle takes from the engine's Tasklist resources (form-js in Chinese, one table for both doors). */
const SHARED_WITH_TASKLIST = path.join(ROOT, 'src/engine/operaton/src/main/resources/META-INF/resources/webjars/operaton/app/tasklist/scripts');
const STAMP = path.join(WEB_DIST, '.built');

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestMtime(full) : (await stat(full)).mtimeMs);
  }
  return newest;
}

async function mtime(file: string): Promise<number> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

/** Whether web-dist is older than its sources (or the build inputs: this script, the lock file, the code shared with Tasklist). */
export async function webBuildNeeded(): Promise<boolean> {
  const built = await mtime(STAMP);
  if (built === 0) return true;
  const sources = Math.max(
    await newestMtime(WEB_SOURCE),
    await newestMtime(SHARED_WITH_TASKLIST),
    await mtime(import.meta.filename),
    await mtime(path.join(ROOT, 'package-lock.json')),
  );
  return sources > built;
}

export async function buildWeb(o: { force?: boolean; quiet?: boolean } = {}): Promise<'built' | 'fresh'> {
  if (!o.force && !(await webBuildNeeded())) return 'fresh';
  // Vite's build sets NODE_ENV=production in the calling process; a caller that goes on to read its
  // configuration (a bench, a test set-up) must not find itself in production.
  const nodeEnv = process.env.NODE_ENV;
  try {
    await viteBuild(o.quiet ?? false);
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  await writeFile(STAMP, new Date().toISOString() + '\n');
  return 'built';
}

function viteBuild(quiet: boolean) {
  return build({
    root: WEB_SOURCE,
    base: '/',
    configFile: false,
    logLevel: quiet ? 'warn' : 'info',
    clearScreen: false,
    build: {
      outDir: WEB_DIST,
      emptyOutDir: true,
      target: 'es2022',
      // Fonts and images as files: the CSP allows data: images but not data: fonts.
      assetsInlineLimit: 0,
      // The modeler chunk (bpmn-js, properties panel, FEEL editor) is large and loaded only on its page.
      chunkSizeWarningLimit: 4096,
      reportCompressedSize: false,
    },
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  const result = await buildWeb({ force: process.argv.includes('--force') });
  console.log(result === 'fresh' ? 'web-dist is up to date (web:build skipped)' : `web-dist built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
