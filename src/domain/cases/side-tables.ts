import type { Column } from './columns.ts';

/**
 * The two side tables the indicators divide and add by (DOMAIN.md §3, PRODUCT.md §5): township
 * population per year (rates per 10k residents) and township monthly 信访 and 舆情 counts (C10).
 * Each is imported like the case records — CSV, XLSX or JSON, Chinese or English headers, all or
 * nothing — and keyed by its natural key, so a re-import changes only what changed.
 */

export type SideTableName = 'population' | 'signals';

export interface SideTable {
  name: SideTableName;
  /** The table and its import_file.kind. */
  table: 'township_population' | 'township_signal';
  label: string;
  columns: readonly Column[];
  /** The natural key: one row per key in the table, and at most one per key in a file. */
  key: readonly string[];
}

const township: Column = { key: 'township', zh: '乡镇', aliases: ['乡镇(街道)', '乡镇（街道）'], type: 'township', required: true };

export const sideTables: Readonly<Record<SideTableName, SideTable>> = {
  population: {
    name: 'population',
    table: 'township_population',
    label: '乡镇人口',
    columns: [
      township,
      { key: 'year', zh: '年度', aliases: ['年份'], type: 'year', required: true },
      { key: 'resident_population', zh: '常住人口', type: 'int', required: true, min: 1 },
      { key: 'registered_migrants', zh: '登记流动人口', type: 'int', required: false },
    ],
    key: ['township', 'year'],
  },
  signals: {
    name: 'signals',
    table: 'township_signal',
    label: '乡镇信访舆情',
    columns: [
      township,
      { key: 'month', zh: '月份', type: 'month', required: true },
      { key: 'petition_count', zh: '信访件数', type: 'int', required: true },
      { key: 'public_opinion_count', zh: '舆情条数', type: 'int', required: true },
    ],
    key: ['township', 'month'],
  },
};

export const isSideTableName = (name: string): name is SideTableName => Object.hasOwn(sideTables, name);
