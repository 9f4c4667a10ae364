import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, headless, without the background work that would disturb a measurement. */
export function launchBenchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * An init script that records when the screen's first content (`selector`) is in the DOM and
 * painted (two frames later), relative to navigation start, as `window.__rendered`.
 */
export const renderProbe = (selector: string) => `(() => {
  const done = () => requestAnimationFrame(() => requestAnimationFrame(() => { window.__rendered = performance.now(); }));
  const seen = () => document.querySelector(${JSON.stringify(selector)});
  if (seen()) return done();
  const observer = new MutationObserver(() => { if (seen()) { observer.disconnect(); done(); } });
  observer.observe(document, { childList: true, subtree: true });
})();`;

/** Waits for the render probe and reads its time (ms after navigation start). */
export async function renderedAt(page: Page): Promise<number> {
  // Browser-side code through globalThis: bench files are type-checked without the DOM library,
  // and our CSP forbids the eval that string predicates would need.
  await page.waitForFunction(() => typeof (globalThis as { __rendered?: number }).__rendered === 'number', undefined, { timeout: 60_000 });
  return page.evaluate(() => (globalThis as unknown as { __rendered: number }).__rendered);
}
