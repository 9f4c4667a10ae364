import 'camunda-bpmn-js/dist/assets/diagram-js.css';
import 'camunda-bpmn-js/dist/assets/bpmn-js.css';
import Viewer from 'camunda-bpmn-js/lib/camunda-platform/Viewer';
import instanceStateModule from './modules/instance-state/index.ts';
import type InstanceState from './modules/instance-state/InstanceState.ts';
import translateModule from './modules/translate-zh/index.ts';

/** The read-only diagram of the process monitor: camunda-bpmn-js's Camunda 7 ("platform") Viewer plus our instance-state module. */
export interface InstanceViewer {
  /** Opens the diagram fitted to the canvas, but never smaller than legible: then at that zoom, on the first of `focus` (its current steps). */
  open(xml: string, focus?: readonly string[]): Promise<void>;
  state(): InstanceState;
  zoom(step: number | 'fit'): void;
  destroy(): void;
}

/** bpmn-js draws labels at 11–12 px: at 0.8 they are still 9 px and more, the least a label can be read at. */
const MIN_LEGIBLE_ZOOM = 0.8;

export function createInstanceViewer(container: HTMLElement): InstanceViewer {
  const viewer = new Viewer({ container, additionalModules: [instanceStateModule, translateModule] });
  type CanvasLike = { zoom(level?: number | 'fit-viewport', center?: 'auto'): number; scrollToElement(element: unknown): void };
  const canvas = () => viewer.get<CanvasLike>('canvas');
  return {
    async open(xml, focus = []) {
      await viewer.importXML(xml);
      if (canvas().zoom('fit-viewport', 'auto') >= MIN_LEGIBLE_ZOOM) return;
      // A large diagram fitted whole reads at a few pixels a label: zoom to legible and show where the instance is.
      canvas().zoom(MIN_LEGIBLE_ZOOM);
      const registry = viewer.get<{ get(id: string): unknown }>('elementRegistry');
      const element = focus.map((id) => registry.get(id)).find(Boolean);
      if (element) canvas().scrollToElement(element);
    },
    state: () => viewer.get<InstanceState>('instanceState'),
    zoom(step) {
      if (step === 'fit') canvas().zoom('fit-viewport', 'auto');
      else canvas().zoom(Math.min(4, Math.max(0.2, canvas().zoom() * step)), 'auto');
    },
    destroy: () => viewer.destroy(),
  };
}
