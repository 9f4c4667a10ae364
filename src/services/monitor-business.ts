import { dueLight, stageLabels, type Stage } from '../domain/loop/escalation.ts';
import type { Queryable } from './audit.ts';

/**
 * What a loop means in the county's terms, beside its tokens (PRODUCT.md §7, process monitor): an
 * item's 督办阶段 (黄牌, 红牌, 约谈, 挂牌) on its handling, a notice's unit and whether it is late,
 * a round's units that have not answered by their deadline. `elementId` says where the diagram
 * shows the badge; the facts are listed beside it.
 */
export interface BusinessState {
  title: string;
  facts: [string, string][];
  badge: { elementId: string; text: string; tone: 'red' | 'yellow' | 'green' | 'grey' } | null;
  overdueUnits: string[];
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : '—');
const tone = (stage: Stage): 'red' | 'yellow' | 'green' | 'grey' =>
  stage === 'closed' ? 'grey' : ['red', 'red_card', 'interview', 'listed'].includes(stage) ? 'red' : ['yellow', 'yellow_card'].includes(stage) ? 'yellow' : 'green';

export async function businessStateOf(q: Queryable, processId: string, instanceKey: string, now: Date, unitName: (id: string) => string): Promise<BusinessState | null> {
  switch (processId) {
    case 'supervision-item': {
      const [i] = await q.query<{ number: string | null; title: string; lead_department_id: string; co_department_ids: string[]; deadline: Date; stage: Stage; status: string; returned_count: number }[]>(
        `SELECT number, title, lead_department_id, co_department_ids, deadline, stage, status, returned_count FROM supervision_item WHERE process_instance_key = $1`,
        [instanceKey],
      );
      if (!i) return null;
      // The stored stage climbs with escalations; until the first, the deadline lights it.
      const stage: Stage = i.status === 'closed' ? 'closed' : i.stage === 'green' ? dueLight(i.deadline, now)! : i.stage;
      return {
        title: `督办事项 ${i.number ?? ''} ${i.title}`.trim(),
        facts: [
          ['主办单位', unitName(i.lead_department_id)],
          ['协办单位', i.co_department_ids.map(unitName).join('、') || '—'],
          ['办理时限', day(i.deadline)],
          ['督办阶段', stageLabels[stage]],
          ['退回次数', String(i.returned_count)],
        ],
        badge: { elementId: 'handling', text: stageLabels[stage], tone: tone(stage) },
        overdueUnits: stage !== 'closed' && i.deadline < now ? [i.lead_department_id] : [],
      };
    }
    case 'risk-notice': {
      const [n] = await q.query<{ number: string | null; department_id: string; due_date: Date | null; status: string }[]>(
        `SELECT number, department_id, due_date, status FROM risk_notice WHERE process_instance_key = $1`,
        [instanceKey],
      );
      if (!n) return null;
      const late = n.status === 'issued' && n.due_date !== null && n.due_date < now;
      return {
        title: `风险提示函 ${n.number ?? ''}`.trim(),
        facts: [
          ['责任单位', unitName(n.department_id)],
          ['反馈期限', day(n.due_date)],
          ['状态', late ? '逾期未反馈' : ({ issued: '待反馈', answered: '已反馈', returned: '退回修改', accepted: '已采纳', closed: '已办结' }[n.status] ?? n.status)],
        ],
        badge: late ? { elementId: 'submitOpinion', text: '逾期未反馈', tone: 'red' } : null,
        overdueUnits: late ? [n.department_id] : [],
      };
    }
    case 'assessment-round': {
      const [r] = await q.query<{ id: string; status: string }[]>(`SELECT id, status FROM assessment_round WHERE process_instance_key = $1`, [instanceKey]);
      if (!r) return null;
      const notices = await q.query<{ department_id: string; status: string; due_date: Date | null }[]>(`SELECT department_id, status, due_date FROM risk_notice WHERE round_id = $1`, [r.id]);
      const overdue = notices.filter((n) => n.status === 'issued' && n.due_date !== null && n.due_date < now).map((n) => n.department_id);
      return {
        title: `评估轮次 ${r.id}`,
        facts: [
          ['风险提示函', `${notices.length} 份`],
          ['已采纳或办结', `${notices.filter((n) => ['accepted', 'closed'].includes(n.status)).length} 份`],
          ['逾期未反馈', overdue.map(unitName).join('、') || '无'],
        ],
        badge: overdue.length > 0 ? { elementId: 'notices', text: `${overdue.length} 个单位逾期`, tone: 'red' } : null,
        overdueUnits: overdue,
      };
    }
    default:
      return null;
  }
}
