import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The Chinese locale files our engine application ships for Operaton 1.0.3's webapps
 * (src/engine/operaton/src/main/resources/META-INF/resources/webjars/operaton/app/<app>/locales/zh.json),
 * checked against the English labels of the webjar, kept as key/text snapshots in
 * src/engine/operaton/locale-keys/<app>.en.tsv (generated once from the jar; regenerate on an
 * Operaton upgrade). zh is the webapps' fallback locale, so a key missing from zh.json would show
 * as its raw name: every app's zh.json has every key, and every text is Chinese.
 */
const WEBAPPS = 'src/engine/operaton/src/main/resources/META-INF/resources/webjars/operaton/app';
const SNAPSHOTS = 'src/engine/operaton/locale-keys';
type App = 'tasklist' | 'cockpit' | 'admin' | 'welcome';

/** English texts that stay as they are in Chinese: identifiers, file formats, a date pattern, a product name. */
const SAME_IN_CHINESE = new Set(['ID', 'ID*', 'CSV', 'JSON', 'YYYY-MM-DDTHH:mm:ss', 'Optimize']);

/** English texts with no Chinese counterpart: the plural ending Cockpit appends to "instance". */
const EMPTY_IN_CHINESE = new Set(['s']);

function englishLabels(app: App): Map<string, string> {
  const labels = new Map<string, string>();
  for (const line of readFileSync(`${SNAPSHOTS}/${app}.en.tsv`, 'utf8').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const tab = line.indexOf('\t');
    labels.set(line.slice(0, tab), line.slice(tab + 1).replace(/\\n/g, '\n'));
  }
  return labels;
}

function chineseLabels(app: App): Record<string, string> {
  return (JSON.parse(readFileSync(`${WEBAPPS}/${app}/locales/zh.json`, 'utf8')) as { labels: Record<string, string> }).labels;
}

/** Interpolations ({{name}}, {{ name }}, {}) and HTML tags (not the shown "<null>"), which must survive translation unchanged. */
function tokens(text: string): string[] {
  return [...text.matchAll(/\{\{[^}]*\}\}|\{\}|<\/?(?:a|b|br|code|div|em|i|li|p|span|strong|ul)\b[^>]*>/g)].map((m) => m[0].replace(/\s+/g, '')).sort();
}

const untranslated = (en: Map<string, string>, zh: Record<string, string>, keys: Iterable<string>) =>
  [...keys].filter((key) => /[A-Za-z]/.test(en.get(key) ?? '') && !SAME_IN_CHINESE.has(en.get(key) ?? '') && !EMPTY_IN_CHINESE.has(en.get(key) ?? '') && zh[key] === en.get(key));

describe('zh.json of the Operaton webapps', () => {
  for (const app of ['tasklist', 'cockpit', 'admin', 'welcome'] as const) {
    describe(app, () => {
      const en = englishLabels(app);
      const zh = chineseLabels(app);

      it('has every key of the webjar en.json and no other, each with a text where English has one', () => {
        expect(en.size).toBeGreaterThan(100);
        expect([...en.keys()].filter((key) => !(key in zh))).toEqual([]);
        expect(Object.keys(zh).filter((key) => !en.has(key))).toEqual([]);
        expect([...en.keys()].filter((key) => en.get(key) !== '' && !EMPTY_IN_CHINESE.has(en.get(key) ?? '') && (zh[key] ?? '').trim() === '')).toEqual([]);
      });

      it('keeps every interpolation and HTML tag of the English text', () => {
        const changed = [...en.keys()].filter((key) => tokens(en.get(key) ?? '').join(' ') !== tokens(zh[key] ?? '').join(' '));
        expect(changed).toEqual([]);
      });

      it('names the county product instead of Operaton where the text speaks of the product', () => {
        for (const key of ['APP_VENDOR', 'FIRST_LOGIN_HEADING'].filter((k) => en.has(k))) expect(zh[key]).toContain('唐河县社会治理风险闭环管理平台');
      });
    });
  }

  for (const app of ['tasklist', 'cockpit', 'admin', 'welcome'] as const) {
    it(`translates every ${app} text (not one left in English)`, () => {
      const en = englishLabels(app);
      expect(untranslated(en, chineseLabels(app), en.keys())).toEqual([]);
    });
  }

  it('uses the Tasklist words of a Chinese government office', () => {
    const zh = chineseLabels('tasklist');
    expect(zh.CLAIM_TASK).toBe('认领');
    expect(zh.COMPLETE).toBe('办结');
    expect(zh.ASSIGNEE).toBe('办理人');
    expect(zh.DUE_DATE).toBe('截止日期');
    expect(zh.FORM).toBe('表单');
    expect(zh.START_PROCESS).toBe('发起流程');
    expect(zh.PAGE_LOGIN_USERNAME).toBe('用户名');
  });
});

describe('config.js of the Operaton webapps', () => {
  for (const app of ['tasklist', 'cockpit', 'admin', 'welcome'] as const) {
    it(`${app}: Chinese is the fallback locale, English stays available, the brand is the county product`, async () => {
      const config = (await import(/* @vite-ignore */ pathToFileURL(`${WEBAPPS}/${app}/scripts/config.js`).href)) as {
        default: { app: { vendor: string; name: string }; locales: { availableLocales: string[]; fallbackLocale: string } };
      };
      expect(config.default.locales).toEqual({ availableLocales: ['zh', 'en'], fallbackLocale: 'zh' });
      expect(config.default.app.vendor).toBe('唐河县社会治理风险闭环管理平台');
      expect(config.default.app.name).toMatch(/^[\u4e00-\u9fff]+$/);
    });
  }

  it('dates: zh.json carries Chinese month and weekday names and year-month-day formats', () => {
    const { dateLocales } = JSON.parse(readFileSync(`${WEBAPPS}/tasklist/locales/zh.json`, 'utf8')) as {
      dateLocales: { longDateFormat: Record<string, string>; weekdays: string[]; months: string[] };
    };
    expect(dateLocales.longDateFormat.LL).toBe('YYYY年M月D日');
    expect(dateLocales.longDateFormat.LT).toBe('HH:mm');
    expect(dateLocales.weekdays[1]).toBe('星期一');
    expect(dateLocales.months).toHaveLength(12);
  });
});
