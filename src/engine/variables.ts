import type { z } from 'zod';
import type { typedValueAnswer } from './rest-answers.ts';

/**
 * Process variables between JavaScript values and Operaton's typed variables.
 *
 * Objects and arrays travel as `Object` variables serialized as JSON with a Java collection type
 * (`java.util.LinkedHashMap`, `java.util.ArrayList`), so the engine's JUEL expressions can read
 * them (`${settings.noticeFeedbackWorkingDays}`, a multi-instance `camunda:collection`) and REST
 * hands them back as plain JSON. Dates the engine writes (`${now()}`) come back as ISO-8601
 * strings with a `+08:00` offset, the form every worker already reads and writes.
 */
/** A variable as the engine's REST API carries it (the shape its answers are checked against). */
export type TypedValue = z.infer<typeof typedValueAnswer>;
export type TypedVariables = Record<string, TypedValue>;

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

export function toTypedValue(value: unknown): TypedValue {
  if (value === null || value === undefined) return { type: 'Null', value: null };
  if (typeof value === 'string') return { type: 'String', value };
  if (typeof value === 'boolean') return { type: 'Boolean', value };
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return { type: value >= INT_MIN && value <= INT_MAX ? 'Integer' : 'Long', value };
    return { type: 'Double', value };
  }
  if (value instanceof Date) return { type: 'String', value: value.toISOString() };
  return {
    type: 'Object',
    value: JSON.stringify(value),
    valueInfo: { objectTypeName: Array.isArray(value) ? 'java.util.ArrayList' : 'java.util.LinkedHashMap', serializationDataFormat: 'application/json' },
  };
}

export function toTypedVariables(variables: Record<string, unknown>): TypedVariables {
  const typed: TypedVariables = {};
  for (const [name, value] of Object.entries(variables)) {
    if (value !== undefined) typed[name] = toTypedValue(value);
  }
  return typed;
}

/** `2025-02-03T09:00:00.000+0800` (the REST API's date format) → `2025-02-03T09:00:00.000+08:00`. */
export function engineDateToIso(text: string): string {
  return text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
}

export function fromTypedValue(typed: TypedValue): unknown {
  switch (typed.type) {
    case 'Date':
      return typeof typed.value === 'string' ? engineDateToIso(typed.value) : typed.value;
    case 'Object':
    case 'Json':
      // Deserialized by the engine when asked (deserializeValues); a serialized value is JSON text.
      return typeof typed.value === 'string' && typed.valueInfo?.serializationDataFormat === 'application/json' ? JSON.parse(typed.value) : typed.value;
    default:
      return typed.value;
  }
}

export function fromTypedVariables(typed: TypedVariables | undefined): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(typed ?? {})) plain[name] = fromTypedValue(value);
  return plain;
}
