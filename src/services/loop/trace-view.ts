import type { DataSource } from 'typeorm';
import { indicatorLabel } from '../../domain/indicators/labels.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { seesCounty, type Actor } from '../actor.ts';
import type { Queryable } from '../audit.ts';
import { indicatorNames, unitNames } from '../display-names.ts';
import { chainOf, type TraceKind, type TraceLink, type TraceNode } from './trace.ts';

/**
 * `GET /api/trace/:kind/:id`: the chain indicator → notice → opinion → measure → item →
 * escalation with a Chinese label and the owning unit of every node. Office, court, leaders and
 * auditors see every chain; a department sees a chain only when one of its own notices or items
 * is on it (else 404, as for any foreign record).
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
      return { label: `${indicatorLabel(indicatorId, names.indicators)} · 评估轮次 ${roundId}`, departmentIds: [] };
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
      const r = await one<{ content: string; responsible_department_id: string }>(`SELECT content, responsible_department_id FROM measure WHERE id::text = $1`);
      return { label: `措施：${r?.content ?? ''}`, departmentIds: r ? [r.responsible_department_id] : [] };
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
      const wide = seesCounty(actor);
      const own = actor.departmentId !== null && nodes.some((n) => n.departmentIds.includes(actor.departmentId!));
      if (links.length === 0 || !(wide || own)) throw new NotFoundError('没有找到该记录的追溯链');
      return { start, nodes, links };
    },
  };
}

export const traceKinds: readonly TraceKind[] = ['indicator', 'notice', 'opinion', 'measure', 'item', 'escalation', 'meeting', 'decision', 'outcome'];
