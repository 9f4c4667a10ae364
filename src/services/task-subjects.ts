import { indicatorLabels } from '../domain/indicators/labels.ts';
import type { Queryable } from './audit.ts';
import { indicatorNames } from './display-names.ts';

/**
 * What a task is about, from the loop record its process instance carries (issue 21): the office's
 * 23 reviews of 23 notices read as 23 different rows — notice number, unit and indicators — not
 * 23 times "平安办审核工作意见". Only the instances of tasks the caller already sees are looked up.
 */
export interface TaskSubject {
  /** 风险提示函, 督办事项, 评估轮次 or 联席会议. */
  kind: string;
  /** 文号 or 督办编号; the round's or meeting's id where it has none. */
  number: string | null;
  /** The unit the matter is addressed to. */
  unit: string | null;
  title: string | null;
  /** "民间借贷纠纷（B2）", in code order. */
  indicators: string[];
}

interface SubjectRow {
  key: string;
  kind: string;
  number: string | null;
  unit_id: string | null;
  title: string | null;
  indicator_ids: string[];
}

/** Subjects by process instance key; `units` names the units (display-names.ts). */
export async function taskSubjects(q: Queryable, processInstanceKeys: readonly string[], units: ReadonlyMap<string, string>): Promise<Map<string, TaskSubject>> {
  if (processInstanceKeys.length === 0) return new Map();
  const rows = await q.query<SubjectRow[]>(
    `SELECT process_instance_key::text AS key, '风险提示函' AS kind, number, department_id AS unit_id, NULL AS title, indicator_ids
       FROM risk_notice WHERE process_instance_key = ANY($1::bigint[])
     UNION ALL
     SELECT i.process_instance_key::text, '督办事项', i.number, i.lead_department_id, i.title, coalesce(m.indicator_ids, '{}')
       FROM supervision_item i LEFT JOIN measure m ON m.id = i.measure_id WHERE i.process_instance_key = ANY($1::bigint[])
     UNION ALL
     SELECT process_instance_key::text, '评估轮次', id, NULL, NULL, '{}' FROM assessment_round WHERE process_instance_key = ANY($1::bigint[])
     UNION ALL
     SELECT process_instance_key::text, '联席会议', coalesce(number, id), NULL, NULL, '{}' FROM joint_meeting WHERE process_instance_key = ANY($1::bigint[])`,
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
      },
    ]),
  );
}
