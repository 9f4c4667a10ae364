/**
 * A numeric prefix for the serials of a test's case numbers: unique per call within a run (time
 * and a random part), digits only, since a case number's serial is digits (issue 17 rule 3).
 * Seven digits, so a prefix and a row number of up to three digits fit the ten a serial may have.
 */
export function uniqueSerialPrefix(): string {
  return `${(Date.now() % 100_000).toString().padStart(5, '0')}${Math.floor(Math.random() * 100).toString().padStart(2, '0')}`;
}
