import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { opinionFieldName } from '../../src/domain/loop/opinion-fields.ts';

interface Component {
  key?: string;
  path?: string;
  label?: string;
  /** A datetime field's label. */
  dateLabel?: string;
  components?: Component[];
}

describe('the opinion refusal names its fields as the form does', () => {
  it('when a measure field is refused, then it reads 第N项措施 and the field label, never the variable name', () => {
    expect(opinionFieldName('measures.0.deadline')).toBe('第1项措施·完成时限');
    expect(opinionFieldName('measures.11.responsibleDepartmentId')).toBe('第12项措施·责任部门');
    expect(opinionFieldName('analysis')).toBe('风险分析研判');
  });

  it('when the form labels a field, then the refusal uses that label (the townships label without its hint)', () => {
    const form = JSON.parse(readFileSync('bpmn/risk-notice-opinion.form', 'utf8')) as { components: Component[] };
    const fields: [string, string][] = [];
    const walk = (cs: Component[], inMeasures: boolean) =>
      cs.forEach((c) => {
        const name = c.key ?? c.path;
        const label = c.label ?? c.dateLabel;
        if (name && label) fields.push([inMeasures && name !== 'measures' ? `measures.0.${name}` : name, label.replace(/（.*）$/, '')]);
        walk(c.components ?? [], inMeasures || name === 'measures');
      });
    walk(form.components, false);
    expect(fields.length).toBeGreaterThanOrEqual(9);
    for (const [field, label] of fields) expect(opinionFieldName(field).replace(/^第1项措施·/, ''), field).toBe(label);
  });
});
