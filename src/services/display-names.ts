import type { UnitRef } from '../domain/documents/inputs.ts';
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

/** One unit as documents name it; an id the county does not know keeps the id as its name. */
export async function unitRef(q: Queryable, id: string): Promise<UnitRef> {
  const [row] = await q.query<{ name: string }[]>(`SELECT name FROM department WHERE id = $1`, [id]);
  return { id, name: row?.name ?? id };
}

export async function indicatorNames(q: Queryable): Promise<Map<string, string>> {
  return new Map((await latestDefinitions(q)).map((d) => [d.id, d.name]));
}
