/**
 * A numeric prefix for the serials of a test's case numbers, digits only, since a case number's
 * serial is digits (issue 17 rule 3). Seven digits leave three for a row number in the ten a serial
 * may have; five leave five (for a file of 20,000 rows). Unique per call within a run (time and a
 * random part), and its first digit tells its length (9 for five, 1–8 for seven): tests share one
 * database, and a serial that begins with one test's prefix must never begin with another's
 * (a five-digit prefix followed by a five-digit row number once began with a seven-digit prefix of
 * a test run at the same moment, which then found the other test's row as its own).
 */
export function uniqueSerialPrefix(digits: 5 | 7 = 7): string {
  const random = (n: number) => Math.floor(Math.random() * n);
  const time = Date.now() % 10_000;
  if (digits === 5) return `9${(time % 100).toString().padStart(2, '0')}${random(100).toString().padStart(2, '0')}`;
  return `${1 + random(8)}${time.toString().padStart(4, '0')}${random(100).toString().padStart(2, '0')}`;
}

/** A PostgreSQL regular expression (for `case_no ~ $1`) matching the case numbers whose serial begins with `prefix`. */
export function caseNumbersOf(prefix: string): string {
  return `^（[0-9]{4}）[^0-9]+[0-9]+[^0-9]+${prefix}[0-9]*号$`;
}
