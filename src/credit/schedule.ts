/**
 * Monthly repayment schedules in fen: equal instalment (等额本息) and equal principal (等额本金).
 * Interest is rounded half up per period; the last instalment absorbs every remainder so that
 * principal sums exactly to the amount.
 */
import { annuityPayment, exactRate, monthlyInterest, roundHalfUp } from './money';

export type ScheduleMethod = 'equal_instalment' | 'equal_principal';

export interface ScheduleRow {
  period: number;
  principal: number;
  interest: number;
  payment: number;
  /** Outstanding principal after this payment. */
  balance: number;
}

export interface ScheduleInput {
  /** Fen, positive safe integer. */
  amount: number;
  /** Annual rate in basis points; up to four decimals (the HTTP API passes integers). */
  annualRateBps: number;
  /** Whole months, at least 1. */
  termMonths: number;
  method: ScheduleMethod;
}

export interface Schedule {
  schedule: ScheduleRow[];
  totalInterest: number;
}

export function buildSchedule(input: ScheduleInput): Schedule {
  const { amount, annualRateBps, termMonths, method } = input;
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new RangeError('amount must be a positive safe integer (fen)');
  }
  if (!Number.isInteger(termMonths) || termMonths < 1) {
    throw new RangeError('termMonths must be a positive integer');
  }
  if (!(annualRateBps >= 0) || !Number.isFinite(annualRateBps)) {
    throw new RangeError('annualRateBps must be a non-negative number');
  }
  const rate = exactRate(annualRateBps);
  const level =
    method === 'equal_instalment'
      ? roundHalfUp(annuityPayment(amount, annualRateBps, termMonths))
      : 0;
  const basePrincipal = Math.floor(amount / termMonths);
  const schedule: ScheduleRow[] = [];
  let balance = amount;
  let totalInterest = 0;
  for (let period = 1; period <= termMonths; period++) {
    const interest = monthlyInterest(balance, rate);
    let principal: number;
    if (period === termMonths) principal = balance;
    else if (method === 'equal_instalment')
      principal = Math.min(balance, Math.max(0, level - interest));
    else principal = basePrincipal;
    balance -= principal;
    totalInterest += interest;
    schedule.push({ period, principal, interest, payment: principal + interest, balance });
  }
  return { schedule, totalInterest };
}
