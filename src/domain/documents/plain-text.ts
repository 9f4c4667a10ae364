import { cellText, type Block, type OfficialDocument } from './model.ts';

/** Two ideographic spaces: the first-line indent of Chinese body text. */
const INDENT = '\u3000\u3000';

/**
 * The document as plain text: the body of the notification mail, the inbox preview, and the
 * baseline the document benchmark compares layout against. Same reading order as the print.
 */
export function renderPlainText(doc: OfficialDocument): string {
  const out: string[] = [];
  if (doc.classification) out.push(doc.classification);
  const header = doc.header;
  if (header.style === 'red') out.push(header.organ);
  if (header.style === 'bulletin') out.push(header.masthead, header.issue, `${header.organ}    ${header.date}`);
  if (doc.number && header.style !== 'bulletin') out.push(doc.number);
  out.push('', doc.title);
  if (doc.subtitle) out.push(doc.subtitle);
  out.push('');
  if (doc.mainRecipients.length > 0) out.push(`${doc.mainRecipients.join('、')}：`);
  out.push(...blockLines(doc.body));
  if (doc.contact) out.push(`${INDENT}联系人：${doc.contact.office} ${doc.contact.name}；联系电话：${doc.contact.phone}`);
  if (doc.annexes.length > 0) {
    out.push('', `${INDENT}附件：${doc.annexes.length === 1 ? doc.annexes[0]!.title : doc.annexes.map((a, i) => `${i + 1}. ${a.title}`).join(`\n${INDENT}${INDENT}\u3000`)}`);
  }
  if (doc.signature) out.push('', ...doc.signature.organs, doc.signature.date);
  if (doc.note) out.push(`${INDENT}${doc.note}`);
  for (const annex of doc.annexes) out.push('', annex.label, annex.title, ...blockLines(annex.blocks));
  const imprint: string[] = [];
  if (doc.reportTo?.length) imprint.push(`报：${doc.reportTo.join('，')}。`);
  if (doc.sendTo?.length) imprint.push(`送：${doc.sendTo.join('，')}。`);
  if (doc.copyTo.length > 0) imprint.push(`抄送：${doc.copyTo.join('，')}。`);
  if (doc.imprint) imprint.push(`${doc.imprint.organ}    ${doc.imprint.date}印发`);
  if (imprint.length > 0) out.push('', '─'.repeat(24), ...imprint, '─'.repeat(24));
  if (doc.receipt) out.push('', '- - - - - - - - - - - - - -', doc.receipt.title, ...blockLines(doc.receipt.blocks));
  return `${out.join('\n')}\n`;
}

function blockLines(blocks: readonly Block[]): string[] {
  const out: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'heading':
        out.push(`${INDENT}${block.text}`);
        break;
      case 'paragraph':
        out.push(block.indent === false ? block.text : `${INDENT}${block.text}`);
        break;
      case 'table':
        if (block.title) out.push(block.title);
        out.push(`| ${block.columns.map((c) => c.header).join(' | ')} |`);
        for (const row of block.rows) out.push(`| ${row.map(cellText).join(' | ')} |`);
        if (block.note) out.push(block.note);
        break;
      case 'fields':
        for (const row of block.rows) out.push(`${row.label}：${row.value || '＿＿＿＿＿＿'}`);
        break;
      case 'chart':
        out.push(`［${block.caption}］`);
        break;
      case 'signature_lines':
        for (const label of block.labels) out.push(`${label}＿＿＿＿＿＿    日期：＿＿＿＿`);
        break;
      case 'page_break':
        out.push('');
        break;
    }
  }
  return out;
}
