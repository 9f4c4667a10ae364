import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { chineseRuleText } from '../../src/services/bpmnlint-zh.ts';
import { translateValidation } from '../../src/engine/operaton/src/main/resources/META-INF/resources/webjars/operaton/app/tasklist/scripts/form-zh.js';
import { translate } from '../../web-modeler-assets/modules/translate-zh/index.ts';

/**
 * Chinese coverage of the texts our users read from the libraries: every label of the bpmn-js
 * palette, context pad and replace menu and the menus' element descriptions, every text of the
 * Camunda 7 properties panel, every bpmnlint rule we run, and form-js validation messages. Read from the installed packages, so an upgrade
 * that adds a label fails here instead of showing English.
 */
const require = createRequire(import.meta.url);
const source = (path: string) => readFileSync(require.resolve(path), 'utf8');
// The properties panel as camunda-bpmn-js (which the modeler is built from) resolves it.
const panelRequire = createRequire(require.resolve('camunda-bpmn-js/lib/camunda-platform/Modeler.js'));
const panelSource = (path: string) => readFileSync(panelRequire.resolve(path), 'utf8');
const untranslated = (labels: string[]) => labels.filter((l) => translate(l) === l || !/[\u4e00-\u9fff]/.test(translate(l)));

describe('Chinese texts of bpmn-js, the Camunda 7 properties panel, bpmnlint and form-js', () => {
  it('when the modeler shows its palette, context pad or replace menu, then every label is Chinese', () => {
    const calls = (text: string) => [...text.matchAll(/translate\(\s*'([^']+)'/g)].map((m) => m[1]!);
    const labels = [
      ...calls(source('bpmn-js/lib/features/palette/PaletteProvider.js')),
      ...calls(source('bpmn-js/lib/features/context-pad/ContextPadProvider.js')),
      ...[...source('bpmn-js/lib/features/replace/ReplaceOptions.js').matchAll(/label: '([^']+)'/g)].map((m) => m[1]!),
      // Camunda's create/append menus (the palette's "…" and the context pad's append entry).
      ...[...source('bpmn-js-create-append-anything').matchAll(/label: '([^']+)'/g)].map((m) => m[1]!),
    ];
    expect(new Set(labels).size).toBeGreaterThan(80);
    expect(untranslated([...new Set(labels)])).toEqual([]);
  });

  it('when the create, append or replace menu describes an element, then the description is Chinese', () => {
    const descriptions = [...source('camunda-bpmn-js/lib/base/features/element-descriptions/descriptions.js').matchAll(/'[a-z-]+': '([^']+)'/g)].map((m) => m[1]!);
    expect(descriptions.length).toBeGreaterThan(60);
    expect(untranslated(descriptions)).toEqual([]);
  });

  it('when the Camunda 7 properties panel shows an element, then every group, field, option and hint is Chinese', () => {
    // The panel is bundled; its source map holds each provider's source. Ours is camunda-platform
    // (plus the plain BPMN one it builds on); the Zeebe provider is not loaded.
    const map = JSON.parse(panelSource('bpmn-js-properties-panel/dist/index.esm.js.map')) as { sources: string[]; sourcesContent: string[] };
    const labels = new Set<string>();
    map.sources.forEach((file, i) => {
      if (/zeebe/.test(file)) return;
      // translate('…') and translate('…' + '…')
      for (const m of map.sourcesContent[i]!.matchAll(/translate\(\s*((?:'[^']*'\s*\+\s*)*'[^']*')\s*[,)]/g)) {
        labels.add([...m[1]!.matchAll(/'([^']*)'/g)].map((p) => p[1]).join(''));
      }
    });
    const provider = map.sources.filter((f) => f.includes('provider/camunda-platform/'));
    expect(provider.length).toBeGreaterThan(40);
    expect(labels.size).toBeGreaterThan(200);
    // Labels the panel passes through a constant: implementation types, listener events and kinds.
    const indirect = ['<none>', 'Java class', 'Expression', 'Delegate expression', 'DMN', 'External', 'Connector', 'Script'];
    const listeners = ['Start', 'End', 'Take', 'Assignment', 'Complete', 'Delete', 'Update', 'Timeout'];
    // What a county admin fills in: external task topic, candidate groups, due date, form reference.
    const everyday = ['External task', 'Topic', 'User assignment', 'Candidate groups', 'Due date', 'Form reference', 'Binding', 'latest', 'Time to live'];
    expect(untranslated([...labels, ...indirect, ...listeners, ...everyday])).toEqual([]);
    expect(translate('Timer Boundary Event (Non Interrupting)')).toBe('定时边界事件（非中断）');
    expect(translate('Append {type}', { type: 'x' })).toBe('Append x');
    expect(translate('List contains {numOfItems} items', { numOfItems: '3' })).toBe('列表中有 3 项');
    // Examples in hints stay as they are: `${…}` is not one of our {placeholders}.
    expect(translate('The due date as an EL expression (e.g. ${someDate}) or an ISO date (e.g. 2015-06-26T09:54:00).')).toContain('${someDate}');
  });

  it('when the properties panel names the selected element, then its header is Chinese for every element type', () => {
    // The header is the element's concrete type in words ("Message Boundary Event"); the panel has an icon for each.
    const panel = panelSource('bpmn-js-properties-panel/dist/index.esm.js');
    const block = panel.slice(panel.indexOf('iconsByType = {'), panel.indexOf('};', panel.indexOf('iconsByType = {')));
    const types = [...block.matchAll(/'([A-Za-z]+)':/g)].map((m) => m[1]!.replace(/(\B[A-Z])/g, ' $1').replace(/(\bNon Interrupting)/g, '($1)'));
    expect(types.length).toBeGreaterThan(80);
    expect(untranslated(types)).toEqual([]);
  });

  it('when bpmnlint reports a problem, then every rule we run has its own Chinese explanation', () => {
    // The configs .bpmnlintrc extends (the modeler's back end lints with that very file).
    const rc = JSON.parse(readFileSync('.bpmnlintrc', 'utf8')) as { extends: string[] };
    expect(rc.extends).toEqual(['bpmnlint:recommended', expect.stringMatching(/^plugin:camunda-compat\/camunda-platform-7-\d+$/)]);
    const camunda = require('bpmnlint-plugin-camunda-compat') as { configs: Record<string, { rules: Record<string, unknown> }> };
    const recommended = require('bpmnlint/config/recommended') as { rules: Record<string, unknown> };
    const platform = camunda.configs[rc.extends[1]!.replace('plugin:camunda-compat/', '')]!;
    const rules = [...Object.keys(recommended.rules), ...Object.keys(platform.rules).map((r) => `camunda-compat/${r}`)];
    expect(rules).toContain('camunda-compat/history-time-to-live');
    expect(rules.filter((r) => chineseRuleText(r).startsWith('不符合建模规则'))).toEqual([]);
    // The engine is named as the admin knows it, never as the Camunda 8 it replaced.
    expect(chineseRuleText('camunda-compat/history-time-to-live')).toContain('Operaton（Camunda 7 兼容）');
    expect(rules.map(chineseRuleText).filter((t) => /Camunda 8|8\.6|Zeebe/i.test(t))).toEqual([]);
  });

  it('when form-js validates a field, then its message is Chinese', () => {
    expect(translateValidation('Field is required.')).toBe('此项为必填项');
    expect(translateValidation('Field must have minimum length of 10.')).toBe('至少需要 10 个字符');
    expect(translateValidation('Field must have maximum value of 365.')).toBe('不能大于 365');
    expect(translateValidation('Field must be a valid email.')).toBe('请输入有效的电子邮箱地址');
    expect(translateValidation('Value is expected to be an integer.')).toBe('请输入整数');
    expect(translateValidation('自定义提示')).toBe('自定义提示');
  });
});
