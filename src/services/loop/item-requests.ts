import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { toLocalDate } from '../../domain/loop/working-days.ts';
import type { EngineGateway } from '../../engine/client.ts';
import { MESSAGE_NAMES } from '../../engine/contract.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors.ts';
import type { Clock } from '../../shared/time.ts';
import type { Actor } from '../actor.ts';
import { writeAudit } from '../audit.ts';
import { ITEM_HANDLING_STATUSES, majorItemProgress, type MajorItemProgress } from './item-progress.ts';

/**
 * What a lead unit sends to its running item outside a task (第十三条): a progress report at any
 * time, and a request for more time before the deadline, which the office and a leader decide in
 * the item's process. Only the lead unit may; anyone else gets "not found", as for any foreign record.
 */

interface OpenItem {
  business_key: string;
  lead_department_id: string;
  deadline: Date;
  status: string;
}

export function createItemRequests(deps: { db: DataSource; engine: EngineGateway; clock: Clock }) {
  const { db, engine, clock } = deps;

  const ownItemInHandling = async (actor: Actor, itemId: string): Promise<OpenItem> => {
    const [item] = await db.query<OpenItem[]>(`SELECT business_key, lead_department_id, deadline, status FROM supervision_item WHERE id = $1`, [itemId]);
    if (!item || item.lead_department_id !== actor.departmentId) throw new NotFoundError('督办事项不存在');
    if (!ITEM_HANDLING_STATUSES.includes(item.status)) throw new ConflictError('该督办事项当前不在办理阶段');
    return item;
  };

  /** A message to the item's running process; the message id makes a retried request count once. */
  const tellItem = (item: OpenItem, name: string, messageId: string, variables: Record<string, unknown>) =>
    engine.publishMessage({ name, correlationKey: item.business_key, messageId, timeToLiveMs: 0, variables });

  return {
    /** The office's and leaders' view of major items in handling: who has reported progress, and when last. */
    majorProgress: (): Promise<MajorItemProgress[]> => majorItemProgress(db),

    async reportProgress(actor: Actor, itemId: string, input: { content: string }): Promise<{ reportId: string }> {
      const item = await ownItemInHandling(actor, itemId);
      const reportId = randomUUID();
      await tellItem(item, MESSAGE_NAMES.progressReport, reportId, {
        progressReport: { reportId, content: input.content, reportedBy: actor.username, reportedAt: clock.now().toISOString() },
      });
      return { reportId };
    },

    async requestExtension(actor: Actor, itemId: string, input: { reason: string; requestedDeadline: string }): Promise<{ requestId: string }> {
      const item = await ownItemInHandling(actor, itemId);
      if (clock.now() > item.deadline) throw new ConflictError('办理时限已届满，不能再申请延期');
      if (input.requestedDeadline <= toLocalDate(item.deadline)) {
        throw new ValidationError([{ field: 'requestedDeadline', reason: `应晚于现办理时限 ${toLocalDate(item.deadline)}` }]);
      }
      const requestId = randomUUID();
      await tellItem(item, MESSAGE_NAMES.extensionRequest, requestId, {
        extensionRequest: { requestId, reason: input.reason, requestedDeadline: input.requestedDeadline, requestedBy: actor.username },
      });
      await writeAudit(db, actor, {
        action: 'supervision_item.extension_requested',
        entityType: 'supervision_item',
        entityId: itemId,
        departmentId: item.lead_department_id,
        after: { requestId, ...input },
      });
      return { requestId };
    },
  };
}

export type ItemRequests = ReturnType<typeof createItemRequests>;
