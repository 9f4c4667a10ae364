import type { Queryable } from './audit.ts';
import { latestDefinitions } from './indicators/engine.ts';

/**
 * The names a screen shows instead of ids (issue 21): units by their Chinese names, indicators by
 * the name of their latest definition. Labels are made from them in src/domain (groupName,
 * indicatorLabel).
 */

/** A township government by its place name: 源潭镇人民政府 → 源潭镇, 滨河街道办事处 → 滨河街道. */
export const shortUnitName = (name: string) => name.replace(/(人民政府|办事处)$/, '');

export async function unitNames(q: Queryable): Promise<Map<string, string>> {
  return new Map((await q.query<{ id: string; name: string }[]>(`SELECT id, name FROM department`)).map((u) => [u.id, u.name]));
}

export async function indicatorNames(q: Queryable): Promise<Map<string, string>> {
  return new Map((await latestDefinitions(q)).map((d) => [d.id, d.name]));
}
