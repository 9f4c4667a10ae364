import type { DataSource } from 'typeorm';
import {
  escalationPrompts,
  ORDER_REASONS,
  STEP_LABELS,
  type EscalationBoard,
  type EscalationPrompt,
  type ItemInHandling,
  type OrderedStep,
  type OrderReason,
  type OrderView,
  type PromptLines,
} from '../../domain/loop/escalation-orders.ts';
import { toLocalDate } from '../../domain/loop/working-days.ts';
import type { EngineGateway } from '../../engine/client.ts';
import { MESSAGE_NAMES } from '../../engine/contract.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import type { Clock } from '../../shared/time.ts';
import type { Actor } from '../actor.ts';
import { writeAudit, type Queryable } from '../audit.ts';
import { unitNames } from '../display-names.ts';
import { ITEM_HANDLING_STATUSES } from './item-progress.ts';

/**
 * 约谈 and 挂牌督办 by a leader's decision (第十五条), beside the ladder's timers: the board the
 * office and leaders look at (prompts the data raise, items an order can go to, what was decided),
 * a leader's order on one item — recorded with its reason and evidence, audited, and sent to the
 * item's process, whose 约谈 and 挂牌 paths do the rest — and a leader's dismissal of a prompt.
 */

/** How far back a township's signals still prompt: the side table is imported monthly, a month late. */
const SIGNAL_MONTHS = 3;

export function createEscalationOrders(deps: { db: DataSource; engine: EngineGateway; clock: Clock; lines: PromptLines }) {
  const { db, engine, clock, lines } = deps;

  const itemsInHandling = async (q: Queryable, itemId?: string): Promise<ItemInHandling[]> => {
    const rows = await q.query<(Omit<ItemInHandling, 'departmentName' | 'openSteps' | 'deadline'> & { deadline: Date; interviewed: boolean; listed: boolean })[]>(
      `SELECT i.id, i.number, i.title, i.lead_department_id AS "departmentId", i.deadline, i.stage,
              EXISTS (SELECT 1 FROM interview v WHERE v.item_id = i.id)
                OR EXISTS (SELECT 1 FROM escalation_order o WHERE o.item_id = i.id AND o.step = 'interview')
                OR EXISTS (SELECT 1 FROM engine_element_instance a WHERE a.process_instance_key = i.process_instance_key
                             AND a.element_id IN ('interviewDeadline', 'arrangeInterview', 'issueInterviewNotice', 'interview', 'recordInterview') AND a.state = 'ACTIVE') AS interviewed,
              EXISTS (SELECT 1 FROM listing l WHERE l.item_id = i.id)
                OR EXISTS (SELECT 1 FROM escalation_order o WHERE o.item_id = i.id AND o.step = 'listing') AS listed
         FROM supervision_item i
        WHERE i.status = ANY($1) AND ($2::uuid IS NULL OR i.id = $2)
        ORDER BY i.deadline, i.number`,
      [ITEM_HANDLING_STATUSES, itemId ?? null],
    );
    const names = await unitNames(q);
    return rows.map(({ interviewed, listed, deadline, ...r }) => ({
      ...r,
      deadline: deadline.toISOString(),
      departmentName: names.get(r.departmentId) ?? r.departmentId,
      openSteps: [...(interviewed ? [] : (['interview'] as const)), ...(listed ? [] : (['listing'] as const))],
    }));
  };

  /** The prompts the data raise now, less those a leader has decided. */
  const openPrompts = async (q: Queryable): Promise<EscalationPrompt[]> => {
    const now = clock.now();
    const today = toLocalDate(now);
    const units = await q.query<{ departmentId: string; redCardsLastYear: number; overdueItems: number }[]>(
      `SELECT d.id AS "departmentId",
              (SELECT count(*) FROM escalation_event e JOIN supervision_item i ON i.id = e.item_id
                WHERE i.lead_department_id = d.id AND e.kind = 'red_card' AND e.at > $1::timestamptz - interval '12 months')::int AS "redCardsLastYear",
              (SELECT count(*) FROM supervision_item i WHERE i.lead_department_id = d.id AND i.status = ANY($2) AND i.deadline < $1)::int AS "overdueItems"
         FROM department d ORDER BY d.id`,
      [now.toISOString(), ITEM_HANDLING_STATUSES],
    );
    const signals = await q.query<{ township: string; month: string; petitions: number; opinions: number }[]>(
      `SELECT DISTINCT ON (s.township) s.township, to_char(s.month, 'YYYY-MM') AS month, s.petition_count AS petitions, s.public_opinion_count AS opinions
         FROM township_signal s JOIN department d ON d.id = s.township AND d.kind = 'township'
        WHERE s.month <= $1::date AND s.month > $1::date - make_interval(months => $2)
        ORDER BY s.township, s.month DESC`,
      [today, SIGNAL_MONTHS],
    );
    const majorItems = await q.query<{ itemId: string; departmentId: string; title: string }[]>(
      `SELECT i.id AS "itemId", i.lead_department_id AS "departmentId", i.title FROM supervision_item i
        WHERE i.major AND i.status = ANY($1) AND i.stage IN ('red_card', 'interview')
          AND NOT EXISTS (SELECT 1 FROM listing l WHERE l.item_id = i.id)
          AND NOT EXISTS (SELECT 1 FROM escalation_order o WHERE o.item_id = i.id AND o.step = 'listing')
        ORDER BY i.deadline`,
      [ITEM_HANDLING_STATUSES],
    );
    const prompts = escalationPrompts({ month: today.slice(0, 7), lines, units, signals, majorItems });
    const decided = new Set(
      (await q.query<{ prompt_key: string }[]>(`SELECT prompt_key FROM escalation_prompt_decision WHERE prompt_key = ANY($1)`, [prompts.map((p) => p.key)])).map((r) => r.prompt_key),
    );
    return prompts.filter((p) => !decided.has(p.key));
  };

  const findPrompt = async (q: Queryable, key: string): Promise<EscalationPrompt> => {
    const prompt = (await openPrompts(q)).find((p) => p.key === key);
    if (!prompt) throw new NotFoundError('该建议不存在或已处理');
    return prompt;
  };

  const decide = (q: Queryable, actor: Actor, prompt: EscalationPrompt, decision: 'accepted' | 'dismissed', note: string | null) =>
    q.query(
      `INSERT INTO escalation_prompt_decision (prompt_key, department_id, step, reason, figures, decision, note, decided_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [prompt.key, prompt.departmentId, prompt.step, prompt.reason, prompt.figures, decision, note, actor.username],
    );

  const checkReason = (step: OrderedStep, reason: OrderReason) => {
    if (ORDER_REASONS[reason].step !== step) {
      throw new ValidationError([{ field: 'reason', reason: `「${ORDER_REASONS[reason].label}」适用于${STEP_LABELS[ORDER_REASONS[reason].step]}，不适用于${STEP_LABELS[step]}` }]);
    }
  };

  return {
    async board(): Promise<EscalationBoard> {
      const names = await unitNames(db);
      const unitName = (id: string) => names.get(id) ?? id;
      const prompts = (await openPrompts(db)).map((p) => ({
        ...p,
        departmentName: unitName(p.departmentId),
        stepLabel: STEP_LABELS[p.step],
        reasonLabel: ORDER_REASONS[p.reason].label,
      }));
      const orders = await db.query<(Omit<OrderView, 'stepLabel' | 'reasonLabel' | 'departmentName' | 'orderedAt'> & { reason: OrderReason; departmentId: string; orderedAt: Date })[]>(
        `SELECT o.id, o.item_id AS "itemId", i.number AS "itemNumber", i.title AS "itemTitle", o.department_id AS "departmentId", o.step, o.reason, o.evidence,
                coalesce(u.display_name, o.ordered_by) AS "orderedBy", o.ordered_at AS "orderedAt", o.prompt_key IS NOT NULL AS "fromPrompt"
           FROM escalation_order o LEFT JOIN supervision_item i ON i.id = o.item_id LEFT JOIN app_user u ON u.username = o.ordered_by
          ORDER BY o.ordered_at DESC`,
      );
      const dismissed = await db.query<{ promptKey: string; departmentId: string; step: OrderedStep; reason: OrderReason; figures: string; note: string | null; decidedBy: string; decidedAt: Date }[]>(
        `SELECT p.prompt_key AS "promptKey", p.department_id AS "departmentId", p.step, p.reason, p.figures, p.note, coalesce(u.display_name, p.decided_by) AS "decidedBy", p.decided_at AS "decidedAt"
           FROM escalation_prompt_decision p LEFT JOIN app_user u ON u.username = p.decided_by
          WHERE p.decision = 'dismissed' ORDER BY p.decided_at DESC`,
      );
      return {
        prompts,
        items: await itemsInHandling(db),
        orders: orders.map(({ reason, departmentId, orderedAt, ...o }) => ({
          ...o,
          departmentName: unitName(departmentId),
          stepLabel: STEP_LABELS[o.step],
          reasonLabel: ORDER_REASONS[reason].label,
          orderedAt: orderedAt.toISOString(),
        })),
        dismissed: dismissed.map(({ departmentId, step, reason, decidedAt, ...d }) => ({
          ...d,
          departmentName: unitName(departmentId),
          stepLabel: STEP_LABELS[step],
          reasonLabel: ORDER_REASONS[reason].label,
          decidedAt: decidedAt.toISOString(),
        })),
      };
    },

    /**
     * A leader orders 约谈 or 挂牌督办 of one item in handling, on its own or by accepting a prompt.
     * The record, the audit row and the prompt's decision commit only once the item's process has
     * received the order, so an order is never on record without the process acting on it.
     */
    async order(actor: Actor, input: { itemId: string; step: OrderedStep; reason: OrderReason; evidence: string; promptKey?: string | undefined }): Promise<{ orderId: string }> {
      checkReason(input.step, input.reason);
      return db.transaction(async (tx) => {
        // One decision at a time per item: two leaders ordering the same step at once get one order and one refusal.
        await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('escalation-order:' || $1, 0))`, [input.itemId]);
        const [item] = await itemsInHandling(tx, input.itemId);
        if (!item) {
          const exists = await tx.query(`SELECT 1 FROM supervision_item WHERE id = $1`, [input.itemId]);
          throw exists.length ? new ConflictError('该督办事项不在办理阶段，不能决定约谈或挂牌督办') : new NotFoundError('督办事项不存在');
        }
        if (!item.openSteps.includes(input.step)) throw new ConflictError(input.step === 'interview' ? '该督办事项已约谈或正在约谈' : '该督办事项已挂牌督办');
        if (input.promptKey) {
          const prompt = await findPrompt(tx, input.promptKey);
          if (prompt.step !== input.step || prompt.departmentId !== item.departmentId || (prompt.itemId && prompt.itemId !== item.id)) {
            const unit = (await unitNames(tx)).get(prompt.departmentId) ?? prompt.departmentId;
            throw new ValidationError([{ field: 'itemId', reason: prompt.itemId ? '该建议针对所列督办事项' : `该建议针对${unit}的${STEP_LABELS[prompt.step]}，请选择该单位的督办事项` }]);
          }
          await decide(tx, actor, prompt, 'accepted', null);
        }
        const [row] = await tx.query<{ id: string }[]>(
          `INSERT INTO escalation_order (item_id, department_id, step, reason, evidence, prompt_key, ordered_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
          [item.id, item.departmentId, input.step, input.reason, input.evidence, input.promptKey ?? null, actor.username],
        );
        const orderId = row!.id;
        await writeAudit(tx, actor, {
          action: 'supervision_item.escalation_ordered',
          entityType: 'supervision_item',
          entityId: item.id,
          departmentId: item.departmentId,
          after: { orderId, step: input.step, reason: input.reason, evidence: input.evidence, promptKey: input.promptKey ?? null },
        });
        const [business] = await tx.query<{ business_key: string }[]>(`SELECT business_key FROM supervision_item WHERE id = $1`, [item.id]);
        const received = await engine.publishMessage({
          name: MESSAGE_NAMES.escalationOrdered,
          correlationKey: business!.business_key,
          messageId: `order:${orderId}`,
          timeToLiveMs: 0,
          variables: {
            orderedStep: input.step,
            orderedBy: actor.displayName,
            orderSource: `order:${orderId}`,
            orderReason: input.reason,
            orderEvidence: input.evidence,
            ...(input.step === 'interview' ? { interviewReason: `${ORDER_REASONS[input.reason].label}：${input.evidence}` } : {}),
          },
        });
        if (!received) throw new ConflictError('该督办事项的流程当前不在办理环节，未能下达，请稍后再试');
        return { orderId };
      });
    },

    /**
     * A leader orders the 约谈 of a unit's principal without an item (a township whose 信访/舆情 crossed
     * its line may have none in handling): recorded, audited and started as a unit-interview of its
     * own, in one transaction with the start; one such 约谈 of a unit runs at a time.
     */
    async orderUnitInterview(actor: Actor, input: { departmentId: string; reason: OrderReason; evidence: string; promptKey?: string | undefined }): Promise<{ orderId: string }> {
      checkReason('interview', input.reason);
      return db.transaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('unit-interview:' || $1, 0))`, [input.departmentId]);
        const [unit] = await tx.query<{ name: string }[]>(`SELECT name FROM department WHERE id = $1 AND active`, [input.departmentId]);
        if (!unit) throw new NotFoundError('单位不存在或未参与');
        const running = await tx.query(
          `SELECT 1 FROM escalation_order o LEFT JOIN interview v ON v.order_id = o.id
            WHERE o.item_id IS NULL AND o.department_id = $1 AND (v.id IS NULL OR NOT v.record ? 'rectificationReport')`,
          [input.departmentId],
        );
        if (running.length) throw new ConflictError(`${unit.name}已有正在进行的约谈，整改报告报送后方可再次约谈`);
        if (input.promptKey) {
          const prompt = await findPrompt(tx, input.promptKey);
          if (prompt.step !== 'interview' || prompt.departmentId !== input.departmentId || prompt.itemId) {
            throw new ValidationError([{ field: 'promptKey', reason: prompt.itemId ? '该建议针对所列督办事项，请在该事项上采纳' : `该建议针对${(await unitNames(tx)).get(prompt.departmentId) ?? prompt.departmentId}的${STEP_LABELS[prompt.step]}` }]);
          }
          await decide(tx, actor, prompt, 'accepted', null);
        }
        const [row] = await tx.query<{ id: string }[]>(
          `INSERT INTO escalation_order (item_id, department_id, step, reason, evidence, prompt_key, ordered_by) VALUES (NULL, $1, 'interview', $2, $3, $4, $5) RETURNING id`,
          [input.departmentId, input.reason, input.evidence, input.promptKey ?? null, actor.username],
        );
        const orderId = row!.id;
        await writeAudit(tx, actor, {
          action: 'escalation_order.ordered',
          entityType: 'escalation_order',
          entityId: orderId,
          departmentId: input.departmentId,
          after: { step: 'interview', reason: input.reason, evidence: input.evidence, promptKey: input.promptKey ?? null },
        });
        const started = await engine.publishMessage({
          name: MESSAGE_NAMES.startUnitInterview,
          correlationKey: `unit-interview:${orderId}`,
          messageId: `unit-interview:${orderId}`,
          timeToLiveMs: 0,
          variables: { orderId, departmentId: input.departmentId, interviewReason: `${ORDER_REASONS[input.reason].label}：${input.evidence}` },
        });
        if (!started) throw new ConflictError('约谈流程未能启动，请稍后再试');
        return { orderId };
      });
    },

    /** A leader dismisses a prompt, with an optional note; it does not come back for the same matter and period. */
    async dismissPrompt(actor: Actor, input: { promptKey: string; note?: string | undefined }): Promise<{ promptKey: string }> {
      await db.transaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('escalation-prompt:' || $1, 0))`, [input.promptKey]);
        const prompt = await findPrompt(tx, input.promptKey);
        await decide(tx, actor, prompt, 'dismissed', input.note ?? null);
        await writeAudit(tx, actor, {
          action: 'escalation_prompt.dismissed',
          entityType: 'escalation_prompt',
          entityId: prompt.key,
          departmentId: prompt.departmentId,
          after: { step: prompt.step, reason: prompt.reason, figures: prompt.figures, note: input.note ?? null },
        });
      });
      return { promptKey: input.promptKey };
    },
  };
}

export type EscalationOrders = ReturnType<typeof createEscalationOrders>;
