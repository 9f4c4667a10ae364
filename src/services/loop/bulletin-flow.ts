import type { DataSource } from 'typeorm';
import { buildSupervisionBulletin, type BulletinUnitRow } from '../../domain/documents/supervision-bulletin.ts';
import { stageLabels, trafficLight, type Light, type Stage } from '../../domain/loop/escalation.ts';
import { countWorkingDays, toLocalDate, type WorkCalendar } from '../../domain/loop/working-days.ts';
import type { EngineGateway } from '../../engine/client.ts';
import { defaultLoopSettings, MESSAGE_NAMES } from '../../engine/contract.ts';
import { systemActor } from '../actor.ts';
import { writeAudit } from '../audit.ts';
import { loadDocumentFile } from '../document-store.ts';
import { runOnce } from '../effects.ts';
import { issueDocument, loadOrgans } from '../official-documents.ts';
import { enqueueMail } from '../outbox.ts';
import { itemSnapshots, type ItemFacts } from './item-snapshots.ts';

/**
 * 督办事项专报 (第十四条, DOMAIN.md §4.3): totals, the on-time rate, a light per unit, the overdue
 * items with their situation, and proposals — 约谈 for an item at 红牌, 挂牌督办 for one still
 * overdue after its 约谈 — which the leader approves item by item; each approved one reaches its
 * item's process as an `escalation-ordered` message, once.
 */

export interface Proposal {
  itemId: string;
  itemKey: string;
  step: 'interview' | 'listing';
  reason: string;
}

const worst = (a: Light, b: Light): Light => (a === 'red' || b === 'red' ? 'red' : a === 'yellow' || b === 'yellow' ? 'yellow' : 'green');

export function createBulletinFlow(deps: { db: DataSource; engine: EngineGateway; workCalendar: WorkCalendar }) {
  const { db } = deps;
  const calendar = deps.workCalendar;
  const rules = { reminderLeadWorkingDays: defaultLoopSettings.reminderLeadWorkingDays };

  function proposalsFor(items: readonly ItemFacts[], now: string): Proposal[] {
    const t = Date.parse(now);
    return items.flatMap((i): Proposal[] => {
      if (i.closedAt || i.submittedAt || Date.parse(i.deadline) >= t) return [];
      const kinds = new Set(i.history.map((e) => e.kind));
      if (kinds.has('listing')) return [];
      if (kinds.has('interview')) return [{ itemId: i.itemId, itemKey: i.itemKey, step: 'listing', reason: '约谈后仍逾期未办结，建议挂牌督办' }];
      if (kinds.has('red_card')) return [{ itemId: i.itemId, itemKey: i.itemKey, step: 'interview', reason: '红牌通报后仍未办结，建议约谈主要负责人' }];
      return [];
    });
  }

  return {
    async compile(input: { now: string; bulletinId: string; bulletinKind: 'monthly' | 'adhoc'; periodStart?: string; periodEnd?: string; bulletinRevisionNotes?: string | null }, jobKey: string) {
      const { result } = await runOnce(db, { jobType: 'compile-supervision-bulletin', businessKey: `${input.bulletinId}:${jobKey}`, jobKey }, async (tx) => {
        const units = new Map((await tx.query<{ id: string; name: string }[]>(`SELECT id, name FROM department ORDER BY sort_order`)).map((u) => [u.id, u.name]));
        const asOf = input.periodEnd ?? toLocalDate(input.now);
        // A monthly issue covers the items registered by the end of its month; an ad-hoc one, all of them.
        const items = (await itemSnapshots(tx)).filter((i) => !input.periodEnd || toLocalDate(i.registeredAt) <= input.periodEnd);
        const t = Date.parse(input.now);
        const overdue = (i: ItemFacts) => !i.closedAt && Date.parse(i.deadline) < t;
        const onTime = (i: ItemFacts) => !!i.closedAt && Date.parse(i.submittedAt ?? i.closedAt) <= Date.parse(i.deadline);
        const rows = new Map<string, BulletinUnitRow>();
        for (const i of items) {
          const unit = units.get(i.leadDepartmentId) ?? i.leadDepartmentId;
          const row = rows.get(unit) ?? { unit, total: 0, closed: 0, inProgress: 0, overdue: 0, closedOnTime: 0, light: 'green' as Light };
          row.total += 1;
          // Each item counts once: 已办结, 逾期未办结, or 正在办理.
          if (i.closedAt) row.closed += 1;
          else if (overdue(i)) row.overdue += 1;
          else row.inProgress += 1;
          if (onTime(i)) row.closedOnTime += 1;
          row.light = worst(row.light, trafficLight(i, input.now, rules, calendar));
          rows.set(unit, row);
        }
        const totals = {
          registered: items.length,
          closed: items.filter((i) => i.closedAt).length,
          inProgress: items.filter((i) => !i.closedAt && !overdue(i)).length,
          overdue: items.filter(overdue).length,
          closedOnTime: items.filter(onTime).length,
        };
        const proposals = proposalsFor(items, input.now);
        const today = toLocalDate(input.now);
        const organs = await loadOrgans(tx);
        const issued = await issueDocument(tx, systemActor, {
          series: 'bulletin',
          year: Number(today.slice(0, 4)),
          businessKey: `bulletin:${input.bulletinId}`,
          mail: false,
          build: (number) =>
            buildSupervisionBulletin({
              number: number!,
              issuedOn: today,
              organs,
              periodLabel: input.periodStart ? `${Number(input.periodStart.slice(0, 4))}年${Number(input.periodStart.slice(5, 7))}月` : `截至${asOf}`,
              asOf,
              totals,
              units: [...rows.values()],
              problemItems: items.filter(overdue).map((i) => ({
                number: i.itemNumber,
                title: i.title,
                lead: units.get(i.leadDepartmentId) ?? i.leadDepartmentId,
                deadline: toLocalDate(i.deadline),
                daysOverdue: countWorkingDays(calendar, toLocalDate(i.deadline), today),
                situation: `当前处于${stageLabels[i.stage as Stage] ?? '红灯'}阶段，尚未报送办理结果。`,
              })),
              goodPractices: input.bulletinRevisionNotes ? [input.bulletinRevisionNotes] : [],
              proposals: proposals.map((p) => ({
                measure: p.step,
                unit: units.get(items.find((i) => i.itemId === p.itemId)!.leadDepartmentId) ?? '',
                reason: p.reason,
              })),
              ledger: items.map((i) => ({
                number: i.itemNumber,
                title: i.title,
                lead: units.get(i.leadDepartmentId) ?? i.leadDepartmentId,
                coUnits: i.coDepartmentIds.map((id) => units.get(id) ?? id),
                deadline: toLocalDate(i.deadline),
                status: i.closedAt ? '已办结' : '在办',
                light: trafficLight(i, input.now, rules, calendar),
              })),
              recipientIds: ['zfw'],
            }),
        });
        await tx.query(
          `INSERT INTO bulletin (id, number, content, document_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (id) DO UPDATE SET content = EXCLUDED.content, document_id = EXCLUDED.document_id, compiled_at = now()`,
          [input.bulletinId, issued.number, JSON.stringify({ totals, proposals, notes: input.bulletinRevisionNotes ?? null }), issued.documentId],
        );
        return {
          bulletinNumber: issued.number!,
          bulletinDocumentId: issued.documentId,
          escalationProposals: proposals,
          escalationProposalOptions: proposals.map((p) => ({ label: `${items.find((i) => i.itemId === p.itemId)!.title}：${p.reason}`, value: p.itemId })),
        };
      });
      return result;
    },

    /** Sends the final revision to the 政法委 head and the leading group's members. */
    async send(input: { now: string; bulletinId: string }) {
      await db.transaction(async (tx) => {
        const [row] = await tx.query<{ document_id: string; number: string }[]>(`SELECT document_id, number FROM bulletin WHERE id = $1`, [input.bulletinId]);
        const file = await loadDocumentFile(tx, row!.document_id, 'pdf');
        const leaders = await tx.query<{ email: string; leader_email: string | null }[]>(`SELECT email, leader_email FROM department WHERE id IN ('zfw', 'xw', 'xzf') ORDER BY id`);
        await enqueueMail(tx, {
          dedupKey: `bulletin:${input.bulletinId}`,
          to: leaders.map((l) => l.leader_email ?? l.email),
          subject: `【督办事项专报】${row!.number}`,
          body: `督办事项专报（${row!.number}）已编发，请审阅。`,
          attachments: [{ filename: file!.fileName, contentType: file!.contentType, contentBase64: file!.data.toString('base64') }],
        });
        await tx.query(`UPDATE bulletin SET sent_at = coalesce(sent_at, $2) WHERE id = $1`, [input.bulletinId, input.now]);
      });
      const [row] = await db.query<{ sent_at: Date }[]>(`SELECT sent_at FROM bulletin WHERE id = $1`, [input.bulletinId]);
      return { bulletinSentAt: row!.sent_at.toISOString() };
    },

    /** The leader's 批示; the proposals approved item by item become orders. */
    async instruction(input: { bulletinId: string; escalationProposals: Proposal[]; leaderInstruction?: string | null; approvedProposalIds: string[] }) {
      const ordered = input.escalationProposals.filter((p) => input.approvedProposalIds.includes(p.itemId));
      await db.transaction(async (tx) => {
        await tx.query(`UPDATE bulletin SET content = content || jsonb_build_object('instruction', $2::text, 'ordered', $3::jsonb) WHERE id = $1`, [
          input.bulletinId,
          input.leaderInstruction ?? null,
          JSON.stringify(ordered),
        ]);
        await writeAudit(tx, systemActor, { action: 'bulletin.instruction', entityType: 'bulletin', entityId: input.bulletinId, after: { instruction: input.leaderInstruction ?? null, ordered } });
      });
      return { orderedEscalations: ordered };
    },

    /** One approved proposal → its item's process, once (message id per bulletin × item × step). */
    async order(input: { bulletinId: string; orderedEscalation: Proposal }) {
      const o = input.orderedEscalation;
      await deps.engine.publishMessage({
        name: MESSAGE_NAMES.escalationOrdered,
        correlationKey: o.itemKey,
        messageId: `${input.bulletinId}:${o.itemKey}:${o.step}`,
        timeToLiveMs: 24 * 3_600_000,
        variables: { orderedStep: o.step, orderedBy: '县委政法委主要负责同志', orderSource: input.bulletinId },
      });
    },
  };
}

export type BulletinFlow = ReturnType<typeof createBulletinFlow>;
