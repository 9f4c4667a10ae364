import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/dry-run/sandbox.ts';
import { startHttp } from '../../src/main/bootstrap.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { startBrowser, type BrowserSession } from '../support/browser.ts';
import { testPorts } from '../support/ports.ts';
import { runTestDemoCounty, startTestSandbox } from '../support/sandbox.ts';

/**
 * The living demo in Chromium (issue 21 point 6): the county's year run up to today as the first `npm start`
 * runs it (src/dry-run/demo-county.ts, on a sandbox of its own), then each demo user the README names opens
 * its home page, which says what to do next, and its inbox holds the work the demo left it. The screenshots
 * in docs/screenshots/demo-*.png are these pages.
 */
describe('the living demo in Chromium', () => {
  let sandbox: Sandbox;
  let server: Server;
  let session: BrowserSession;
  let baseUrl = '';
  const log = createLogger((process.env.TEST_LOG_LEVEL ?? 'warn') as 'warn', 'demo-browser');

  beforeAll(async () => {
    sandbox = await startTestSandbox('demo-browser', testPorts.demoCountyBase);
    // Today as the first start takes it: the year up to the real time.
    await runTestDemoCounty(sandbox, new Date().toISOString());
    server = await startHttp(sandbox.core, sandbox.config, log, 'demo-browser-session-secret-0123456789abcdef');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    session = await startBrowser(() => baseUrl);
  }, 1_200_000);

  afterAll(async () => {
    await session?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await sandbox?.stop();
  });

  /** A demo user's home (the sandbox seeds the demo users with its own password). */
  const home = async (username: string): Promise<Page> => {
    const page = await session.openPage();
    await page.goto(`${baseUrl}/#/`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill('dry-run-only-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('#home-next').waitFor();
    await page.waitForLoadState('networkidle');
    return page;
  };
  const inboxNames = async (page: Page) => {
    await page.goto(`${baseUrl}/#/inbox`);
    await page.locator('#inbox-table').waitFor();
    return page.locator('#inbox-table a.task-name').allTextContents();
  };

  it('when 人社局 opens its home, then it is told to answer its overdue 风险提示函 first', async () => {
    const page = await home('rsj');
    expect(await page.locator('#home-next').textContent()).toMatch(/^下一步：已逾期，请先办理「分析研判并提交工作意见」（风险提示函 /);
    await session.shot(page, 'demo-home-rsj');
  });

  it('when 金融局 opens its home, then its green 督办事项 waits for its result', async () => {
    const page = await home('jrj');
    expect(await page.locator('#home-next').textContent()).toContain('「办理并报送办理结果」');
    await session.shot(page, 'demo-home-jrj');
  });

  it('when the office opens its home and inbox, then an opinion waits for its review and the arranged 约谈 for its record', async () => {
    const page = await home('office');
    expect(await page.locator('#home-next').textContent()).toMatch(/^下一步：/);
    await session.shot(page, 'demo-home-office');
    const names = await inboxNames(page);
    expect(names).toEqual(expect.arrayContaining(['平安办审核工作意见', '约谈主要负责人并提出整改要求']));
  });

  it('when the leader opens its home and the cockpit, then the year\'s round shows its lights', async () => {
    const page = await home('leader');
    expect(await page.locator('#home-next').textContent()).toMatch(/^下一步：/);
    await session.shot(page, 'demo-home-leader');
    await page.goto(`${baseUrl}/#/cockpit`);
    await page.locator('#main h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    await session.shot(page, 'demo-cockpit');
    expect(session.errors).toEqual([]);
  });
});
