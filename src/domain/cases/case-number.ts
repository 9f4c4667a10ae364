/**
 * The court's case number (案号) as the Supreme People's Court's rules on case numbers define it:
 * （收案年度）+ 法院代字 (province abbreviation, or 最高法, then the court's digits) + 类型代字 +
 * 案件编号 + 号, e.g. （2025）豫1328民初1234号. Brackets may be full- or half-width, as exports
 * write both.
 */

export interface CaseNumber {
  year: number;
  /** Province abbreviation and court digits, e.g. 豫1328; 最高法 for the Supreme People's Court. */
  court: string;
  typeCode: string;
  serial: string;
}

/**
 * 类型代字 of the case-type standard (人民法院案件类型及其代字标准, 2018 revision) that a county's
 * exports carry. 诉前调 stands beside 民诉前调 because local systems write it without the 民.
 */
export const caseTypeCodes: ReadonlySet<string> = new Set([
  // 管辖
  '刑辖', '民辖', '民辖终', '民辖监', '行辖', '行辖终',
  // 刑事
  '刑初', '刑终', '刑核', '刑更', '刑申', '刑抗', '刑再', '刑监', '刑医', '刑医解', '刑医复', '刑医监', '刑没', '刑他',
  // 民事
  '民初', '民终', '民申', '民抗', '民再', '民监', '民特', '民特监', '民催', '民督', '民督监', '民撤', '民他', '民诉前调', '诉前调',
  // 行政
  '行初', '行终', '行申', '行抗', '行再', '行监', '行审', '行审复', '行赔初', '行赔终', '行赔申', '行赔抗', '行赔再', '行他', '行诉前调',
  // 国家赔偿与司法救助
  '法赔', '委赔', '委赔监', '委赔提', '委赔再', '赔他', '司救刑', '司救民', '司救行', '司救执', '司救访', '司救他',
  // 执行
  '执', '执恢', '执保', '执异', '执复', '执监', '执协', '执他', '执配',
  // 非诉保全审查
  '财保', '行保', '行保复', '证保',
  // 破产与强制清算
  '破申', '破', '破终', '破监', '强清申', '强清', '强清终',
  // 司法制裁
  '司惩', '司惩复',
]);

const PROVINCES = '京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵';
const CASE_NUMBER = new RegExp(`^[（(](\\d{4})[）)]((?:最高法|[${PROVINCES}](?:\\d{2}|\\d{4})?))([\\u4e00-\\u9fff]{1,4})(\\d{1,10})号$`);

/** The parts of a case number, or undefined when it does not have the court's format (an unknown 类型代字 included). */
export function parseCaseNumber(text: string): CaseNumber | undefined {
  const m = CASE_NUMBER.exec(text);
  if (!m || !caseTypeCodes.has(m[3]!)) return undefined;
  return { year: Number(m[1]), court: m[2]!, typeCode: m[3]!, serial: m[4]! };
}

export const CASE_NUMBER_FORMAT_HINT = '应为“（年度）省份简称+法院代码+类型代字+编号+号”，如（2025）豫1328民初1234号';

type RowFacts = { filingDate?: string | undefined; typeCode?: string | undefined };

const filingYearAgrees = (caseNo: CaseNumber, row: RowFacts) => !row.filingDate || Number(row.filingDate.slice(0, 4)) === caseNo.year;
const typeCodeAgrees = (caseNo: CaseNumber, row: RowFacts) => !row.typeCode || row.typeCode === caseNo.typeCode;

/** Whether a case number agrees with its row (the cheap test run on every row; caseNumberDisagreements says why not). */
export const caseNumberAgrees = (caseNo: CaseNumber, row: RowFacts) => filingYearAgrees(caseNo, row) && typeCodeAgrees(caseNo, row);

/**
 * Why a case number disagrees with its row: the year must be the filing year (a case is numbered
 * in the year it is filed), and the 类型代字 column, when given, must be the one in the number.
 */
export function caseNumberDisagreements(
  caseNo: CaseNumber,
  row: RowFacts,
  /** How a message shows a cell of the file (masked: it may hold anything). */
  show: (cell: string) => string,
): { column: '立案日期' | '类型代字'; reason: string }[] {
  const out: { column: '立案日期' | '类型代字'; reason: string }[] = [];
  if (!filingYearAgrees(caseNo, row)) {
    out.push({ column: '立案日期', reason: `立案日期的年度（${row.filingDate!.slice(0, 4)}）与案号年度（${caseNo.year}）不一致` });
  }
  if (!typeCodeAgrees(caseNo, row)) {
    out.push({ column: '类型代字', reason: `类型代字（${show(row.typeCode!)}）与案号中的类型代字（${caseNo.typeCode}）不一致` });
  }
  return out;
}
