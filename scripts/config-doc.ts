import { configSchema } from '../src/config/schema.ts';

/** Prints the configuration table for the README from the schema's own descriptions. */
const rows = Object.entries(configSchema.shape).map(([key, schema]) => {
  const def = (schema as { def?: { defaultValue?: unknown } }).def?.defaultValue;
  const shown = def === undefined ? '—' : `\`${String(def)}\``;
  return `| \`${key}\` | ${shown} | ${schema.description ?? ''} |`;
});
console.log(['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n'));
