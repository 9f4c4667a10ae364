import { z } from 'zod';
import { formContracts, type FormContract } from './contract.ts';

/**
 * The output contract inside the deployed form. The engine checks every completion of a task with a
 * Camunda Form against it (FormOutputCheck.java reads this property), so a form completed in the
 * engine's Tasklist or over bare REST meets the same rules as one our inbox validates with zod.
 * The .form files in bpmn/ stay as the modeler writes them: the schema is added on deployment,
 * derived from the zod contract each time, so the two cannot drift.
 */
export const OUTPUT_SCHEMA_PROPERTY = 'riskLoopOutputSchema';

interface FormComponent {
  type?: string;
  key?: string;
  path?: string;
  label?: string;
  dateLabel?: string;
  components?: FormComponent[];
}

/** A form-js file as far as the schema needs it. */
export interface FormFile {
  id?: string;
  components?: FormComponent[];
}

interface JsonSchema {
  title?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  [keyword: string]: unknown;
}

/** The JSON Schema of a form's output contract, each field titled with its label in the form; none for a form without a contract. */
export function formOutputSchema(form: FormFile): JsonSchema | undefined {
  const contract: FormContract | undefined = form.id && Object.hasOwn(formContracts, form.id) ? formContracts[form.id as keyof typeof formContracts] : undefined;
  if (!contract) return undefined;
  const schema = z.toJSONSchema(contract.output, { io: 'input' }) as JsonSchema;
  titleFields(schema, form.components ?? []);
  return schema;
}

/** A form file's text as it is deployed: with its output schema when the form has a contract, else unchanged. */
export function formForEngine(text: string): string {
  const form = JSON.parse(text) as FormFile;
  const schema = formOutputSchema(form);
  return schema ? JSON.stringify({ ...form, [OUTPUT_SCHEMA_PROPERTY]: schema }, null, 2) : text;
}

/** Labels of the form's fields as the titles of the schema's properties; a dynamic list's fields title its items. */
function titleFields(schema: JsonSchema, components: FormComponent[]): void {
  for (const c of components) {
    const name = c.key ?? c.path;
    const field = name ? schema.properties?.[name] : undefined;
    const label = c.label ?? c.dateLabel;
    if (field && label) field.title = label;
    if (c.components) titleFields(c.type === 'dynamiclist' && field?.items ? field.items : (field ?? schema), c.components);
  }
}
