import { ValidationError } from '../../shared/errors.ts';
import { documentText, type OfficialDocument } from './model.ts';

/**
 * Last line of defence for 第二十条 (DOMAIN.md §5): a document that leaves the court carries
 * aggregates only. Builders call `assertNoPersonalData` on what they produce; it refuses
 * identity-card numbers, mobile numbers, bank-card numbers and case numbers (案号, which point at
 * single cases and their parties). The issuing office's own contact line is exempt.
 */

export interface PersonalDataFinding {
  kind: 'id_number' | 'mobile' | 'bank_card' | 'case_number';
  match: string;
}

const patterns: { kind: PersonalDataFinding['kind']; re: RegExp }[] = [
  { kind: 'id_number', re: /(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])/g },
  { kind: 'mobile', re: /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g },
  { kind: 'bank_card', re: /(?<![0-9])[0-9]{16,19}(?![0-9])/g },
  { kind: 'case_number', re: /[（(][0-9]{4}[）)][\u4e00-\u9fff][0-9]{2,4}[\u4e00-\u9fff]{1,4}[0-9]+号/g },
];

const reasons: Record<PersonalDataFinding['kind'], string> = {
  id_number: '含身份证号码',
  mobile: '含手机号码',
  bank_card: '含银行卡号',
  case_number: '含具体案号',
};

export function findPersonalData(text: string): PersonalDataFinding[] {
  const found: PersonalDataFinding[] = [];
  for (const { kind, re } of patterns) {
    for (const m of text.matchAll(re)) {
      // An 18-digit identity number also matches the bank-card pattern: report it once.
      if (kind === 'bank_card' && found.some((f) => f.kind === 'id_number' && f.match === m[0])) continue;
      found.push({ kind, match: m[0] });
    }
  }
  return found;
}

/**
 * The text with every finding replaced by 〔略〕: for text a document quotes from elsewhere (a
 * refused upload's reason may name the 案号 it found twice), so the document stays aggregate.
 */
export function withoutPersonalData(text: string): string {
  return patterns.reduce((out, { re }) => out.replace(re, '〔略〕'), text);
}

/** Throws a ValidationError naming what was found (masked) if the document carries personal data. */
export function assertNoPersonalData(doc: OfficialDocument): OfficialDocument {
  const findings = findPersonalData(documentText({ ...doc, contact: undefined }));
  if (findings.length > 0) {
    throw new ValidationError(
      findings.map((f) => ({ field: doc.kind, reason: `${reasons[f.kind]}（${mask(f.match)}），外发文书只能包含汇总数据` })),
    );
  }
  return doc;
}

function mask(text: string): string {
  return text.length <= 6 ? '*'.repeat(text.length) : `${text.slice(0, 3)}${'*'.repeat(text.length - 5)}${text.slice(-2)}`;
}
