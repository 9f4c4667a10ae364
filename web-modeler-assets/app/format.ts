import { h } from './dom.ts';
import type { Light, RiskLevel, Role, TaskSubject } from './types.ts';
import { roleNames } from './role-names.ts';

export const lightNames: Record<Light, string> = { green: '正常', yellow: '临期', red: '逾期' };

export const instanceStateNames: Record<string, string> = { ACTIVE: '运行中', COMPLETED: '已完成', TERMINATED: '已终止' };

const dateTime = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
const dateOnly = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit' });

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? dateOnly.format(new Date(iso)) : '—';
}

/** "剩 3 天" / "今天到期" / "逾期 2 天", the way a clerk counts. */
export function dueText(iso: string | null, now = Date.now()): string {
  if (!iso) return '无期限';
  const days = Math.floor((new Date(iso).getTime() - now) / 86_400_000);
  if (new Date(iso).getTime() < now) return `逾期 ${Math.max(1, -days)} 天`;
  if (days === 0) return '今天到期';
  return `剩 ${days} 天`;
}

/** A coloured dot with its meaning as text, so the light does not depend on colour alone. */
export function lightBadge(light: Light | null): HTMLElement {
  if (!light) return h('span', { class: 'light light-none' }, '—');
  return h('span', { class: `light light-${light}` }, h('span', { class: 'dot', 'aria-hidden': 'true' }), lightNames[light]);
}

export function rolesText(roles: readonly Role[]): string {
  return roles.map((r) => roleNames[r] ?? r).join('、');
}

export const riskLevelNames: Record<RiskLevel, string> = { low: '低', medium: '中', high: '高', critical: '极高' };

/** "风险提示函 唐平安函〔2026〕7号 · 唐河县地方金融管理局": what a task is about, in one line. */
export function subjectText(s: TaskSubject): string {
  return [`${s.kind} ${s.number ?? ''}`.trim(), s.unit, s.title].filter(Boolean).join(' · ');
}
