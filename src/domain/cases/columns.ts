import { CASE_NUMBER_FORMAT_HINT, parseCaseNumber } from './case-number.ts';
import { townshipPopulation } from './generator.ts';

/**
 * The case-record columns of DOMAIN.md §3 with their Chinese and English headers, types and
 * vocabularies; the townships by name; the columns that must never be imported (第二十条).
 */

export type ColumnType = 'text' | 'enum' | 'date' | 'int' | 'decimal' | 'bool' | 'multi' | 'township' | 'year' | 'month';

export interface Column {
  key: string;
  zh: string;
  type: ColumnType;
  required: boolean;
  values?: readonly string[];
  /** Longest cell accepted, in characters (DEFAULT_MAX_CELL_CHARS when unset; a key column must fit PostgreSQL's index). */
  maxLength?: number;
  /** Smallest integer accepted (`int` columns; 0 when unset). */
  min?: number;
  /** Other headers that name the column (besides `key` and `zh`). */
  aliases?: readonly string[];
  /** What a `text` cell must look like (issue 17 rule 5: no free text stored unchecked). */
  shape?: TextShape;
  /**
   * Free text, stored masked (ID and phone numbers, the names of the file's parties): the one kind
   * of cell no form or list controls, revisited once the whole file has given its names (rows.ts).
   */
  freeText?: true;
}

/** A text column's form: the test, the refusal's reason and the hint after the masked value. */
export interface TextShape {
  test: (value: string) => boolean;
  reason: string;
  hint: string;
}

/**
 * The forms of the text columns that are names or numbers, not prose (DOMAIN.md §3): a person's
 * name typed into one of them is refused by line, never stored. 案由 comes from the catalogue
 * (cause-catalogue.ts); 系列案标识 is opaque, the one column left free text, masked.
 */
const COURT_NAME = /^[\u4e00-\u9fff（）()]{2,48}(?:法院|法庭)$/;
/** How the names of government bodies end (局, 委员会, 人民政府, 办事处 …, also 管委会 and 大队). */
const AGENCY_NAME = /^[\u4e00-\u9fff（）()]{2,98}(?:局|委员会|委|政府|办事处|办公室|办|中心|所|站|队|院|厅|部|署|处|会|室|社|公司)$/;
/** An opaque key: the importer's HMAC (dk-…) or the court's own, letters, digits and - _ : . only. */
const OPAQUE_KEY = /^[0-9A-Za-z][0-9A-Za-z_:.-]{0,199}$/;
/** An enterprise or other organisation a case is against, by how organisations' names end. */
const ORGANISATION_NAME = /^[\u4e00-\u9fff（）()A-Za-z0-9·]{2,198}(?:公司|集团|厂|店|行|社|中心|所|局|委员会|委|政府|办事处|院|校|学|会|站|队|场|馆|部|合作社|银行|医院|学校|酒店|门市|商行|工作室|事务所)$/;
const CASE_NUMBER_LIST = /[、；;，,]/;

export const textShapes = {
  court: { test: (v) => COURT_NAME.test(v), reason: '不是法院或人民法庭的名称', hint: '（应为承办法院的全称，如 唐河县人民法院、唐河县人民法院源潭人民法庭）' },
  agency: { test: (v) => AGENCY_NAME.test(v), reason: '不是行政机关的名称', hint: '（应为被诉行政机关的全称，如 唐河县自然资源局、唐河县人民政府）' },
  defendantKey: {
    test: (v) => OPAQUE_KEY.test(v) || ORGANISATION_NAME.test(v),
    reason: '应为企业或机关的名称，或被告姓名与身份证号的加密标识，不能是自然人姓名',
    hint: '（自然人请提供“被告姓名”“被告身份证号”两列，由系统加密后丢弃原值）',
  },
  relatedCaseNumbers: {
    test: (v) => v.split(CASE_NUMBER_LIST).every((n) => parseCaseNumber(n.trim()) !== undefined),
    reason: '关联案号格式不符',
    hint: `（${CASE_NUMBER_FORMAT_HINT}；多个案号用“、”分隔）`,
  },
} satisfies Record<string, TextShape>;

/**
 * Longest cell of a column without its own maxLength: every vocabulary value and number is far
 * shorter, so a longer cell is a shifted column or a paste, refused as too long (issue 17 rule 7).
 */
export const DEFAULT_MAX_CELL_CHARS = 200;

const partyTypes = ['自然人', '企业', '行政机关', '乡镇政府(街道)', '村(居)委会', '事业单位', '社会组织', '检察机关', '其他'];

export const caseColumns: readonly Column[] = [
  { key: 'case_no', zh: '案号', type: 'text', required: true, maxLength: 100 },
  { key: 'court', zh: '承办法院', type: 'text', required: true, maxLength: 50, shape: textShapes.court },
  { key: 'case_type', zh: '案件类型', type: 'enum', required: true, values: ['刑事', '民事', '行政', '执行', '国家赔偿', '非诉保全审查', '其他'] },
  {
    key: 'procedure',
    zh: '审判程序',
    type: 'enum',
    required: true,
    values: ['一审', '二审', '再审', '执行实施', '执行审查', '非诉执行审查', '特别程序', '诉前调解', '其他'],
  },
  { key: 'type_code', zh: '类型代字', type: 'text', required: false, maxLength: 10 },
  { key: 'cause', zh: '案由', type: 'text', required: true, maxLength: 200 },
  {
    key: 'admin_sector',
    zh: '行政管理领域',
    type: 'enum',
    required: false,
    values: ['公安', '土地(集体土地征收)', '国有土地上房屋征收', '因征收产生的强制拆除', '拆违拆临', '劳动和社会保障', '自然资源', '林业', '生态环境', '城乡建设', '市场监管', '交通', '教育', '卫生健康', '乡政府', '其他'],
  },
  { key: 'filing_date', zh: '立案日期', type: 'date', required: true },
  { key: 'closing_date', zh: '结案日期', type: 'date', required: false },
  { key: 'deadline_date', zh: '审限届满日期', type: 'date', required: false },
  { key: 'township', zh: '乡镇(街道)', type: 'township', required: true },
  { key: 'plaintiff_types', zh: '原告(申请人)类型', type: 'multi', required: true, values: partyTypes },
  { key: 'defendant_types', zh: '被告(被申请人/被执行人)类型', type: 'multi', required: true, values: partyTypes },
  { key: 'defendant_agency', zh: '被诉行政机关', type: 'text', required: false, maxLength: 100, shape: textShapes.agency },
  { key: 'party_count', zh: '当事人人数', type: 'int', required: false },
  { key: 'series_id', zh: '系列案标识', type: 'text', required: false, maxLength: 100, freeText: true },
  { key: 'claim_amount', zh: '诉讼标的额(元)', type: 'decimal', required: false },
  {
    key: 'closing_method',
    zh: '结案方式',
    type: 'enum',
    required: false,
    values: ['判决', '调解', '撤诉', '驳回起诉', '裁定', '移送', '终结', '执行完毕', '终结本次执行', '和解', '不予受理', '其他'],
  },
  {
    key: 'outcome',
    zh: '裁判结果',
    type: 'enum',
    required: false,
    // Civil, administrative, criminal and non-litigation outcomes in one list (DOMAIN.md §3 #19).
    values: [
      '全部支持', '部分支持', '驳回诉讼请求', '撤销', '部分撤销', '确认违法', '确认无效', '责令履行', '变更', '判决赔偿',
      '判处刑罚', '免予刑事处罚', '无罪', '终止审理', '准予执行', '不准予执行',
    ],
  },
  { key: 'gov_lost', zh: '行政机关败诉', type: 'bool', required: false },
  { key: 'leader_appeared', zh: '负责人出庭', type: 'bool', required: false },
  { key: 'defendant_age_band', zh: '被告人年龄段', type: 'enum', required: false, values: ['未满16', '16-17', '18-25', '26-59', '60以上'] },
  { key: 'appealed', zh: '是否上诉', type: 'bool', required: false },
  { key: 'appeal_result', zh: '二审结果', type: 'enum', required: false, values: ['维持', '改判', '发回重审', '撤回上诉', '其他'] },
  { key: 'retrial_result', zh: '再审结果', type: 'enum', required: false, values: ['维持', '改判', '发回重审', '其他'] },
  { key: 'enforced_amount', zh: '执行到位金额(元)', type: 'decimal', required: false },
  { key: 'pre_mediation', zh: '诉前调解', type: 'enum', required: false, values: ['未经', '成功', '失败'] },
  { key: 'related_case_no', zh: '关联案号', type: 'text', required: false, maxLength: 100, shape: textShapes.relatedCaseNumbers },
  { key: 'petition_count', zh: '涉诉信访次数', type: 'int', required: false },
  { key: 'defendant_key', zh: '被告标识', type: 'text', required: false, maxLength: 200, shape: textShapes.defendantKey },
];

/**
 * Columns with a natural person's identity. Never stored: 被告姓名 and 被告身份证号 only feed the
 * keyed HMAC `defendant_key` in memory; the rest are dropped with a warning.
 */
export const identityColumns: Readonly<Record<string, 'defendant_name' | 'defendant_id_number' | 'drop'>> = {
  被告姓名: 'defendant_name',
  被执行人姓名: 'defendant_name',
  defendant_name: 'defendant_name',
  被告身份证号: 'defendant_id_number',
  被执行人身份证号: 'defendant_id_number',
  defendant_id_number: 'defendant_id_number',
  当事人姓名: 'drop',
  原告姓名: 'drop',
  姓名: 'drop',
  身份证号: 'drop',
  身份证号码: 'drop',
  手机: 'drop',
  手机号: 'drop',
  电话: 'drop',
  联系电话: 'drop',
  家庭住址: 'drop',
  住址: 'drop',
  地址: 'drop',
  银行账号: 'drop',
  车牌号: 'drop',
  健康状况: 'drop',
  name: 'drop',
  party_name: 'drop',
  id_number: 'drop',
  phone: 'drop',
  mobile: 'drop',
  address: 'drop',
  bank_account: 'drop',
  plate_number: 'drop',
};

/** The free-text columns of a case row (Column.freeText). */
export const freeTextKeys: readonly string[] = caseColumns.filter((c) => c.freeText).map((c) => c.key);

/** Identity columns that hold people's names: the row's free text is masked of them wherever they appear (rows.ts). */
const nameColumns: ReadonlySet<string> = new Set(['被告姓名', '被执行人姓名', 'defendant_name', '当事人姓名', '原告姓名', '姓名', 'name', 'party_name']);

/** A header as the lookups compare it: without a BOM and surrounding spaces. */
const bareHeader = (header: string) => header.replace(/^\uFEFF/, '').trim();

/** The column a header names among `columns` (Chinese, English or an alias; spaces and a BOM ignored), or undefined. */
export function headerLookup(columns: readonly Column[]): (header: string) => Column | undefined {
  const index = new Map<string, Column>(columns.flatMap((c) => [c.key, c.zh, ...(c.aliases ?? [])].map((name) => [name, c] as const)));
  return (header) => index.get(bareHeader(header));
}

/** The case-record column a header names, or undefined. */
export const columnFor = headerLookup(caseColumns);

export function identityColumnFor(header: string): (typeof identityColumns)[string] | undefined {
  const name = bareHeader(header);
  // Own keys only: a header such as "constructor" or "__proto__" is an unknown column, not an identity column.
  return Object.hasOwn(identityColumns, name) ? identityColumns[name] : undefined;
}

/** Whether a header names an identity column that holds people's names. */
export const holdsNames = (header: string): boolean => nameColumns.has(bareHeader(header));

/** Township names as courts write them → department ids; 县外 and 不详 have their own ids. */
export const townshipIds: ReadonlyMap<string, string> = new Map([
  ...Object.keys(townshipPopulation).map((id) => [id, id] as const),
  ['滨河街道', 'town-binhe'], ['文峰街道', 'town-wenfeng'], ['东兴街道', 'town-dongxing'], ['兴唐街道', 'town-xingtang'], ['源潭镇', 'town-yuantan'],
  ['张店镇', 'town-zhangdian'], ['郭滩镇', 'town-guotan'], ['湖阳镇', 'town-huyang'], ['黑龙镇', 'town-heilong'], ['大河屯镇', 'town-dahetun'],
  ['龙潭镇', 'town-longtan'], ['桐寨铺镇', 'town-tongzhaipu'], ['苍台镇', 'town-cangtai'], ['上屯镇', 'town-shangtun'], ['毕店镇', 'town-bidian'],
  ['少拜寺镇', 'town-shaobaisi'], ['祁仪镇', 'town-qiyi'], ['马振抚镇', 'town-mazhenfu'], ['城郊乡', 'town-chengjiao'], ['桐河乡', 'town-tonghe'],
  ['昝岗乡', 'town-zangang'], ['古城乡', 'town-gucheng'], ['东王集乡', 'town-dongwangji'], ['县外', 'outside'], ['不详', 'unknown'],
  ['outside', 'outside'], ['unknown', 'unknown'],
]);
