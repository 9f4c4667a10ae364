/** Shapes of our API's answers, as the browser sees them (the server's types stay on the server). */
export type Role = 'court_analyst' | 'leader' | 'peace_office' | 'department' | 'admin' | 'auditor';
export type Light = 'green' | 'yellow' | 'red';

export interface User {
  id: string;
  username: string;
  displayName: string;
  departmentId: string | null;
  roles: Role[];
}

export interface Department {
  id: string;
  name: string;
  kind: string;
  email: string;
}

/** What a task is about: the notice, item, round or meeting its process carries. */
export interface TaskSubject {
  kind: string;
  number: string | null;
  unit: string | null;
  title: string | null;
  /** "民间借贷纠纷（B2）", in code order. */
  indicators: string[];
  /** The official document the matter carries, to open beside the form. */
  document: { id: string; label: string } | null;
}

export interface TaskView {
  key: string;
  processInstanceKey: string;
  processId: string;
  processName: string;
  elementId: string;
  name: string;
  /** Units and roles that may work the task, with their Chinese names. */
  candidateGroups: { id: string; name: string }[];
  subject: TaskSubject | null;
  assignee: string | null;
  dueDate: string | null;
  priority: number;
  state: string;
  createdAt: string;
  formId: string | null;
  light: Light | null;
}

export interface TaskDetail extends TaskView {
  form: Record<string, unknown> | null;
  /** The process variables the form names (option lists, facts), in scope at the task. */
  variables?: Record<string, unknown>;
  /** The supervision item, on an open task of it, for its lead unit while it is handled; else null. */
  item?: LeadUnitItem | null;
}

export interface ProgressReport {
  id: string;
  reportedAt: string;
  content: string;
}

/** A lead unit's own item as its task page shows it (第十三条). */
export interface LeadUnitItem {
  id: string;
  number: string | null;
  title: string;
  deadline: string;
  /** YYYY-MM-DD in Beijing time. */
  deadlineDate: string;
  major: boolean;
  extensionOpen: boolean;
  /** Newest first. */
  progressReports: ProgressReport[];
}

/** A major item in handling and its latest progress report (null: none yet). */
export interface MajorItemProgress {
  id: string;
  number: string | null;
  title: string;
  leadUnit: string;
  deadline: string;
  reportCount: number;
  lastReportedAt: string | null;
}

export interface ProcessInfo {
  id: string;
  name: string;
  latestVersion: number | null;
  running: number;
}

export interface InstanceSummary {
  key: string;
  processId: string;
  processName: string;
  version: number;
  state: string;
  startTime: string;
  endTime: string | null;
  parentKey: string | null;
  openTaskCount: number;
  overdueTaskCount: number;
  incidentCount: number;
  light: Light | null;
}

export interface InstanceDetail extends InstanceSummary {
  elements: { elementId: string; elementType: string; active: number; completed: number; terminated: number }[];
  openTasks: {
    key: string;
    elementId: string;
    name: string;
    candidateGroups: { id: string; name: string }[];
    assignee: string | null;
    dueDate: string | null;
    light: Light | null;
    mine: boolean;
  }[];
  incidents: { key: string; elementId: string; errorType: string; message: string | null; createdAt: string }[];
  /** The loop in the county's terms: item stage, late notice, units overdue in a round. */
  business: {
    title: string;
    facts: [string, string][];
    badge: { elementId: string; text: string; tone: 'red' | 'yellow' | 'green' | 'grey' } | null;
    overdueUnits: string[];
  } | null;
}

export interface UserRecord extends User {
  email: string | null;
  disabled: boolean;
  /** A confirmed second factor (authenticator app). */
  secondFactor: boolean;
}

export interface AuditRow {
  id: string;
  at: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  department_id: string | null;
  before: unknown;
  after: unknown;
  sha256: string | null;
}

export interface LintProblem {
  elementId: string | null;
  elementName: string | null;
  rule: string;
  severity: 'error' | 'warning';
  message: string;
  detail: string;
}

export interface ElementChange {
  id: string;
  name: string | null;
  type: string;
  aspects?: string[];
}

export interface ProcessDiff {
  processId: string;
  processName: string;
  baseVersion: number | null;
  baseSource: 'file' | 'modeler' | null;
  added: ElementChange[];
  removed: ElementChange[];
  changed: ElementChange[];
}

export interface Page<T> {
  items: T[];
  total: number;
}

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

export interface Cockpit {
  rounds: { id: string; kind: string; periodStart: string; periodEnd: string; status: string }[];
  round: { id: string; periodStart: string; periodEnd: string } | null;
  indicators: { id: string; name: string; domain: string; unit: string }[];
  regions: { id: string; name: string }[];
  cells: {
    indicatorId: string;
    region: string;
    level: RiskLevel;
    value: number | null;
    suppressed: boolean;
    reason: string;
    /** 第十条(二): the joint meeting that set `level` in place of the computed one. */
    reassessment: { computedLevel: RiskLevel; meetingId: string; analysis: string } | null;
  }[];
  history: { indicatorId: string; points: { roundId: string; periodEnd: string; value: number | null; level: RiskLevel }[] }[];
  counts: { openNotices: number; items: { red: number; yellow: number; green: number } };
  mostOverdue: { departmentId: string; name: string; overdue: number }[];
}

export interface Ledger {
  kind: string;
  title: string;
  columns: { key: string; label: string; document?: true }[];
  items: Record<string, string | number | null>[];
  total: number;
}

export interface TraceNode {
  kind: string;
  id: string;
  label: string;
  departmentIds: string[];
}

export interface Trace {
  start: { kind: string; id: string };
  nodes: TraceNode[];
  links: { from: { kind: string; id: string }; to: { kind: string; id: string } }[];
}

export interface PublicReport {
  year: number;
  publishedAt: string;
  outcomes: { outcome: string; label: string; count: number }[];
  byDomain: { domain: string; counts: Record<string, number> }[];
  text: string | null;
}

export interface DocumentSummary {
  id: string;
  kind: string;
  number: string | null;
  title: string;
  issuedOn: string;
  audience: 'internal' | 'public';
  recipients: string[];
  cc: string[];
  readAt: string | null;
}

export interface DocumentDetail extends DocumentSummary {
  text: string;
  docxSha256: string;
  pdfSha256: string;
  receipts: { departmentId: string | null; reader: string; firstReadAt: string }[] | null;
}

export interface CaughtMail {
  index: number;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  date: string | null;
  messageId: string | null;
  text: string;
  attachments: { filename: string; contentType: string; size: number }[];
}

export interface SavedFilter {
  id: string;
  name: string;
  filter: { processId?: string; light?: Light };
}

export interface TaskComment {
  id: string;
  authorName: string;
  departmentId: string | null;
  body: string;
  createdAt: string;
}

export interface TaskAttachment {
  id: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  uploaderName: string;
  createdAt: string;
}

export interface OverdueTask {
  key: string;
  processId: string;
  elementId: string;
  candidateGroups: { id: string; name: string }[];
  subject: TaskSubject | null;
  dueDate: string;
}

/** An open incident on 故障处理 (GET /api/incidents): a step whose automatic work failed until its retries ran out. */
export interface OpenIncident {
  key: string;
  processInstanceKey: string;
  processId: string;
  processName: string;
  businessKey: string | null;
  subject: TaskSubject | null;
  elementId: string;
  elementName: string;
  type: string;
  typeLabel: string;
  message: string | null;
  createdAt: string;
  retryable: boolean;
}
