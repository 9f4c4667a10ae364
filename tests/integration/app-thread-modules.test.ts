import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/** The libraries that lay documents out: loaded by the render thread (src/documents/render-thread.ts) alone. */
const RENDERERS = ['docx', 'echarts', 'pdfkit', 'svg-to-pdfkit', '@resvg/resvg-js'];

/** The renderers a fresh Node process loads while it imports `entry` (every module it resolves, recorded by a resolve hook). */
async function renderersLoadedBy(entry: string): Promise<string[]> {
  const script = `
    import { registerHooks } from 'node:module';
    import { pathToFileURL } from 'node:url';
    const renderers = new Set(${JSON.stringify(RENDERERS)});
    const loaded = new Set();
    registerHooks({ resolve(specifier, context, next) { if (renderers.has(specifier)) loaded.add(specifier); return next(specifier, context); } });
    await import(pathToFileURL(${JSON.stringify(entry)}).href);
    console.log(JSON.stringify([...loaded].sort()));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, LOG_LEVEL: 'silent' } });
  return JSON.parse(stdout.trim().split('\n').pop()!) as string[];
}

/**
 * The app's and the workers' thread only stores and sends what the render thread made: loading
 * the renderers there cost every process ≈ 80 MB of resident memory at rest (echarts alone ≈ 75 MB),
 * which an upload's import then started from (issue 17: RSS ≤ 300 MB through the upload).
 */
describe("the app's thread", () => {
  it('when the app and the workers are composed, then none of the document renderers is loaded; the render thread loads them all', async () => {
    expect(await renderersLoadedBy('src/main/bootstrap.ts')).toEqual([]);
    expect(await renderersLoadedBy('src/documents/render-thread.ts')).toEqual([...RENDERERS].sort());
  });
});
