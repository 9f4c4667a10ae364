import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * Synthetic Tanghe case data (DOMAIN.md §1, §3): deterministic for a seed, the 23 townships
 * weighted by population, the case-type and cause mixes the indicator catalogue counts, wage
 * arrears peaking before the Spring Festival, pending cases, appeals, administrative cases
 * against agencies, and three planted risks in the last year generated:
 *
 * - PLANTED_RISKS.privateLending: 民间借贷 in 源潭镇 (town-yuantan) triples in January–June of the
 *   last year, 26 of the extra cases against one defendant (B2: county YoY ≥ +30 % → high, and
 *   ≥ 20 cases against one defendant → critical; 源潭镇 routed as a township).
 * - PLANTED_RISKS.wageArrears: a series of 30 追索劳动报酬纠纷 against one construction employer
 *   in January–March of the last year (B5: ≥ 10 cases against one defendant → critical).
 * - PLANTED_RISKS.juvenileCrime: juvenile defendants 2.5× the year before, January–June of the
 *   last year (C4: YoY rise with n ≥ 5 → high).
 *
 * No row carries personal data: parties are types, defendants are opaque keys like an HMAC.
 */

export interface GeneratedCase {
  case_no: string;
  court: string;
  case_type: string;
  procedure: string;
  type_code: string;
  cause: string;
  admin_sector: string | null;
  filing_date: string;
  closing_date: string | null;
  deadline_date: string | null;
  township: string;
  plaintiff_types: string[];
  defendant_types: string[];
  defendant_agency: string | null;
  party_count: number;
  series_id: string | null;
  claim_amount: number | null;
  closing_method: string | null;
  outcome: string | null;
  gov_lost: boolean | null;
  leader_appeared: boolean | null;
  defendant_age_band: string | null;
  appealed: boolean | null;
  appeal_result: string | null;
  retrial_result: string | null;
  enforced_amount: number | null;
  pre_mediation: string | null;
  related_case_no: string | null;
  petition_count: number;
  defendant_key: string | null;
}

export interface GeneratedData {
  cases: GeneratedCase[];
  population: { township: string; year: number; resident_population: number }[];
  signals: { township: string; month: string; petition_count: number; public_opinion_count: number }[];
}

/** Residents per township (2020 census order of magnitude, about 105.3 万 in all). */
export const townshipPopulation: Readonly<Record<string, number>> = {
  'town-binhe': 118_000, 'town-wenfeng': 96_000, 'town-dongxing': 62_000, 'town-xingtang': 55_000, 'town-yuantan': 72_000,
  'town-zhangdian': 47_000, 'town-guotan': 52_000, 'town-huyang': 44_000, 'town-heilong': 37_000, 'town-dahetun': 41_000,
  'town-longtan': 39_000, 'town-tongzhaipu': 40_000, 'town-cangtai': 35_000, 'town-shangtun': 39_000, 'town-bidian': 49_000,
  'town-shaobaisi': 34_000, 'town-qiyi': 29_000, 'town-mazhenfu': 27_000, 'town-chengjiao': 45_000, 'town-tonghe': 30_000,
  'town-zangang': 34_000, 'town-gucheng': 30_000, 'town-dongwangji': 46_000,
};

export const PLANTED_RISKS = {
  privateLending: { indicatorId: 'B2', township: 'town-yuantan', defendantKey: 'dk-7f3a9c21e0b84d55', extraCases: 60, sameDefendant: 26, months: [1, 6] },
  wageArrears: { indicatorId: 'B5', defendantKey: 'dk-c41d02be93aa7e10', seriesId: 'S-WAGE-01', cases: 30, months: [1, 3] },
  juvenileCrime: { indicatorId: 'C4', factor: 2.5, months: [1, 6] },
} as const;

type Weighted<T> = readonly (readonly [T, number])[];

interface CaseKind {
  caseType: string;
  procedure: string;
  typeCode: string;
  causes: Weighted<string>;
  /** Mean days to close; share left pending at the data cut-off grows with it. */
  meanDays: number;
  limitDays: number;
}

const kinds: Weighted<CaseKind> = [
  [{ caseType: '民事', procedure: '一审', typeCode: '民初', meanDays: 70, limitDays: 180, causes: [
    ['民间借贷纠纷', 14], ['买卖合同纠纷', 9], ['离婚纠纷', 10], ['机动车交通事故责任纠纷', 7], ['金融借款合同纠纷', 8], ['信用卡纠纷', 5], ['小额借款合同纠纷', 3],
    ['追索劳动报酬纠纷', 4], ['劳务合同纠纷', 3], ['提供劳务者受害责任纠纷', 1], ['建设工程施工合同纠纷', 3], ['建设工程分包合同纠纷', 1], ['商品房买卖合同纠纷', 2],
    ['商品房预售合同纠纷', 1], ['房屋买卖合同纠纷', 2], ['租赁合同纠纷', 3], ['与公司有关的纠纷', 1], ['借款合同纠纷', 2], ['相邻关系纠纷', 2], ['土地承包经营权纠纷', 2],
    ['宅基地使用权纠纷', 1], ['侵害集体经济组织成员权益纠纷', 1], ['抚养纠纷', 2], ['赡养纠纷', 1], ['继承纠纷', 2], ['劳动争议', 2], ['确认劳动关系纠纷', 1],
    ['工伤保险待遇纠纷', 1], ['环境污染责任纠纷', 0.3], ['生态破坏责任纠纷', 0.1], ['保险纠纷', 1], ['票据纠纷', 0.5], ['合伙协议纠纷', 0.5],
  ] }, 52],
  [{ caseType: '民事', procedure: '二审', typeCode: '民终', meanDays: 60, limitDays: 90, causes: [['民间借贷纠纷', 3], ['买卖合同纠纷', 2], ['离婚纠纷', 1], ['建设工程施工合同纠纷', 1]] }, 3],
  [{ caseType: '刑事', procedure: '一审', typeCode: '刑初', meanDays: 45, limitDays: 90, causes: [
    ['盗窃罪', 20], ['危险驾驶罪', 18], ['诈骗罪', 10], ['帮助信息网络犯罪活动罪', 8], ['故意伤害罪', 8], ['交通肇事罪', 5], ['掩饰、隐瞒犯罪所得、犯罪所得收益罪', 3],
    ['开设赌场罪', 4], ['寻衅滋事罪', 4], ['非法吸收公众存款罪', 0.4], ['集资诈骗罪', 0.1], ['拒不支付劳动报酬罪', 0.5], ['拒不执行判决、裁定罪', 1],
    ['污染环境罪', 0.5], ['非法采矿罪', 1], ['非法占用农用地罪', 0.8], ['滥伐林木罪', 0.8], ['非法捕捞水产品罪', 0.5], ['抢劫罪', 1],
  ] }, 10],
  [{ caseType: '行政', procedure: '一审', typeCode: '行初', meanDays: 80, limitDays: 180, causes: [['行政处罚', 4], ['行政强制', 3], ['行政许可', 1], ['行政登记', 1], ['行政征收', 2]] }, 2.4],
  [{ caseType: '行政', procedure: '非诉执行审查', typeCode: '行审', meanDays: 25, limitDays: 30, causes: [['非诉执行审查', 1]] }, 0.8],
  [{ caseType: '执行', procedure: '执行实施', typeCode: '执', meanDays: 110, limitDays: 180, causes: [['民间借贷纠纷', 6], ['金融借款合同纠纷', 4], ['买卖合同纠纷', 3], ['离婚纠纷', 1], ['追索劳动报酬纠纷', 1]] }, 24],
  [{ caseType: '其他', procedure: '诉前调解', typeCode: '诉前调', meanDays: 20, limitDays: 30, causes: [['民间借贷纠纷', 2], ['买卖合同纠纷', 2], ['机动车交通事故责任纠纷', 2], ['离婚纠纷', 1]] }, 7.8],
];

const adminSectors: Weighted<string> = [
  ['公安', 3], ['土地(集体土地征收)', 2], ['国有土地上房屋征收', 1], ['因征收产生的强制拆除', 0.7], ['拆违拆临', 0.7], ['劳动和社会保障', 1.5], ['自然资源', 1.2],
  ['林业', 0.4], ['生态环境', 0.6], ['城乡建设', 1.2], ['市场监管', 1.2], ['交通', 0.8], ['乡政府', 1.5], ['其他', 1],
];
const agencies: Weighted<string> = [
  ['唐河县公安局', 3], ['唐河县自然资源局', 2], ['唐河县人力资源和社会保障局', 1.5], ['唐河县住房和城乡建设局', 1.5], ['唐河县市场监督管理局', 1], ['唐河县人民政府', 1.5], ['南阳市生态环境局唐河分局', 0.6],
];
const ageBands: Weighted<string> = [['未满16', 0.6], ['16-17', 1.6], ['18-25', 24], ['26-59', 64], ['60以上', 9.8]];

/** The court's own seat and its 人民法庭 by township (派出法庭). */
const courts = ['唐河县人民法院', '唐河县人民法院源潭人民法庭', '唐河县人民法院湖阳人民法庭', '唐河县人民法院郭滩人民法庭'];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const dayMs = 86_400_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);

export interface GeneratorOptions {
  fromYear: number;
  toYear: number;
  /** Cases in the whole range (before the planted extras). */
  rows: number;
  seed: number;
  /** Cases closing after this day are pending (default: the last day generated). */
  asOf?: string;
  /** Plant the three risks in the last year (default true); false gives a year the measures calmed. */
  plantedRisks?: boolean;
}

export type SideTables = Pick<GeneratedData, 'population' | 'signals'>;

/** Filing date, then 案号: the order every consumer sees the cases in. */
const byFilingThenCaseNo = (a: GeneratedCase, b: GeneratedCase) => a.filing_date.localeCompare(b.filing_date) || a.case_no.localeCompare(b.case_no);

/**
 * One seeded run of the generator, streamed: `cases()` yields the cases in (filing_date, 案号)
 * order holding about one year of them at a time, then `sideTables()` gives the township
 * population and signals.
 *
 * Cases and side tables share one RNG, and the signals are drawn from it after the last case, as
 * they always were (a data set is the same for the same options, whichever way it is read). So
 * the two parts come from one object that owns the RNG and enforces that order — `sideTables()`
 * refuses to run before `cases()` is exhausted — rather than from two functions that would each
 * have to replay every case draw to reach the RNG state the signals start from.
 */
export function createGenerator(o: GeneratorOptions): { cases(): Generator<GeneratedCase, void, undefined>; sideTables(): SideTables } {
  const rng = xoroshiro128plus(o.seed);
  const random = () => uniformFloat64(rng);
  const pick = <T>(items: Weighted<T>): T => {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let x = random() * total;
    for (const [item, w] of items) if ((x -= w) < 0) return item;
    return items.at(-1)![0];
  };
  const chance = (p: number) => random() < p;
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const townships: Weighted<string> = Object.entries(townshipPopulation);
  const asOf = o.asOf ?? `${o.toYear}-12-31`;
  const serials = new Map<string, number>();
  const keyPool = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `dk-${prefix}${pad(i, 4)}${(i * 2654435761) % 100000}`);
  const lenders = keyPool('a', 4000);
  const employers = keyPool('b', 600);
  const developers = keyPool('c', 120);
  const years = o.toYear - o.fromYear + 1;

  const make = (kind: CaseKind, filing: string, patch: Partial<GeneratedCase> = {}): GeneratedCase => {
    const year = Number(filing.slice(0, 4));
    const serialKey = `${year}${kind.typeCode}`;
    const serial = (serials.get(serialKey) ?? 0) + 1;
    serials.set(serialKey, serial);
    const cause = patch.cause ?? pick(kind.causes);
    const days = Math.max(3, Math.round(-Math.log(1 - random()) * kind.meanDays));
    const closing = addDays(filing, days);
    const closed = closing <= asOf;
    const deadline = addDays(filing, kind.limitDays);
    const township = patch.township ?? pick(townships);
    const natural = ['自然人'];
    const c: GeneratedCase = {
      case_no: `（${year}）豫1328${kind.typeCode}${serial}号`,
      court: courts[township === 'town-yuantan' ? 1 : township === 'town-huyang' ? 2 : township === 'town-guotan' ? 3 : 0]!,
      case_type: kind.caseType,
      procedure: kind.procedure,
      type_code: kind.typeCode,
      cause,
      admin_sector: null,
      filing_date: filing,
      closing_date: closed ? closing : null,
      // A few run past the statutory limit (E2): their deadline is earlier than the closing.
      deadline_date: closed && chance(0.03) ? addDays(closing, -int(1, 20)) : deadline > closing ? deadline : addDays(closing, int(0, 30)),
      township,
      plaintiff_types: natural,
      defendant_types: natural,
      defendant_agency: null,
      party_count: 1,
      series_id: null,
      claim_amount: null,
      closing_method: null,
      outcome: null,
      gov_lost: null,
      leader_appeared: null,
      defendant_age_band: null,
      appealed: null,
      appeal_result: null,
      retrial_result: null,
      enforced_amount: null,
      pre_mediation: null,
      related_case_no: null,
      petition_count: chance(0.02) ? int(1, 3) : 0,
      defendant_key: null,
    };
    switch (kind.caseType) {
      case '民事': {
        c.claim_amount = Math.round(Math.exp(9 + random() * 3) * 100) / 100;
        if (/借贷|借款|信用卡/.test(cause)) c.defendant_key = lenders[int(0, lenders.length - 1)]!;
        if (/劳动报酬|劳务/.test(cause)) {
          c.defendant_types = ['企业'];
          c.defendant_key = employers[int(0, employers.length - 1)]!;
        }
        if (/商品房|房屋买卖/.test(cause)) {
          c.defendant_types = ['企业'];
          c.defendant_key = developers[int(0, developers.length - 1)]!;
        }
        if (/买卖合同|租赁|公司|票据|保险|合伙|建设工程/.test(cause)) c.plaintiff_types = chance(0.5) ? ['企业'] : natural;
        if (kind.procedure === '一审') c.pre_mediation = chance(0.3) ? (chance(0.62) ? '成功' : '失败') : '未经';
        if (closed) {
          c.closing_method = pick([['判决', 45], ['调解', 30], ['撤诉', 20], ['裁定', 5]]);
          c.outcome = c.closing_method === '判决' ? pick([['全部支持', 5], ['部分支持', 4], ['驳回诉讼请求', 1]]) : null;
          if (kind.procedure === '一审') c.appealed = c.closing_method === '判决' && chance(0.12);
          if (kind.procedure === '二审') c.appeal_result = pick([['维持', 88], ['改判', 5], ['发回重审', 2], ['撤回上诉', 5]]);
        }
        break;
      }
      case '刑事':
        c.plaintiff_types = ['检察机关'];
        c.defendant_age_band = pick(ageBands);
        if (closed) {
          c.closing_method = '判决';
          c.outcome = pick([['判处刑罚', 97], ['免予刑事处罚', 3]]);
          c.appealed = chance(0.08);
        }
        break;
      case '行政': {
        c.admin_sector = kind.procedure === '非诉执行审查' ? null : pick(adminSectors);
        const againstTownship = c.admin_sector === '乡政府';
        c.defendant_types = againstTownship ? ['乡镇政府(街道)'] : ['行政机关'];
        c.defendant_agency = againstTownship ? null : pick(agencies);
        if (kind.procedure === '非诉执行审查') {
          c.plaintiff_types = ['行政机关'];
          c.defendant_types = chance(0.5) ? ['企业'] : natural;
          if (closed) c.outcome = chance(0.06) ? '不准予执行' : '准予执行';
        } else {
          c.leader_appeared = chance(0.85);
          // Some 征收 suits have several plaintiffs, fewer than the 10 that make A3 critical by themselves (DOMAIN.md).
          c.party_count = c.admin_sector?.includes('征收') && chance(0.1) ? int(2, 9) : 1;
          if (closed) {
            c.closing_method = pick([['判决', 50], ['撤诉', 35], ['裁定', 15]]);
            c.outcome = c.closing_method === '判决' ? pick([['驳回诉讼请求', 78], ['撤销', 9], ['确认违法', 8], ['责令履行', 5]]) : null;
            c.gov_lost = c.outcome !== null && c.outcome !== '驳回诉讼请求';
            c.appealed = c.closing_method === '判决' && chance(0.3);
          }
        }
        break;
      }
      case '执行':
        c.defendant_types = chance(0.3) ? ['企业'] : natural;
        c.claim_amount = Math.round(Math.exp(9.5 + random() * 2.5) * 100) / 100;
        if (closed) {
          c.closing_method = pick([['执行完毕', 45], ['终结本次执行', 40], ['和解', 15]]);
          c.enforced_amount = c.closing_method === '终结本次执行' ? Math.round(c.claim_amount * random() * 0.2 * 100) / 100 : c.claim_amount;
        }
        break;
      default:
        c.pre_mediation = chance(0.6) ? '成功' : '失败';
        if (closed) c.closing_method = c.pre_mediation === '成功' ? '调解' : '其他';
    }
    return { ...c, ...patch, cause, township };
  };

  /** A filing date in `year`; wage cases crowd into the two months before the Spring Festival. */
  const filingDate = (year: number, cause: string): string => {
    const wage = /劳动报酬|劳务合同/.test(cause);
    const month = wage && chance(0.35) ? pick([[1, 1], [12, 1]]) : int(1, 12);
    return `${year}-${pad(month)}-${pad(int(1, 28))}`;
  };
  // No year matches when the risks are not planted.
  const lastYear = o.plantedRisks === false ? Number.NaN : o.toYear;

  const regularCases = (y: number): GeneratedCase[] => {
    const year = o.fromYear + y;
    // A slowly growing caseload: +4 % a year.
    const share = (1.04 ** y) / Array.from({ length: years }, (_, k) => 1.04 ** k).reduce((s, v) => s + v, 0);
    const n = Math.round(o.rows * share);
    const batch: GeneratedCase[] = [];
    for (let i = 0; i < n; i++) {
      const kind = pick(kinds);
      const cause = pick(kind.causes);
      const isJuvenileYear = year === lastYear && kind.caseType === '刑事';
      const c = make(kind, filingDate(year, cause), { cause });
      // Planted: juvenile defendants 2.5× in the first half of the last year.
      if (isJuvenileYear && Number(c.filing_date.slice(5, 7)) <= 6 && chance(0.022 * (PLANTED_RISKS.juvenileCrime.factor - 1))) {
        c.defendant_age_band = chance(0.3) ? '未满16' : '16-17';
      }
      batch.push(c);
    }
    return batch;
  };

  const plantedCases = (): GeneratedCase[] => {
    const batch: GeneratedCase[] = [];
    if (o.plantedRisks === false) return batch;
    // Planted: the private-lending surge in 源潭镇, most of it against one lender.
    const lending = PLANTED_RISKS.privateLending;
    const civil = kinds[0]![0];
    for (let i = 0; i < lending.extraCases; i++) {
      const filing = `${lastYear}-${pad(int(lending.months[0], lending.months[1]))}-${pad(int(1, 28))}`;
      batch.push(make(civil, filing, { cause: '民间借贷纠纷', township: lending.township, defendant_key: i < lending.sameDefendant ? lending.defendantKey : lenders[int(0, 99)]! }));
    }
    // Planted: a wage-arrears series of workers against one construction employer.
    const wage = PLANTED_RISKS.wageArrears;
    for (let i = 0; i < wage.cases; i++) {
      const filing = `${lastYear}-${pad(int(wage.months[0], wage.months[1]))}-${pad(int(1, 28))}`;
      batch.push(make(civil, filing, { cause: '追索劳动报酬纠纷', defendant_key: wage.defendantKey, series_id: wage.seriesId, defendant_types: ['企业'], party_count: 1 }));
    }
    return batch;
  };

  let state: 'new' | 'streaming' | 'done' = 'new';
  let side: SideTables | undefined;

  // Year by year: a filing date never leaves its year, so sorting each year's cases on its own
  // gives the order of one sort over all of them. The planted extras fall in the last year and
  // are drawn after every regular case, so they join the last year's batch (the sort is stable).
  function* streamCases(): Generator<GeneratedCase, void, undefined> {
    let batch: GeneratedCase[] = [];
    for (let y = 0; y < years; y++) {
      yield* batch.sort(byFilingThenCaseNo);
      batch = regularCases(y);
    }
    batch.push(...plantedCases());
    yield* batch.sort(byFilingThenCaseNo);
    state = 'done';
  }

  return {
    cases() {
      if (state !== 'new') throw new Error('createGenerator: cases() streams once per generator');
      state = 'streaming';
      return streamCases();
    },
    sideTables() {
      if (state !== 'done') throw new Error('createGenerator: sideTables() draws after the last case; exhaust cases() first');
      side ??= {
        population: Object.entries(townshipPopulation).flatMap(([township, base]) =>
          Array.from({ length: years }, (_, y) => ({ township, year: o.fromYear + y, resident_population: Math.round(base * (1 - 0.004 * (o.toYear - o.fromYear - y))) })),
        ),
        signals: Object.keys(townshipPopulation).flatMap((township) =>
          Array.from({ length: years * 12 }, (_, m) => ({
            township,
            month: `${o.fromYear + Math.floor(m / 12)}-${pad((m % 12) + 1)}-01`,
            petition_count: int(0, 6),
            public_opinion_count: int(0, 2),
          })),
        ),
      };
      return side;
    },
  };
}

/** The whole data set in memory, for the small sets of the demo, the dry run, tests and benches. */
export function generateCaseData(o: GeneratorOptions): GeneratedData {
  const generator = createGenerator(o);
  const cases = [...generator.cases()];
  return { cases, ...generator.sideTables() };
}
