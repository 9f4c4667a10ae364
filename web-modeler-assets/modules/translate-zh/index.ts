import { translations } from './translations.ts';

/**
 * bpmn-js `translate` override (the documented i18n hook of bpmn-js and its properties panel):
 * English template → Chinese, then {placeholders} filled as the original does.
 */
export function translate(template: string, replacements: Record<string, string> = {}): string {
  // The properties panel writes "Timer Boundary Event (Non Interrupting)" for non-interrupting events.
  const nonInterrupting = /^(.+) \(Non Interrupting\)$/.exec(template);
  const text = nonInterrupting && translations[nonInterrupting[1]!] ? `${translations[nonInterrupting[1]!]}（非中断）` : (translations[template] ?? template);
  return text.replace(/{([^}]+)}/g, (match, key: string) => replacements[key] ?? match);
}

export default {
  translate: ['value', translate],
};

type Group = Record<string, unknown>;

/**
 * The properties panel's groups translate their own hints ("Toggle section", "Section contains
 * edits", "Create new list item") only when a group is given `translate`, which the Camunda 7
 * providers do not pass; this last provider hands ours to every group. Modeler only (the viewer
 * has no panel).
 */
function PanelGroupsTranslate(this: { getGroups(): (groups: Group[]) => Group[] }, propertiesPanel: { registerProvider(priority: number, provider: unknown): void }) {
  this.getGroups = () => (groups) => groups.map((group) => ({ translate, ...group }));
  propertiesPanel.registerProvider(1, this);
}
PanelGroupsTranslate.$inject = ['propertiesPanel'];

export const panelTranslateModule = {
  __init__: ['panelGroupsTranslate'],
  panelGroupsTranslate: ['type', PanelGroupsTranslate],
};
