import type { DataSource } from 'typeorm';
import type { ProcessCatalog } from '../engine/catalog.ts';
import type { EngineGateway } from '../engine/client.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../shared/logger.ts';
import type { Clock } from '../shared/time.ts';
import { createCockpitService } from './cockpit.ts';
import { createDeploymentService } from './deployments.ts';
import { createDevMailbox } from './dev-mailbox.ts';
import { createDocumentInbox } from './document-inbox.ts';
import { createImportService } from './imports/index.ts';
import { createInboxService } from './inbox.ts';
import { createIndicatorService } from './indicators/engine.ts';
import { createRunCheck } from './indicators/run-check.ts';
import { createLedgerService } from './ledgers.ts';
import { createWorkCalendar } from '../domain/loop/working-days.ts';
import { createCalendarService } from './loop/calendar.ts';
import { createBulletinFlow } from './loop/bulletin-flow.ts';
import { createEvaluationFlow } from './loop/evaluation-flow.ts';
import { createItemFlow } from './loop/item-flow.ts';
import { createItemRequests } from './loop/item-requests.ts';
import { createEscalationOrders } from './loop/escalation-orders.ts';
import { promptLinesFrom } from './loop/settings.ts';
import { createMeetingFlow } from './loop/meeting-flow.ts';
import { createNoticeFlow } from './loop/notice-flow.ts';
import { createNoticeService } from './loop/notices.ts';
import { createAdhocStarts } from './loop/adhoc-starts.ts';
import { createRoundService } from './loop/rounds.ts';
import { createReminderService } from './loop/reminders.ts';
import { createSupervisionService } from './loop/supervision.ts';
import { createTopicService } from './loop/topics.ts';
import { createInterviews } from './loop/interviews.ts';
import { createTraceService } from './loop/trace-view.ts';
import { createIncidentService } from './incidents.ts';
import { createMonitorService } from './monitor.ts';
import { createTaskCollaboration } from './task-collaboration.ts';
import { createPublicReportService } from './public-report.ts';
import { createUnitService } from './units.ts';
import { createUserService } from './users.ts';
import { createMfaService } from './mfa.ts';
import { createEngineIdentitySync } from './engine-identity.ts';
import { createEngineTaskAudit } from './engine-task-audit.ts';

export interface ServiceDeps {
  db: DataSource;
  engine: EngineGateway;
  catalog: ProcessCatalog;
  clock: Clock;
  config: Config;
  log: Logger;
}

/** The use cases, built once per process from their ports; HTTP routes and workers both call these. */
export function createServices(deps: ServiceDeps) {
  // Every working-day count of the product: the shipped calendar with the county's HOLIDAYS_FILE.
  const workCalendar = createWorkCalendar(deps.config.HOLIDAYS_FILE);
  const indicators = createIndicatorService(deps.db, workCalendar);
  const notices = createNoticeService(deps.db);
  const supervision = createSupervisionService(deps.db);
  const inbox = createInboxService(deps);
  const topics = createTopicService({ ...deps, indicators });
  return {
    ...deps,
    workCalendar,
    users: createUserService(deps.db),
    mfa: createMfaService(deps),
    engineIdentity: createEngineIdentitySync(deps),
    engineTaskAudit: createEngineTaskAudit(deps),
    units: createUnitService(deps),
    inbox,
    collaboration: createTaskCollaboration({ ...deps, inbox }),
    monitor: createMonitorService(deps),
    incidents: createIncidentService(deps),
    deployments: createDeploymentService(deps),
    notices,
    supervision,
    noticeFlow: createNoticeFlow({ ...deps, indicators, notices, supervision, workCalendar }),
    itemFlow: createItemFlow({ ...deps, supervision, workCalendar }),
    interviews: createInterviews({ ...deps, workCalendar }),
    itemRequests: createItemRequests(deps),
    escalationOrders: createEscalationOrders({ ...deps, lines: promptLinesFrom(deps.config) }),
    adhocStarts: createAdhocStarts(deps),
    meetingFlow: createMeetingFlow({ ...deps, indicators, supervision, workCalendar }),
    bulletinFlow: createBulletinFlow({ ...deps, workCalendar }),
    evaluationFlow: createEvaluationFlow({ ...deps, indicators, workCalendar }),
    imports: createImportService({ ...deps, workCalendar }),
    reminders: createReminderService({ ...deps, workCalendar }),
    trace: createTraceService(deps.db),
    cockpit: createCockpitService(deps),
    ledgers: createLedgerService(deps),
    publicReport: createPublicReportService(deps),
    devMailbox: createDevMailbox(deps),
    calendar: createCalendarService({ ...deps, workCalendar }),
    documents: createDocumentInbox(deps.db),
    indicators,
    runCheck: createRunCheck({ db: deps.db, indicators }),
    rounds: createRoundService({ ...deps, indicators, workCalendar, topics }),
    topics,
  };
}

export type Services = ReturnType<typeof createServices>;
