/**
 * Tasklist custom script (config.js `customScripts`): Tasklist renders Camunda Forms with form-js,
 * whose own texts are English whatever the locale; each form container is put into Chinese by the
 * same table as our inbox (form-zh.js) as soon as Tasklist adds it to the page.
 */
import { localizeFormDom } from './form-zh.js';

/** @type {WeakSet<Element>} */
const localized = new WeakSet();

const localizeNewForms = () => {
  for (const form of document.querySelectorAll('.fjs-container')) {
    if (localized.has(form)) continue;
    localized.add(form);
    localizeFormDom(/** @type {HTMLElement} */ (form));
  }
};

new MutationObserver(localizeNewForms).observe(document.body, { childList: true, subtree: true });
localizeNewForms();

// Tasklist adds a script's default export to its Angular modules; this script adds none.
export default undefined;
