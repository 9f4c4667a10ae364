/**
 * A refused cell as an error message may show it. Messages travel further than the data (the
 * uploader's screen, the terminal, logs, support mail), so they must not carry what the import
 * keeps out of storage: anything that looks like an ID, phone or account number, and the row's
 * own personal cells (a party's name shifted into another column is the usual way one shows up).
 */

export const MASK = '［已脱敏］';

/**
 * Seven digits in a row or more (ID cards, mobile numbers, bank accounts; a landline with its area
 * code), and mobile numbers written in groups; dates and amounts keep their shape.
 */
const PERSONAL_NUMBER = /(?:0\d{2,3}[\s-]?)?\d{7,}[Xx]?|1[3-9]\d[\s-]\d{4}[\s-]\d{4}/g;

/**
 * The most common Chinese surnames (the public-security household register's ranking, about 85 % of
 * the population) and the compound ones still seen: a refused cell of two to four Chinese
 * characters starting with one is taken for a person's name and not shown. No maintained package
 * carries this list; a vocabulary value masked by mistake costs nothing, as the message still
 * names line and column and lists the allowed values.
 */
const SURNAMES = new Set(
  [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付傅方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文施洪牛樊葛邢安齐伍庞颜倪温聂章鲁'],
);
const COMPOUND_SURNAMES = new Set(['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '司徒', '夏侯']);
const HAN_WORD = /^[\u4e00-\u9fff]{2,4}$/;

/** Whether a cell reads like a Chinese personal name: a surname and one or two given-name characters. */
export function looksLikePersonalName(cell: string): boolean {
  if (!HAN_WORD.test(cell)) return false;
  if (COMPOUND_SURNAMES.has(cell.slice(0, 2)) && cell.length >= 3) return true;
  return SURNAMES.has(cell[0]!) && cell.length <= 3;
}

/** Longest excerpt of a cell a message shows; the clerk finds the rest by line and column. */
const SHOWN_CHARS = 30;

/**
 * `value` with long numbers and every personal cell of its row (`personal`: names, ID numbers,
 * phones as the file wrote them) masked, wholly masked when it reads like a name, cut to a short excerpt.
 */
export function shownInMessage(value: string, personal: readonly string[] = []): string {
  let text = value;
  for (const p of personal) if (p.length >= 2) text = text.split(p).join(MASK);
  text = text.replace(PERSONAL_NUMBER, MASK);
  if (looksLikePersonalName(text.trim())) return MASK;
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}
