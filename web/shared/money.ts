/** 元 in the forms, fen on the wire: the service counts money in integer fen. */

/** "1,234.56" or "1234.5" 元 → fen, or null when it is not an amount. */
export function yuanToFen(text: string): number | null {
  const t = text.replace(/[,，\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  const [whole, part = ''] = t.split('.');
  const fen = Number(whole) * 100 + Number(part.padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** fen → "1,234.56" (元); whole amounts without ".00" unless `cents` (table columns). */
export function fenToYuan(fen: number, cents = false): string {
  const yuan = Math.floor(fen / 100);
  const rest = fen % 100;
  const tail = rest || cents ? `.${String(rest).padStart(2, '0')}` : '';
  return `${yuan.toLocaleString('en-US')}${tail}`;
}

/** basis points → "7.20%". */
export const bpsToPercent = (bps: number): string => `${(bps / 100).toFixed(2)}%`;

const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Today's date in China (YYYY-MM-DD): the service dates a schedule from the day of acceptance there. */
export const chinaToday = (now = Date.now()): string =>
  new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 10);

/**
 * An estimate of instalment `period`'s due date if the offer were accepted on `acceptedOn`
 * (YYYY-MM-DD): the service's rule, the same day `period` months later or that month's last
 * day. Only for an open offer, and always shown as an estimate: once an offer is accepted the
 * service sends the real dates.
 */
export function estimatedDueDate(acceptedOn: string, period: number): string {
  const [y, m, d] = acceptedOn.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + period;
  const year = Math.floor(index / 12);
  const month = index - year * 12;
  const day = Math.min(d, new Date(Date.UTC(year, month + 1, 0)).getUTCDate());
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
