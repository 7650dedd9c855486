/**
 * When instalments fall due. The rule: instalment k of a schedule falls due k calendar months
 * after the day the merchant accepted the offer, on the same day of the month, or on the
 * month's last day when it is shorter (accepted on 31 January: due 28 or 29 February, 31 March,
 * 30 April, ...). Days are China's business days (UTC+8; China keeps no daylight saving time).
 * Pure: the caller gives the instants.
 */

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The calendar date in China (YYYY-MM-DD) of an instant. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** `date` (YYYY-MM-DD) plus `months` calendar months, clamped to the last day of that month. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(d, lastDay);
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The due dates of instalments 1..periods of a schedule accepted on `acceptedOn`. */
export function dueDates(acceptedOn: string, periods: number): string[] {
  return Array.from({ length: periods }, (_, i) => addMonths(acceptedOn, i + 1));
}

/** How many of a schedule's instalments have fallen due on or before `asOf` (both dates). */
export function instalmentsDue(acceptedOn: string, asOf: string, periods: number): number {
  let due = 0;
  while (due < periods && addMonths(acceptedOn, due + 1) <= asOf) due++;
  return due;
}
