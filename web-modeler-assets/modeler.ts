// The stylesheets camunda-bpmn-js's dist/assets/camunda-platform-modeler.css imports, one by one.
import 'camunda-bpmn-js/dist/assets/diagram-js.css';
import 'camunda-bpmn-js/dist/assets/bpmn-js.css';
// The font by file, not bpmn-embedded.css: our CSP does not allow data: fonts.
import 'camunda-bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import 'camunda-bpmn-js/dist/assets/diagram-js-minimap.css';
import 'camunda-bpmn-js/dist/assets/properties-panel.css';
import 'camunda-bpmn-js/dist/assets/color-picker.css';
import 'camunda-bpmn-js/dist/assets/element-templates.css';
import 'camunda-bpmn-js/dist/assets/popup-menu.css';
import Modeler from 'camunda-bpmn-js/lib/camunda-platform/Modeler';
import translateModule, { panelTranslateModule } from './modules/translate-zh/index.ts';

/**
 * The admin edit page's modeler: camunda-bpmn-js's Camunda 7 ("platform") Modeler with its properties
 * panel, in Chinese. Operaton reads the Camunda 7 dialect (camunda: extension attributes).
 */
export interface DiagramModeler {
  open(xml: string): Promise<void>;
  xml(): Promise<string>;
  /** Process id and name of the first process in the diagram. */
  process(): { id: string; name: string } | null;
  focus(elementId: string): boolean;
  mark(markers: { elementId: string; marker: string }[]): void;
  onChange(listener: () => void): void;
  destroy(): void;
}

interface BusinessObject {
  $type: string;
  id: string;
  name?: string;
  rootElements?: BusinessObject[];
}

export function createModeler(canvasHost: HTMLElement, panelHost: HTMLElement): DiagramModeler {
  const modeler = new Modeler({
    container: canvasHost,
    propertiesPanel: { parent: panelHost },
    additionalModules: [translateModule, panelTranslateModule],
  } as ConstructorParameters<typeof Modeler>[0]);
  let marked: { elementId: string; marker: string }[] = [];
  const canvas = () =>
    modeler.get<{
      addMarker(id: string, m: string): void;
      removeMarker(id: string, m: string): void;
      scrollToElement(el: unknown): void;
      zoom(level: 'fit-viewport', center: 'auto'): number;
    }>('canvas');
  const registry = () => modeler.get<{ get(id: string): unknown }>('elementRegistry');

  return {
    async open(xml) {
      marked = [];
      await modeler.importXML(xml);
      canvas().zoom('fit-viewport', 'auto');
    },
    async xml() {
      const { xml } = await modeler.saveXML({ format: true });
      return xml ?? '';
    },
    process() {
      const definitions = modeler.getDefinitions() as BusinessObject | undefined;
      const proc = definitions?.rootElements?.find((r) => r.$type === 'bpmn:Process');
      return proc ? { id: proc.id, name: proc.name ?? proc.id } : null;
    },
    focus(elementId) {
      const element = registry().get(elementId);
      if (!element) return false;
      canvas().scrollToElement(element);
      modeler.get<{ select(el: unknown): void }>('selection').select(element);
      return true;
    },
    mark(markers) {
      for (const m of marked) if (registry().get(m.elementId)) canvas().removeMarker(m.elementId, m.marker);
      marked = markers.filter((m) => registry().get(m.elementId));
      for (const m of marked) canvas().addMarker(m.elementId, m.marker);
    },
    onChange(listener) {
      modeler.on('commandStack.changed', listener);
    },
    destroy: () => modeler.destroy(),
  };
}

/**
 * A new, executable diagram in the Camunda 7 dialect Operaton runs, with one start event. The history
 * time to live is required by the engine (it refuses a process without one); 3650 days as in bpmn/.
 */
export function blankDiagram(id: string, name: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_${id}" targetNamespace="http://risk-loop/bpmn" modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.23.0">
  <bpmn:process id="${id}" name="${name}" isExecutable="true" camunda:historyTimeToLive="3650">
    <bpmn:startEvent id="StartEvent_1" name="开始" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${id}">
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}
