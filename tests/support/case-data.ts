import type { DataSource } from 'typeorm';
import { generateCaseData } from '../../src/domain/cases/generator.ts';
import { loadGeneratedData } from '../../src/services/cases/generated-data.ts';
import { DEMO_CASE_DATA } from '../../src/services/demo-seed.ts';

/**
 * The one county data set of the tests, the demo's: 2022–2025, planted risks in the first half of 2025.
 * Loaded once per database (content-addressed), shared by every test that needs case data.
 */
export const TEST_DATA = DEMO_CASE_DATA;

export async function ensureCountyData(db: DataSource): Promise<void> {
  await loadGeneratedData(db, generateCaseData(TEST_DATA), `generated:${TEST_DATA.seed}:${TEST_DATA.fromYear}-${TEST_DATA.toYear}`);
}
