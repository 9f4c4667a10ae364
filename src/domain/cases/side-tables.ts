import type { Column } from './columns.ts';
import { CAUSE_KINDS, isCauseName } from './cause-catalogue.ts';

/**
 * The side tables: the two the indicators divide and add by (DOMAIN.md §3, PRODUCT.md §5) —
 * township population per year (rates per 10k residents) and township monthly 信访 and 舆情 counts
 * (C10) — and the 案由 catalogue case rows are checked against (cause-catalogue.ts). Each is
 * imported like the case records — CSV, XLSX or JSON, Chinese or English headers, all or nothing —
 * and keyed by its natural key, so a re-import changes only what changed.
 */

export type SideTableName = 'population' | 'signals' | 'causes';

export interface SideTable {
  name: SideTableName;
  /** The table and its import_file.kind. */
  table: 'township_population' | 'township_signal' | 'cause_catalogue';
  label: string;
  columns: readonly Column[];
  /** The natural key: one row per key in the table, and at most one per key in a file. */
  key: readonly string[];
  /** Why a key may appear once in a file, as the refusal of a repeated row says it. */
  oncePerFile: string;
  /** Whether a changed row's old values are kept for the indicator runs that read them (`<table>_version`). */
  versioned: boolean;
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
    oncePerFile: '同一乡镇同一年度只能有一行',
    versioned: true,
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
    oncePerFile: '同一乡镇同一月份只能有一行',
    versioned: true,
  },
  causes: {
    name: 'causes',
    table: 'cause_catalogue',
    label: '案由目录',
    columns: [
      {
        key: 'cause',
        zh: '案由',
        type: 'text',
        required: true,
        maxLength: 60,
        shape: { test: isCauseName, reason: '不是案由的名称', hint: '（应为规范的案由名称，如 民间借贷纠纷、盗窃罪、行政处罚）' },
      },
      { key: 'kind', zh: '类别', aliases: ['案由类别'], type: 'enum', required: true, values: CAUSE_KINDS },
    ],
    key: ['cause'],
    oncePerFile: '同一案由只能有一行',
    // No run reads the catalogue: it decides which rows get in, and the rows are what runs keep.
    versioned: false,
  },
};

export const isSideTableName = (name: string): name is SideTableName => Object.hasOwn(sideTables, name);
