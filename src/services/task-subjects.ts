import { indicatorLabels } from '../domain/indicators/labels.ts';
import type { Queryable } from './audit.ts';
import { indicatorNames } from './display-names.ts';

/**
 * What a task is about, from the loop record its process instance carries (issue 21): the office's
 * 23 reviews of 23 notices read as 23 different rows — notice number, unit and indicators — not
 * 23 times "平安办审核工作意见". Only the instances of tasks the caller already sees are looked up.
 */
export interface TaskSubject {
  /** 风险提示函, 督办事项, 评估轮次, 专题分析, 联席会议, 督办事项专报, 约谈 (of a unit, without an item) or 成效评价. */
  kind: string;
  /** 文号 or 督办编号; the round's or meeting's id where it has none. */
  number: string | null;
  /** The unit the matter is addressed to. */
  unit: string | null;
  title: string | null;
  /** "民间借贷纠纷（B2）", in code order. */
  indicators: string[];
  /** The official document the matter carries (the notice, the report, the 督办通知书, the minutes or agenda), to open beside the form. */
  document: { id: string; label: string } | null;
}

interface SubjectRow {
  key: string;
  kind: string;
  number: string | null;
  unit_id: string | null;
  title: string | null;
  indicator_ids: string[];
  document_id: string | null;
  document_label: string;
}

/** Subjects by process instance key; `units` names the units (display-names.ts). */
export async function taskSubjects(q: Queryable, processInstanceKeys: readonly string[], units: ReadonlyMap<string, string>): Promise<Map<string, TaskSubject>> {
  if (processInstanceKeys.length === 0) return new Map();
  const rows = await q.query<SubjectRow[]>(
    `SELECT process_instance_key::text AS key, '风险提示函' AS kind, number, department_id AS unit_id, NULL AS title, indicator_ids,
            document_id::text, '风险提示函' AS document_label
       FROM risk_notice WHERE process_instance_key = ANY($1::bigint[])
     UNION ALL
     SELECT i.process_instance_key::text, '督办事项', i.number, i.lead_department_id, i.title, coalesce(m.indicator_ids, '{}'), i.notice_document_id::text, '督办事项通知书'
       FROM supervision_item i LEFT JOIN measure m ON m.id = i.measure_id WHERE i.process_instance_key = ANY($1::bigint[])
     UNION ALL
     SELECT process_instance_key::text, CASE WHEN topic IS NULL THEN '评估轮次' ELSE '专题分析' END, id, NULL, topic->>'subject', ARRAY(SELECT jsonb_array_elements_text(topic->'indicatorIds')),
            report_document_id::text, CASE WHEN topic IS NULL THEN '评估报告' ELSE '专题分析报告' END
       FROM assessment_round WHERE process_instance_key = ANY($1::bigint[])
     UNION ALL
     SELECT process_instance_key::text, '联席会议', coalesce(number, CASE WHEN id LIKE 'adhoc-%' THEN '（临时会议）' ELSE id END), NULL, NULL, '{}', coalesce(minutes_document_id, agenda_document_id)::text,
            CASE WHEN minutes_document_id IS NULL THEN '会议议程' ELSE '会议纪要' END
       FROM joint_meeting WHERE process_instance_key = ANY($1::bigint[])
     UNION ALL
     -- A bulletin and an evaluation are found by their instance's business key (bulletin id, year).
     SELECT p.key::text, '督办事项专报', coalesce(b.number, b.id), NULL, NULL, '{}', b.document_id::text, '督办事项专报'
       FROM engine_process_instance p JOIN bulletin b ON b.id = p.business_key
      WHERE p.key = ANY($1::bigint[]) AND p.bpmn_process_id = 'supervision-bulletin'
     UNION ALL
     -- A unit's own 约谈 (a leader's order without an item) by its instance's business key, unit-interview:<orderId>.
     SELECT p.key::text, '约谈', v.number, o.department_id, o.evidence, '{}', v.document_id::text, '约谈记录'
       FROM engine_process_instance p JOIN escalation_order o ON p.business_key = 'unit-interview:' || o.id LEFT JOIN interview v ON v.order_id = o.id
      WHERE p.key = ANY($1::bigint[]) AND p.bpmn_process_id = 'unit-interview'
     UNION ALL
     SELECT p.key::text, '成效评价', e.year || '年度', NULL, NULL, '{}', NULL, ''
       FROM engine_process_instance p JOIN effectiveness_evaluation e ON e.year::text = p.business_key
      WHERE p.key = ANY($1::bigint[]) AND p.bpmn_process_id = 'effectiveness-evaluation'`,
    [[...new Set(processInstanceKeys)]],
  );
  if (rows.length === 0) return new Map();
  const indicators = await indicatorNames(q);
  return new Map(
    rows.map((r) => [
      r.key,
      {
        kind: r.kind,
        number: r.number,
        unit: r.unit_id ? (units.get(r.unit_id) ?? r.unit_id) : null,
        title: r.title,
        indicators: indicatorLabels(r.indicator_ids, indicators),
        document: r.document_id ? { id: r.document_id, label: r.document_label } : null,
      },
    ]),
  );
}
