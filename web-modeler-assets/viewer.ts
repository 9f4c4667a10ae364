import 'camunda-bpmn-js/dist/assets/diagram-js.css';
import 'camunda-bpmn-js/dist/assets/bpmn-js.css';
import Viewer from 'camunda-bpmn-js/lib/camunda-platform/Viewer';
import instanceStateModule from './modules/instance-state/index.ts';
import type InstanceState from './modules/instance-state/InstanceState.ts';
import translateModule from './modules/translate-zh/index.ts';

/** The read-only diagram of the process monitor: camunda-bpmn-js's Camunda 7 ("platform") Viewer plus our instance-state module. */
export interface InstanceViewer {
  open(xml: string): Promise<void>;
  state(): InstanceState;
  zoom(step: number | 'fit'): void;
  destroy(): void;
}

export function createInstanceViewer(container: HTMLElement): InstanceViewer {
  const viewer = new Viewer({ container, additionalModules: [instanceStateModule, translateModule] });
  type CanvasLike = { zoom(level?: number | 'fit-viewport', center?: 'auto'): number };
  const canvas = () => viewer.get<CanvasLike>('canvas');
  return {
    async open(xml) {
      await viewer.importXML(xml);
      canvas().zoom('fit-viewport', 'auto');
    },
    state: () => viewer.get<InstanceState>('instanceState'),
    zoom(step) {
      if (step === 'fit') canvas().zoom('fit-viewport', 'auto');
      else canvas().zoom(Math.min(4, Math.max(0.2, canvas().zoom() * step)), 'auto');
    },
    destroy: () => viewer.destroy(),
  };
}
