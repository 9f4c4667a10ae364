import type { DataSource } from 'typeorm';
import { levelName, type RiskLevel } from '../../domain/documents/format.ts';
import { indicatorLabel } from '../../domain/indicators/labels.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { seesCounty, type Actor } from '../actor.ts';
import { writeAudit, type Queryable } from '../audit.ts';
import { indicatorNames, unitNames } from '../display-names.ts';
import { chainOf, type TraceKind, type TraceLink, type TraceNode } from './trace.ts';

/**
 * `GET /api/trace/:kind/:id`: the chain indicator → notice → opinion → measure → item →
 * escalation with a Chinese label and the owning unit of every node. Office, court, leaders and
 * auditors see every chain. A department sees its own records, what they came from, and the
 * unowned records (escalations, decisions, outcomes) below them (departmentView): several units
 * notified on one indicator each see the indicator and their own branch, never another's notice,
 * measures or items. A start it cannot see is 404, as for any foreign record.
 */

export interface TraceNodeView extends TraceNode {
  label: string;
  departmentIds: string[];
}

export interface TraceView {
  start: TraceNode;
  nodes: TraceNodeView[];
  links: TraceLink[];
}


/** Names of units (a township as an outcome's region) and indicators, for the labels. */
interface Names {
  units: ReadonlyMap<string, string>;
  indicators: ReadonlyMap<string, string>;
}

async function describe(q: Queryable, node: TraceNode, names: Names): Promise<Omit<TraceNodeView, keyof TraceNode>> {
  const one = async <T>(sql: string): Promise<T | undefined> => (await q.query<T[]>(sql, [node.id]))[0];
  switch (node.kind) {
    case 'indicator': {
      const [roundId, indicatorId] = [node.id.slice(0, node.id.lastIndexOf(':')), node.id.slice(node.id.lastIndexOf(':') + 1)];
      // 第十条(二): a level the joint meeting re-assessed is the round's level; the label says so.
      const [regraded] = await q.query<{ computed_level: RiskLevel; reassessed_level: RiskLevel; meeting_id: string }[]>(
        `SELECT x.computed_level, x.reassessed_level, x.meeting_id FROM level_reassessment x JOIN assessment_round a ON a.indicator_run_id = x.run_id
          WHERE a.id = $1 AND x.indicator_id = $2 AND x.region = 'county'`,
        [roundId, indicatorId],
      );
      const note = regraded ? `（联席会议 ${regraded.meeting_id} 再评估：${levelName(regraded.computed_level)}→${levelName(regraded.reassessed_level)}）` : '';
      return { label: `${indicatorLabel(indicatorId, names.indicators)} · 评估轮次 ${roundId}${note}`, departmentIds: [] };
    }
    case 'notice': {
      const r = await one<{ number: string | null; round_id: string; department_id: string }>(`SELECT number, round_id, department_id FROM risk_notice WHERE id::text = $1`);
      return { label: `风险提示函 ${r?.number ?? r?.round_id ?? ''}`.trim(), departmentIds: r ? [r.department_id] : [] };
    }
    case 'opinion': {
      const r = await one<{ version: number; department_id: string; late: boolean }>(
        `SELECT o.version, n.department_id, o.late FROM work_opinion o JOIN risk_notice n ON n.id = o.notice_id WHERE o.id::text = $1`,
      );
      return { label: `工作意见（第${r?.version ?? '?'}稿${r?.late ? '，逾期' : ''}）`, departmentIds: r ? [r.department_id] : [] };
    }
    case 'measure': {
      // The notice's unit wrote the measure; the responsible unit carries it out: both own it.
      const r = await one<{ content: string; responsible_department_id: string; department_id: string }>(
        `SELECT m.content, m.responsible_department_id, n.department_id FROM measure m JOIN work_opinion o ON o.id = m.opinion_id JOIN risk_notice n ON n.id = o.notice_id WHERE m.id::text = $1`,
      );
      return { label: `措施：${r?.content ?? ''}`, departmentIds: r ? [...new Set([r.department_id, r.responsible_department_id])] : [] };
    }
    case 'item': {
      const r = await one<{ number: string | null; title: string; lead_department_id: string; co_department_ids: string[] }>(
        `SELECT number, title, lead_department_id, co_department_ids FROM supervision_item WHERE id::text = $1`,
      );
      return { label: `督办事项 ${r?.number ?? ''} ${r?.title ?? ''}`.trim(), departmentIds: r ? [r.lead_department_id, ...r.co_department_ids] : [] };
    }
    case 'escalation': {
      const r = await one<{ kind: string; at: Date }>(`SELECT kind, at FROM escalation_event WHERE id::text = $1`);
      return { label: `${escalationLabels[r?.kind ?? ''] ?? '督办升级'}（${r?.at.toISOString().slice(0, 10) ?? ''}）`, departmentIds: [] };
    }
    case 'meeting':
      return { label: `联席会议 ${node.id}`, departmentIds: [] };
    case 'decision':
      return { label: `会议决定 ${node.id}`, departmentIds: [] };
    case 'outcome': {
      const [year, indicatorId = '', region = ''] = node.id.split(':');
      return { label: `${year}年度成效评价：${indicatorLabel(indicatorId, names.indicators)} · ${region === 'county' ? '全县' : (names.units.get(region) ?? region)}`, departmentIds: [] };
    }
  }
}

const escalationLabels: Record<string, string> = {
  reminder: '临近提醒',
  urge: '到期催办',
  yellow_card: '黄牌',
  red_card: '红牌',
  interview: '约谈',
  listing: '挂牌督办',
  delisting: '摘牌',
  extension_granted: '延期批准',
  extension_refused: '延期不予批准',
  returned: '退回重办',
};

export function createTraceService(db: DataSource) {
  return {
    async trace(actor: Actor, start: TraceNode): Promise<TraceView> {
      const links = await chainOf(db, start);
      const keyOf = (n: TraceNode) => `${n.kind}:${n.id}`;
      const unique = new Map<string, TraceNode>([[keyOf(start), start]]);
      for (const l of links) for (const n of [l.from, l.to]) unique.set(keyOf(n), n);
      const names: Names = { units: await unitNames(db), indicators: await indicatorNames(db) };
      const nodes: TraceNodeView[] = [];
      for (const n of unique.values()) nodes.push({ ...n, ...(await describe(db, n, names)) });
      const visible = seesCounty(actor) ? nodes : departmentView(nodes, links, actor.departmentId);
      if (links.length === 0 || !visible.some((n) => keyOf(n) === keyOf(start))) throw new NotFoundError('没有找到该记录的追溯链');
      const shown = new Set(visible.map(keyOf));
      const shownLinks = links.filter((l) => shown.has(keyOf(l.from)) && shown.has(keyOf(l.to)));
      // The chain carries indicator values computed from case data: its reads are audited (第二十条).
      await writeAudit(db, actor, { action: 'trace.read', entityType: 'trace', entityId: `${start.kind}:${start.id}`, departmentId: actor.departmentId, after: { nodes: visible.length } });
      return { start, nodes: visible, links: shownLinks };
    },
  };
}

/**
 * What a department may see of a chain (links run downstream: indicator → notice → … → item →
 * escalation, meeting → decision → item, item → outcome): its own nodes; everything upstream of
 * them (the notice, measure and indicator a co-handled item came from: the item is worked on for
 * them); and from all of those, downstream, only its own or unowned nodes — another unit's record
 * stops the walk, so a shared indicator or meeting never opens another unit's branch.
 */
function departmentView(nodes: TraceNodeView[], links: TraceLink[], departmentId: string | null): TraceNodeView[] {
  if (departmentId === null) return [];
  const keyOf = (n: TraceNode) => `${n.kind}:${n.id}`;
  const byKey = new Map(nodes.map((n) => [keyOf(n), n]));
  const walk = (from: Iterable<string>, step: (at: string) => string[], enter: (n: TraceNodeView) => boolean): Set<string> => {
    const seen = new Set(from);
    const queue = [...seen];
    while (queue.length > 0) {
      for (const next of step(queue.pop()!)) {
        const node = byKey.get(next);
        if (!seen.has(next) && node && enter(node)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return seen;
  };
  const parents = (at: string) => links.filter((l) => keyOf(l.to) === at).map((l) => keyOf(l.from));
  const children = (at: string) => links.filter((l) => keyOf(l.from) === at).map((l) => keyOf(l.to));
  const own = nodes.filter((n) => n.departmentIds.includes(departmentId)).map(keyOf);
  const withAncestors = walk(own, parents, () => true);
  const seen = walk(withAncestors, children, (n) => n.departmentIds.length === 0 || n.departmentIds.includes(departmentId));
  return nodes.filter((n) => seen.has(keyOf(n)));
}

export const traceKinds: readonly TraceKind[] = ['indicator', 'notice', 'opinion', 'measure', 'item', 'escalation', 'meeting', 'decision', 'outcome'];
