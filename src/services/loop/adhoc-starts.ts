import type { DataSource } from 'typeorm';
import type { EngineGateway } from '../../engine/client.ts';
import { MESSAGE_NAMES, type MessageName } from '../../engine/contract.ts';
import type { Actor } from '../actor.ts';
import { writeAudit } from '../audit.ts';

/** What an ad-hoc start of each kind publishes: the start message, its id and kind variables, the audited record. */
const kinds = {
  meeting: { message: MESSAGE_NAMES.startJointMeeting, idVariable: 'meetingId', kindVariable: 'meetingKind', entityType: 'joint_meeting' },
  bulletin: { message: MESSAGE_NAMES.startSupervisionBulletin, idVariable: 'bulletinId', kindVariable: 'bulletinKind', entityType: 'bulletin' },
} as const satisfies Record<string, { message: MessageName; idVariable: string; kindVariable: string; entityType: string }>;

/**
 * 第九、十四条 by hand: the convener calls an ad-hoc 联席会议 and the office an ad-hoc 督办事项专报
 * at any time, through the same processes (and so the same documents and numbering) as the
 * calendar's. The browser sends a request id made once per form: a repeated click or a resent
 * request names the same meeting or bulletin, whose running instance ignores the second start.
 */
export function createAdhocStarts(deps: { db: DataSource; engine: EngineGateway }) {
  const start = async (kind: keyof typeof kinds, actor: Actor, input: { requestId: string; reason: string }): Promise<string> => {
    const spec = kinds[kind];
    const id = `adhoc-${input.requestId}`;
    await deps.engine.publishMessage({ name: spec.message, correlationKey: id, messageId: id, timeToLiveMs: 0, variables: { [spec.idVariable]: id, [spec.kindVariable]: 'adhoc' } });
    await writeAudit(deps.db, actor, { action: `${spec.entityType}.start`, entityType: spec.entityType, entityId: id, after: { kind: 'adhoc', reason: input.reason } });
    return id;
  };
  return {
    startMeeting: async (actor: Actor, input: { requestId: string; reason: string }) => ({ meetingId: await start('meeting', actor, input) }),
    startBulletin: async (actor: Actor, input: { requestId: string; reason: string }) => ({ bulletinId: await start('bulletin', actor, input) }),
  };
}
