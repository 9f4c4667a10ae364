// The table is shared with the engine's Tasklist, which serves that file as it is (see its header).
import { translateValidation } from '../../../src/engine/operaton/src/main/resources/META-INF/resources/webjars/operaton/app/tasklist/scripts/form-zh.js';

export { localizeFormDom } from '../../../src/engine/operaton/src/main/resources/META-INF/resources/webjars/operaton/app/tasklist/scripts/form-zh.js';

/**
 * form-js module: its validation messages in Chinese. form-js builds them in English inside
 * its `validator` service; this module wraps that service and translates each message.
 */
interface Validator {
  validateField?: (...args: unknown[]) => string[];
  validateFieldInstance?: (...args: unknown[]) => string[];
}

function ChineseValidation(validator: Validator): void {
  for (const method of ['validateField', 'validateFieldInstance'] as const) {
    const original = validator[method];
    if (typeof original !== 'function') continue;
    validator[method] = (...args: unknown[]) => original.apply(validator, args).map(translateValidation);
  }
}
ChineseValidation.$inject = ['validator'];

export default {
  __init__: ['chineseValidation'],
  chineseValidation: ['type', ChineseValidation],
};
