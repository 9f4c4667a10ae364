import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formForEngine, formOutputSchema, OUTPUT_SCHEMA_PROPERTY, type FormFile } from '../../src/engine/form-output-schema.ts';

/**
 * The output contract a form carries to the engine (FormOutputCheck.java): derived from the zod
 * contract, its fields titled by the form's labels so that the engine's refusal names them as the
 * clerk sees them.
 */
const formOf = (file: string) => JSON.parse(readFileSync(path.resolve('bpmn', file), 'utf8')) as FormFile;

interface Schema {
  title?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
}

/** Every property of a schema (items included) with its path, for the titles check. */
const fields = (schema: Schema, at = ''): { at: string; title?: string }[] =>
  Object.entries(schema.properties ?? {}).flatMap(([name, field]) => [
    { at: `${at}${name}`, title: field.title },
    ...(field.items?.properties ? fields(field.items, `${at}${name}[].`) : []),
  ]);

describe('form output schema', () => {
  it('when the 风险提示函 opinion form is deployed, then its schema requires the analysis and a measure, titled as the form labels them', () => {
    const schema = formOutputSchema(formOf('risk-notice-opinion.form')) as Schema;
    expect(schema.required).toEqual(['analysis', 'measures']);
    expect(schema.properties!.analysis!.title).toBe('风险分析研判');
    expect(schema.properties!.measures).toMatchObject({ title: '具体工作措施', minItems: 1 });
    expect(schema.properties!.measures!.items!.required).toEqual(['content', 'ownerName', 'responsibleDepartmentId', 'deadline']);
    expect(schema.properties!.measures!.items!.properties!.deadline!.title).toBe('完成时限');
  });

  it('when any form of bpmn/ is deployed, then every field of its contract is titled by a field of the form', () => {
    const forms = readdirSync(path.resolve('bpmn')).filter((f) => f.endsWith('.form'));
    expect(forms.length).toBe(22);
    for (const file of forms) {
      const schema = formOutputSchema(formOf(file)) as Schema;
      expect(schema, file).toBeDefined();
      expect(fields(schema).filter((f) => !f.title), file).toEqual([]);
    }
  });

  it('when a form has no contract, then it is deployed byte for byte; with one, the schema sits beside its components', () => {
    const fixture = readFileSync(path.resolve('tests/fixtures/bpmn/web-inbox-answer.form'), 'utf8');
    expect(formForEngine(fixture)).toBe(fixture);
    const deployed = JSON.parse(formForEngine(readFileSync(path.resolve('bpmn/supervision-result.form'), 'utf8'))) as Record<string, unknown>;
    expect(deployed.id).toBe('supervision-result');
    expect(deployed[OUTPUT_SCHEMA_PROPERTY]).toMatchObject({ required: ['resultSummary', 'formalReportConfirmed'], properties: { formalReportConfirmed: { const: true } } });
  });
});
