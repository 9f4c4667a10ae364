import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';

/**
 * Draws where one process instance stands, through markers and overlays (never by editing the
 * XML): the path walked (completed elements, taken flows), active elements, incidents, and the
 * business state of open user tasks — which units hold them, and whether they are overdue.
 */
export type Light = 'green' | 'yellow' | 'red';

export interface InstanceStateInput {
  elements: { elementId: string; active: number; completed: number; terminated: number }[];
  openTasks: { elementId: string; light: Light | null; dueText: string; units: string; assignee: string | null }[];
  incidents: { elementId: string; message: string | null }[];
  /** A business badge (督办阶段, 逾期未反馈, units overdue) on the element it concerns. */
  business?: { elementId: string; text: string; tone: 'red' | 'yellow' | 'green' | 'grey' } | null;
}

const lightOrder: Record<Light, number> = { green: 1, yellow: 2, red: 3 };
const lightNames: Record<Light, string> = { green: '正常', yellow: '临期', red: '逾期' };

interface DiagramElement {
  id: string;
  type: string;
  source?: DiagramElement;
  target?: DiagramElement;
  waypoints?: unknown[];
}

function el(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export default class InstanceState {
  static $inject = ['overlays', 'canvas', 'elementRegistry'];
  private markers: [string, string][] = [];

  constructor(
    private readonly overlays: Overlays,
    private readonly canvas: Canvas,
    private readonly elementRegistry: ElementRegistry,
  ) {}

  clear(): void {
    this.overlays.remove({ type: 'instance-state' });
    for (const [id, marker] of this.markers) this.canvas.removeMarker(id, marker);
    this.markers = [];
  }

  show(input: InstanceStateInput): void {
    this.clear();
    const mark = (id: string, marker: string) => {
      if (!this.elementRegistry.get(id)) return;
      this.canvas.addMarker(id, marker);
      this.markers.push([id, marker]);
    };

    const visited = new Set<string>();
    const done = new Set<string>();
    for (const e of input.elements) {
      if (e.completed > 0) {
        mark(e.elementId, 'rl-completed');
        done.add(e.elementId);
      }
      if (e.terminated > 0 && e.active === 0 && e.completed === 0) mark(e.elementId, 'rl-terminated');
      if (e.active > 0) mark(e.elementId, 'rl-active');
      if (e.active + e.completed + e.terminated > 0) visited.add(e.elementId);
      if (e.active > 1 && this.elementRegistry.get(e.elementId)) {
        this.overlays.add(e.elementId, 'instance-state', { position: { bottom: 8, right: 8 }, html: el('div', 'rl-count', `×${e.active}`) });
      }
    }

    // The engine's history records activities, not flows: a flow counts as taken when its source finished
    // and its target was reached.
    for (const element of this.elementRegistry.getAll() as DiagramElement[]) {
      if (element.type !== 'bpmn:SequenceFlow' || !element.source || !element.target) continue;
      if (done.has(element.source.id) && visited.has(element.target.id)) mark(element.id, 'rl-taken');
    }

    const tasksByElement = new Map<string, InstanceStateInput['openTasks']>();
    for (const t of input.openTasks) tasksByElement.set(t.elementId, [...(tasksByElement.get(t.elementId) ?? []), t]);
    for (const [elementId, tasks] of tasksByElement) {
      if (!this.elementRegistry.get(elementId)) continue;
      const worst = tasks.reduce<Light | null>((w, t) => (t.light && (!w || lightOrder[t.light] > lightOrder[w]) ? t.light : w), null);
      if (worst) mark(elementId, `rl-light-${worst}`);
      const box = el('div', 'rl-tasks');
      box.setAttribute('role', 'note');
      for (const t of tasks.slice(0, 4)) {
        const line = el('div', `rl-task rl-task-${t.light ?? 'none'}`);
        // Red already reads "逾期 N 天"; yellow says why it is lit.
        line.append(el('span', 'rl-dot'), el('span', 'rl-unit', t.units), el('span', 'rl-due', t.light === 'yellow' ? `${lightNames.yellow} · ${t.dueText}` : t.dueText));
        line.title = `${t.units}：${t.dueText}${t.assignee ? '，办理人 ' + t.assignee : '，未认领'}`;
        box.append(line);
      }
      if (tasks.length > 4) box.append(el('div', 'rl-more', `另有 ${tasks.length - 4} 项`));
      this.overlays.add(elementId, 'instance-state', { position: { top: -8 - 22 * Math.min(tasks.length, 5), left: -6 }, html: box });
    }

    const business = input.business;
    if (business && this.elementRegistry.get(business.elementId)) {
      this.overlays.add(business.elementId, 'instance-state', { position: { bottom: -10, left: -6 }, html: el('div', `rl-business rl-business-${business.tone}`, business.text) });
    }

    for (const incident of input.incidents) {
      if (!this.elementRegistry.get(incident.elementId)) continue;
      mark(incident.elementId, 'rl-incident');
      const badge = el('div', 'rl-incident-badge', '异常');
      badge.title = incident.message ?? '流程异常，已通知管理员';
      this.overlays.add(incident.elementId, 'instance-state', { position: { top: -12, right: 12 }, html: badge });
    }
  }
}
