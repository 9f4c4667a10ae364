import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_ROLES, systemActor, type Role } from '../../src/services/actor.ts';
import { waitForOpenTask } from '../../src/services/inbox.ts';
import { PHONE, startBrowser, type BrowserSession } from '../support/browser.ts';
import { computedRound } from '../support/case-data.ts';
import { latinWordsOn } from '../support/latin-words.ts';
import { testPorts } from '../support/ports.ts';
import { startPrivateEngine, type PrivateEngine } from '../support/private-engine.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createTestUser } from '../support/users.ts';

/**
 * No English on a clerk's screen (issue 21 point 8): every role opens every screen its navigation
 * offers, and the pages behind them — a task with its form, a document, a ledger, an instance, a
 * trace — and the visible text holds no Latin word outside the allowlist: indicator codes (B2),
 * file types and encodings, the engine's product names the links name. Login names, record ids and
 * what a page sets in <code> (configuration keys, commands) are data, not wording; so are the BPMN
 * ids the admin's modeler names each process by beside its Chinese name, as the diagram file needs.
 */
const FIXTURES = ['web-inbox-answer', 'form-doors'];
/** The BPMN ids the modeler names the processes by: the product's and the test fixtures (one file per process, named by its id). */
const processIds = ['bpmn', 'tests/fixtures/bpmn'].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.bpmn')).map((f) => path.basename(f, '.bpmn')));

describe('no Latin words on any screen, in Chromium', () => {
  let engine: PrivateEngine;
  let system: TestSystem;
  let session: BrowserSession;
  const roundId = `2025-H1-${Date.now() % 1_000_000}`;
  const usernames = new Map<Role, string>();
  let task = '';
  let instance = '';
  let opinionTask = '';
  let opinionInstance = '';
  let noticeId = '';

  beforeAll(async () => {
    // An engine and database of its own: other files' test data (base-36 round ids, process keys,
    // English display names of test users) is not wording a clerk would read.
    engine = await startPrivateEngine('latin-walk', testPorts.privateEngineBase + 9);
    system = await startTestSystem({ withEngine: true, engineAddress: engine.address, databaseUrl: engine.databaseUrl });
    const { services } = system;
    await computedRound(services, roundId);
    await system.engine.deployProcesses(path.resolve('tests/fixtures/bpmn'), FIXTURES);
    for (const role of ALL_ROLES) {
      const unit = role === 'department' ? 'jrj' : role === 'peace_office' ? 'pab' : role === 'leader' ? 'zfw' : role === 'court_analyst' ? 'court' : null;
      usernames.set(role, (await createTestUser(services, [role], unit)).username);
    }
    instance = (await system.engine.startProcess('web-inbox-answer', { department: 'jrj', dueDate: '2031-03-05T09:00:00Z' })).processInstanceKey;
    task = await waitForOpenTask(services.db, instance, 'answer');
    // The real 风险提示函 opinion form, with what form-js draws in English unless translated: its
    // dynamic list of measures ("Add new", "Remove list item 1") and a tag list with a tag ("Skip to search").
    opinionInstance = (
      await system.engine.startProcess('form-doors', {
        department: 'jrj',
        noticeNumber: '唐平安提〔2025〕1号',
        noticeIndicatorOptions: [{ label: '民间借贷纠纷（B2）', value: 'B2' }],
        townshipOptions: [{ label: '源潭镇', value: 'town-yuantan' }],
        departmentOptions: [{ label: '金融局', value: 'jrj' }],
        measures: [{ content: '排查', ownerName: '张三', responsibleDepartmentId: 'jrj', deadline: '2031-03-01', indicatorIds: ['B2'], townships: ['town-yuantan'] }],
      })
    ).processInstanceKey;
    opinionTask = await waitForOpenTask(services.db, opinionInstance, 'opinion');
    noticeId = (await services.notices.issue(systemActor, { roundId, departmentId: 'jrj', indicatorIds: ['B2'], dueDate: '2031-03-05T09:00:00Z', processInstanceKey: instance })).id;
    session = await startBrowser(() => system.baseUrl);
  });

  afterAll(async () => {
    for (const key of [instance, opinionInstance].filter(Boolean)) await system?.engine.cancelProcessInstance(key).catch(() => undefined);
    await session?.close();
    await system?.stop();
    await engine?.stop();
  });

  it('when each role opens every screen its navigation offers and the pages behind them, then no Latin word shows outside the allowlist', async () => {
    const found: Record<string, string[]> = {};
    for (const role of ALL_ROLES) {
      const page = await session.openPage();
      await session.login(page, usernames.get(role)!);
      const links = await page.locator('#nav a[href^="#/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
      const extra = [`#/tasks/${task}`, `#/tasks/${opinionTask}`, `#/monitor/${instance}`, `#/trace/notice/${noticeId}`, '#/ledgers/notices'];
      for (const href of [...links, ...extra]) {
        await page.goto(`${system.baseUrl}/${href}`);
        await page.locator('#main h1').first().waitFor();
        // Pages fill in after their heading: wait until the network is quiet.
        await page.waitForLoadState('networkidle');
        const words = await latinWordsOn(page, [...usernames.values(), ...processIds]);
        if (words.length > 0) found[`${role} ${href}`] = words;
      }
      await page.close();
    }
    expect(found).toEqual({});
  });

  it('when the unit opens the real opinion form on a phone, then no label is cut off and nothing scrolls sideways (issue 21 point 9)', async () => {
    const page = await session.openPage(PHONE);
    await session.login(page, usernames.get('department')!, `/tasks/${opinionTask}`);
    await page.locator('.fjs-form .fjs-form-field-label').first().waitFor();
    // form-js keeps each label on one line and hides what does not fit: on a phone the long Chinese labels were cut.
    const clipped = await page.evaluate<string[]>(
      `[...document.querySelectorAll('.fjs-form-field-label, .fjs-form-field-text td')].filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent.trim())`,
    );
    expect(clipped).toEqual([]);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
  });
});
