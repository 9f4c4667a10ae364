import InstanceState from './InstanceState.ts';

/** bpmn-js feature module: `viewer.get('instanceState').show(state)`. */
export default {
  __depends__: [],
  instanceState: ['type', InstanceState],
};
