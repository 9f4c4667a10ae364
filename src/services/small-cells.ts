import { isSmallCell, suppressReason } from '../domain/documents/format.ts';
import type { IndicatorDefinition } from '../domain/indicators/definition.ts';
import type { Actor } from './actor.ts';

/**
 * Small-cell suppression at the service layer (DOMAIN.md §5 rule 5, 第二十条): what every reader
 * outside the court gets of a figure computed from court data. The rules themselves are
 * `domain/documents/format.ts`'s (the one implementation documents print with); this module
 * only says who is inside the court and what an indicator value's basis is.
 */

/** The court's own analysts read exact figures; every other role (and the system's outgoing papers) reads them suppressed. */
export function insideCourt(actor: Actor): boolean {
  return actor.roles.includes('court_analyst');
}

/** A stored indicator value: its reason, the rows behind it and last year's value. */
export interface ReasonBasis {
  reason: string;
  n: number;
  previous: number | string | null;
}

/** True when the value of a stored indicator row may not be shown outside the court: fewer than 5 rows behind it. */
export function smallBasis(row: { n: number }): boolean {
  return isSmallCell(row.n);
}

/**
 * The reason as a reader outside the court reads it: counts under 5 as "<5", no rate, multiple or
 * change over fewer than 5 cases (last year's count is known for count indicators only).
 */
export function reasonOutsideCourt(row: ReasonBasis, unit: IndicatorDefinition['unit'] | undefined): string {
  const previous = unit === 'count' && row.previous !== null ? Number(row.previous) : null;
  return suppressReason(row.reason, { n: row.n, previous });
}

/** The reason for this reader: exact for the court, suppressed for everyone else. */
export function reasonFor(actor: Actor, row: ReasonBasis, unit: IndicatorDefinition['unit'] | undefined): string {
  return insideCourt(actor) ? row.reason : reasonOutsideCourt(row, unit);
}

/**
 * A same-period change over court data that may leave the court: none when fewer than 5 cases are
 * behind this period's value or (for counts) last year's, as documents print it (figures.ts).
 */
export function changeOutsideCourt(row: { n: number; previous: number | string | null; yoy: number | null }, unit: IndicatorDefinition['unit'] | undefined): number | null {
  if (smallBasis(row)) return null;
  if (unit === 'count' && row.previous !== null && isSmallCell(Number(row.previous))) return null;
  return row.yoy;
}
