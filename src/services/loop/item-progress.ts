import { toLocalDate } from '../../domain/loop/working-days.ts';
import type { Actor } from '../actor.ts';
import type { Queryable } from '../audit.ts';

/**
 * 第十三条 on screen: what the lead unit's task page shows of its own item while it is handled
 * (deadline, 重大 or not, its progress reports so far), and the office's list of major items in
 * handling with their latest progress report, so it sees who has not reported. No setting names a
 * reporting period, so "not reported" means no report at all; the date of the last one is shown.
 */

/** Statuses in which the item's handling sub-process runs and hears the lead unit's messages. */
export const ITEM_HANDLING_STATUSES: readonly string[] = ['issued', 'signed', 'in_progress', 'returned'];

export interface ProgressReportView {
  /** The report's message id (the `reportId` the progress route answers). */
  id: string;
  reportedAt: string;
  content: string;
}

/** The item a lead unit's task is about, as its task page shows it. */
export interface LeadUnitItem {
  id: string;
  number: string | null;
  title: string;
  deadline: string;
  /** The deadline's date in Beijing time: a requested deadline must be later than it. */
  deadlineDate: string;
  major: boolean;
  /** Whether an extension may still be asked for (not after the deadline has passed). */
  extensionOpen: boolean;
  /** Newest first. */
  progressReports: ProgressReportView[];
}

export interface MajorItemProgress {
  id: string;
  number: string | null;
  title: string;
  leadUnit: string;
  deadline: string;
  reportCount: number;
  /** Null: the lead unit has not reported yet. */
  lastReportedAt: string | null;
}

/**
 * The item of an open supervision-item task, for its lead unit only (a department user of the
 * item's lead unit among the task's candidates) and only while the item is handled; null for
 * anyone and anything else.
 */
export async function leadUnitItem(
  q: Queryable,
  actor: Actor,
  task: { processInstanceKey: string; candidateGroups: readonly string[]; state: string },
  now: Date,
): Promise<LeadUnitItem | null> {
  const unit = actor.departmentId;
  if (!unit || !actor.roles.includes('department') || task.state !== 'CREATED' || !task.candidateGroups.includes(unit)) return null;
  const [item] = await q.query<{ id: string; number: string | null; title: string; deadline: Date; major: boolean }[]>(
    `SELECT id, number, title, deadline, major FROM supervision_item
     WHERE process_instance_key = $1::bigint AND lead_department_id = $2 AND status = ANY($3::text[])`,
    [task.processInstanceKey, unit, ITEM_HANDLING_STATUSES],
  );
  if (!item) return null;
  const reports = await q.query<{ id: string; reported_at: Date; content: string }[]>(
    `SELECT message_id AS id, reported_at, content FROM progress_report WHERE item_id = $1 ORDER BY reported_at DESC, id DESC`,
    [item.id],
  );
  return {
    id: item.id,
    number: item.number,
    title: item.title,
    deadline: item.deadline.toISOString(),
    deadlineDate: toLocalDate(item.deadline),
    major: item.major,
    extensionOpen: now <= item.deadline,
    progressReports: reports.map((r) => ({ id: r.id, reportedAt: r.reported_at.toISOString(), content: r.content })),
  };
}

/** Major items in handling with their latest progress report: not reported first, then the longest silent. */
export async function majorItemProgress(q: Queryable): Promise<MajorItemProgress[]> {
  const rows = await q.query<{ id: string; number: string | null; title: string; lead_unit: string; deadline: Date; report_count: number; last_reported_at: Date | null }[]>(
    `SELECT i.id, i.number, i.title, d.name AS lead_unit, i.deadline, count(p.id)::int AS report_count, max(p.reported_at) AS last_reported_at
     FROM supervision_item i JOIN department d ON d.id = i.lead_department_id LEFT JOIN progress_report p ON p.item_id = i.id
     WHERE i.major AND i.status = ANY($1::text[])
     GROUP BY i.id, d.name
     ORDER BY max(p.reported_at) ASC NULLS FIRST, i.deadline ASC, i.number`,
    [ITEM_HANDLING_STATUSES],
  );
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    title: r.title,
    leadUnit: r.lead_unit,
    deadline: r.deadline.toISOString(),
    reportCount: r.report_count,
    lastReportedAt: r.last_reported_at?.toISOString() ?? null,
  }));
}
