import type { DataSource } from 'typeorm';
import { generateCaseData } from '../../src/domain/cases/generator.ts';
import { loadGeneratedData } from '../../src/services/cases/generated-data.ts';
import { DEMO_CASE_DATA } from '../../src/services/demo-seed.ts';
import type { Services } from '../../src/services/index.ts';

/**
 * The one county data set of the tests, the demo's: 2022–2025, planted risks in the first half of 2025.
 * Loaded once per database (content-addressed), shared by every test that needs case data.
 */
export const TEST_DATA = DEMO_CASE_DATA;

export async function ensureCountyData(db: DataSource): Promise<void> {
  await loadGeneratedData(db, generateCaseData(TEST_DATA), `generated:${TEST_DATA.seed}:${TEST_DATA.fromYear}-${TEST_DATA.toYear}`);
}

/** A 2025 H1 round (id of its own) over the county data, its indicators computed, no process: for screens and services. */
export async function computedRound(services: Services, roundId: string): Promise<void> {
  await ensureCountyData(services.db);
  await services.db.query(`INSERT INTO assessment_round (id, kind, period_start, period_end) VALUES ($1, 'half_year', '2025-01-01', '2025-06-30')`, [roundId]);
  await services.rounds.computeIndicators({ roundId, roundKind: 'half_year', year: 2025, periodStart: '2025-01-01', periodEnd: '2025-06-30' }, '0');
}
