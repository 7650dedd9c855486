/** Risk-based price: cost of funds + expected loss (PD x LGD) + operating cost + margin. */
import { roundHalfUp } from './money';

export interface ProductPricing {
  lgd: number;
  marginBps: number;
  rateFloorBps: number;
  rateCapBps: number;
}

export interface HousePricing {
  costOfFundsBps: number;
  operatingCostBps: number;
}

/** Annual rate in whole basis points, within the product's floor and cap. */
export function priceBps(pd: number, product: ProductPricing, house: HousePricing): number {
  const raw =
    house.costOfFundsBps + pd * product.lgd * 10_000 + house.operatingCostBps + product.marginBps;
  return Math.min(product.rateCapBps, Math.max(product.rateFloorBps, roundHalfUp(raw)));
}
