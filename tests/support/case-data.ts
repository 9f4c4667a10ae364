import type { DataSource } from 'typeorm';
import { generateCaseData } from '../../src/domain/cases/generator.ts';
import { loadGeneratedData } from '../../src/services/cases/generated-data.ts';

/**
 * The one county data set of the tests: 2022–2025, planted risks in the first half of 2025.
 * Loaded once per database (content-addressed), shared by every test that needs case data.
 */
export const TEST_DATA = { fromYear: 2022, toYear: 2025, rows: 32_000, seed: 411328 } as const;

export async function ensureCountyData(db: DataSource): Promise<void> {
  await loadGeneratedData(db, generateCaseData(TEST_DATA), `generated:${TEST_DATA.seed}:${TEST_DATA.fromYear}-${TEST_DATA.toYear}`);
}
