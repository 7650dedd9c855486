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

/** The due date of instalment `period`, one month apart from `from` (YYYY-MM-DD). */
export function dueDate(from: string, period: number): string {
  const d = new Date(from);
  const day = d.getUTCDate();
  const due = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + period, 1));
  const last = new Date(Date.UTC(due.getUTCFullYear(), due.getUTCMonth() + 1, 0)).getUTCDate();
  due.setUTCDate(Math.min(day, last));
  return due.toISOString().slice(0, 10);
}
