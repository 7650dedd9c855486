/**
 * Checks that a survey's figures agree with each other. A survey can pass every bound and
 * still hold two figures that cannot both be true; the model then refers, so that the loan
 * officer rechecks at the stall, and computes with the prudent figure (see metrics.ts).
 */
import type { Reason } from './decision-types';
import type { Metrics } from './metrics';
import type { DataCheckCode } from './reason-texts';
import { dataReason } from './reasons';

export interface DataCheckParams {
  inventoryDaysTolerance: number;
}

/** Shared answer when every figure agrees (the usual case: no allocation on the hot path). */
const NONE: Reason[] = Object.freeze([]) as unknown as Reason[];

/** The reasons of every failed check, in a fixed order; empty when the figures agree. */
export function dataCheckReasons(metrics: Metrics, params: DataCheckParams): Reason[] {
  let failed: DataCheckCode[] | null = null;
  if (Math.abs(metrics.inventoryDaysDifference) > params.inventoryDaysTolerance) {
    failed = ['INCONSISTENT_INVENTORY'];
  }
  return failed === null ? NONE : failed.map(dataReason);
}
