import type { Role, User } from './types.ts';

/**
 * Every screen of the app in one table: its hash path, who may open it, where it sits in the
 * navigation, and the page module (loaded on demand, so the modeler's code never slows the inbox).
 * Screens still to come (会议与通报, 成效评价) are added here as rows when their pages exist.
 */
export type NavGroup = '工作台' | '监控' | '管理' | '审计';

export interface PageContext {
  outlet: HTMLElement;
  params: Record<string, string>;
  query: URLSearchParams;
  user: User;
  departmentName(id: string | null | undefined): string;
  /** The engine's webapps (Tasklist, Cockpit) as the browser reaches them, e.g. http://127.0.0.1:8080/operaton. */
  engineWebapps: string;
  navigate(path: string): void;
  flash(text: string, kind?: 'success' | 'info' | 'warning'): void;
  refreshBadge(): void;
}

/** What a public screen gets when nobody is logged in. */
export type PublicContext = Pick<PageContext, 'outlet' | 'query'>;

export type Cleanup = () => void;

export interface PageModule {
  render(ctx: PageContext): Promise<Cleanup | void>;
}

export interface Screen {
  path: string;
  title: string;
  /** Roles that may open the screen; absent = any logged-in user. The server checks again. */
  roles?: readonly Role[];
  /** Open without a login (its page takes a PublicContext). */
  public?: true;
  nav?: { group: NavGroup; label: string; order: number; badge?: 'tasks' | 'incidents' };
  load(): Promise<PageModule>;
}

const taskRoles: readonly Role[] = ['court_analyst', 'leader', 'peace_office', 'department'];

export const screens: Screen[] = [
  { path: '/', title: '首页', nav: { group: '工作台', label: '首页', order: 1 }, load: () => import('../pages/home.ts') },
  {
    path: '/inbox',
    title: '待办',
    nav: { group: '工作台', label: '待办', order: 2, badge: 'tasks' },
    load: () => import('../pages/inbox.ts'),
  },
  { path: '/tasks/:key', title: '办理待办', load: () => import('../pages/task.ts') },
  { path: '/documents', title: '公文', nav: { group: '工作台', label: '公文', order: 3 }, load: () => import('../pages/documents.ts') },
  { path: '/documents/:id', title: '公文', load: () => import('../pages/documents.ts') },
  {
    path: '/imports',
    title: '数据导入与评估',
    roles: ['court_analyst', 'peace_office', 'admin'],
    nav: { group: '工作台', label: '数据与评估', order: 5 },
    load: () => import('../pages/imports.ts'),
  },
  {
    path: '/urge',
    title: '逾期催办',
    roles: ['peace_office', 'leader'],
    nav: { group: '工作台', label: '逾期催办', order: 4 },
    load: () => import('../pages/urge.ts'),
  },
  {
    path: '/escalations',
    title: '约谈与挂牌',
    roles: ['peace_office', 'leader'],
    nav: { group: '工作台', label: '约谈与挂牌', order: 4.5 },
    load: () => import('../pages/escalations.ts'),
  },
  {
    path: '/topics',
    title: '专题分析',
    roles: ['court_analyst', 'peace_office', 'leader'],
    nav: { group: '工作台', label: '专题分析', order: 5.5 },
    load: () => import('../pages/topics.ts'),
  },
  { path: '/cockpit', title: '驾驶舱', nav: { group: '监控', label: '驾驶舱', order: 9 }, load: () => import('../pages/cockpit.ts') },
  { path: '/ledgers', title: '台账', nav: { group: '监控', label: '台账', order: 11 }, load: () => import('../pages/ledgers.ts') },
  { path: '/ledgers/:kind', title: '台账', load: () => import('../pages/ledgers.ts') },
  { path: '/trace/:kind/:id', title: '闭环溯源', load: () => import('../pages/trace.ts') },
  { path: '/public', title: '年度报告（公开）', public: true, nav: { group: '监控', label: '年度报告', order: 12 }, load: () => import('../pages/public.ts') },
  { path: '/monitor', title: '流程监控', nav: { group: '监控', label: '流程监控', order: 10 }, load: () => import('../pages/monitor.ts') },
  { path: '/monitor/:key', title: '流程实例', load: () => import('../pages/instance.ts') },
  {
    path: '/incidents',
    title: '故障处理',
    roles: ['peace_office', 'admin'],
    nav: { group: '监控', label: '故障处理', order: 10.5, badge: 'incidents' },
    load: () => import('../pages/incidents.ts'),
  },
  {
    path: '/admin/users',
    title: '用户管理',
    roles: ['admin', 'auditor'],
    nav: { group: '管理', label: '用户管理', order: 20 },
    load: () => import('../pages/users.ts'),
  },
  {
    path: '/admin/modeler',
    title: '流程建模',
    roles: ['admin'],
    nav: { group: '管理', label: '流程建模', order: 21 },
    load: () => import('../pages/modeler.ts'),
  },
  {
    path: '/admin/units',
    title: '单位管理',
    roles: ['admin', 'auditor'],
    nav: { group: '管理', label: '单位管理', order: 20.5 },
    load: () => import('../pages/units.ts'),
  },
  {
    path: '/admin/settings',
    title: '运行配置',
    roles: ['admin', 'auditor'],
    nav: { group: '管理', label: '运行配置', order: 23 },
    load: () => import('../pages/settings.ts'),
  },
  {
    path: '/admin/indicators',
    title: '指标管理',
    roles: ['admin', 'court_analyst', 'peace_office', 'leader'],
    nav: { group: '管理', label: '指标管理', order: 19 },
    load: () => import('../pages/indicators.ts'),
  },
  {
    path: '/admin/mail',
    title: '开发邮箱',
    roles: ['admin'],
    nav: { group: '管理', label: '开发邮箱', order: 22 },
    load: () => import('../pages/mail.ts'),
  },
  { path: '/admin/modeler/:processId', title: '流程建模', roles: ['admin'], load: () => import('../pages/modeler.ts') },
  {
    path: '/audit',
    title: '审计日志',
    roles: ['admin', 'auditor'],
    nav: { group: '审计', label: '审计日志', order: 30 },
    load: () => import('../pages/audit.ts'),
  },
];

export const navGroups: NavGroup[] = ['工作台', '监控', '管理', '审计'];

export function mayOpen(screen: Screen, user: User): boolean {
  return !screen.roles || screen.roles.some((r) => user.roles.includes(r));
}

/** Whether the user works tasks (the inbox badge, claim and complete). */
export function worksTasks(user: User): boolean {
  return taskRoles.some((r) => user.roles.includes(r));
}

export function match(path: string): { screen: Screen; params: Record<string, string> } | null {
  const parts = path.split('/').filter(Boolean);
  for (const screen of screens) {
    const pattern = screen.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((p, i) => {
      if (p.startsWith(':')) {
        params[p.slice(1)] = decodeURIComponent(parts[i]!);
        return true;
      }
      return p === parts[i];
    });
    if (ok) return { screen, params };
  }
  return null;
}
