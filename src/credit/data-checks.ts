/**
 * Checks that a survey's figures agree with each other. A survey can pass every bound and
 * still hold two figures that cannot both be true; the model then refers, so that the loan
 * officer rechecks at the stall, and computes with the prudent figure (see metrics.ts).
 */
import type { Reason } from './decision-types';
import type { Metrics } from './metrics';
import { type DataCheckCode, dataReason } from './reasons';

export interface DataCheckParams {
  inventoryDaysTolerance: number;
}

/** The reasons of every failed check, in a fixed order; empty when the figures agree. */
export function dataCheckReasons(metrics: Metrics, params: DataCheckParams): Reason[] {
  const failed: DataCheckCode[] = [];
  if (Math.abs(metrics.inventoryDaysDifference) > params.inventoryDaysTolerance) {
    failed.push('INCONSISTENT_INVENTORY');
  }
  return failed.map(dataReason);
}
