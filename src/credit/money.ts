/**
 * Money and rate helpers. Money is integer fen; rates are basis points, possibly fractional
 * (up to four decimals) so that published vectors such as 948.22 bps can be reproduced.
 * Rounding is exact integer arithmetic so that a half fen is never lost to binary floats.
 */

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Round half up to an integer (for positive and negative values alike, away from zero at .5). */
export function roundHalfUp(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/** Round a ratio to a fixed number of decimals so that serialised decisions are byte-stable. */
export function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = roundHalfUp(x * f) / f;
  return r === 0 ? 0 : r; // never -0: JSON would print it as 0 anyway, but equality checks differ
}

/** n / d rounded half up, for non-negative integers n and d > 0; exact for any safe integers. */
export function divRoundHalfUp(n: number, d: number): number {
  if (n * 2 + d <= MAX_SAFE) {
    let q = Math.floor(n / d);
    let r = n - q * d;
    if (r < 0) {
      q -= 1;
      r += d;
    } else if (r >= d) {
      q += 1;
      r -= d;
    }
    return 2 * r >= d ? q + 1 : q;
  }
  const bn = BigInt(n);
  const bd = BigInt(d);
  return Number((bn * 2n + bd) / (bd * 2n));
}

/** A bps rate as an exact fraction numerator/denominator of the ANNUAL rate (denominator 10^4 * 10^k). */
export interface ExactRate {
  numerator: number;
  denominator: number;
}

/** Express a bps rate (up to four decimals) as an exact fraction. */
export function exactRate(annualRateBps: number): ExactRate {
  for (let k = 0; k <= 4; k++) {
    const scale = 10 ** k;
    const scaled = Math.round(annualRateBps * scale);
    if (Math.abs(scaled - annualRateBps * scale) < 1e-6) {
      return { numerator: scaled, denominator: 10_000 * scale };
    }
  }
  throw new RangeError(`rate ${annualRateBps} bps has more than four decimals`);
}

/** Interest of one month on a balance at an annual rate (30/360: a twelfth of the year), half up to the fen. */
export function monthlyInterest(balance: number, rate: ExactRate): number {
  const n = balance * rate.numerator;
  const d = rate.denominator * 12;
  if (Number.isSafeInteger(n)) return divRoundHalfUp(n, d);
  const bn = BigInt(balance) * BigInt(rate.numerator);
  const bd = BigInt(d);
  return Number((bn * 2n + bd) / (bd * 2n));
}

/** Monthly rate as a float, for annuity factors (sizing, payment) where a fen of tolerance is fine. */
export function monthlyRate(annualRateBps: number): number {
  return annualRateBps / 120_000;
}

/** Level payment of an annuity, unrounded: amount * r / (1 - (1 + r)^-n). */
export function annuityPayment(amount: number, annualRateBps: number, termMonths: number): number {
  const r = monthlyRate(annualRateBps);
  if (r === 0) return amount / termMonths;
  return (amount * r) / (1 - (1 + r) ** -termMonths);
}

/** Present value of a level payment over n months, unrounded: the most one can lend for it. */
export function annuityPresentValue(
  payment: number,
  annualRateBps: number,
  termMonths: number,
): number {
  const r = monthlyRate(annualRateBps);
  if (r === 0) return payment * termMonths;
  return (payment * (1 - (1 + r) ** -termMonths)) / r;
}

/** Round an amount in fen down to a multiple of `step` fen (offers in round figures). */
export function floorTo(amount: number, step: number): number {
  if (step <= 1) return Math.floor(amount);
  return Math.floor(amount / step) * step;
}
