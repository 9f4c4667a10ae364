import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { chineseRuleText } from '../../src/services/bpmnlint-zh.ts';
import { translateValidation } from '../../web-modeler-assets/modules/form-zh/messages.ts';
import { translate } from '../../web-modeler-assets/modules/translate-zh/index.ts';

/**
 * Chinese coverage of the texts our users read from the libraries: every label of the bpmn-js
 * palette, context pad and replace menu, the common properties-panel labels, every bpmnlint
 * rule we run, and form-js validation messages. Read from the installed packages, so an upgrade
 * that adds a label fails here instead of showing English.
 */
const require = createRequire(import.meta.url);
const source = (path: string) => readFileSync(require.resolve(path), 'utf8');
const untranslated = (labels: string[]) => labels.filter((l) => translate(l) === l || !/[\u4e00-\u9fff]/.test(translate(l)));

describe('Chinese texts of bpmn-js, the properties panel, bpmnlint and form-js', () => {
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

  it('when the properties panel shows an element, then its common groups and fields are Chinese', () => {
    const common = [
      'General', 'Name', 'ID', 'Documentation', 'Element documentation', 'Executable', 'Assignment', 'Assignee', 'Candidate groups',
      'Candidate users', 'Due date', 'Follow up date', 'Priority', 'Form', 'Form ID', 'Implementation', 'Task definition', 'Job type',
      'Retries', 'Inputs', 'Outputs', 'Headers', 'Timer', 'Duration', 'Cycle', 'Date', 'Condition expression', 'Multi-instance',
      'Input collection', 'Input element', 'Output collection', 'Completion condition', 'Message', 'Subscription correlation key',
      'Called element', 'Extension properties', 'Execution listeners', 'Errors', 'Escalation', 'Signal', 'Version tag',
      'Select an element to edit its properties.', 'User Task', 'Service Task', 'Start Event', 'Exclusive Gateway', 'Sequence Flow', 'Process',
    ];
    expect(untranslated(common)).toEqual([]);
    expect(translate('Timer Boundary Event (Non Interrupting)')).toBe('定时边界事件（非中断）');
    expect(translate('Append {type}', { type: 'x' })).toBe('Append x');
  });

  it('when bpmnlint reports a problem, then every rule we run has its own Chinese explanation', () => {
    const camunda = require('bpmnlint-plugin-camunda-compat') as { configs: Record<string, { rules: Record<string, unknown> }> };
    const recommended = require('bpmnlint/config/recommended') as { rules: Record<string, unknown> };
    const rules = [...Object.keys(recommended.rules), ...Object.keys(camunda.configs['camunda-cloud-8-6']!.rules).map((r) => `camunda-compat/${r}`)];
    expect(rules.filter((r) => chineseRuleText(r).startsWith('不符合建模规则'))).toEqual([]);
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
