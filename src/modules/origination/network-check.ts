import {
  type GroupNetworkFigures,
  type GuaranteeNetworkRules,
  groupNetworkFiguresIn,
  type NetworkFindingCode,
  networkFindings,
} from '../../credit';
import type { Db } from '../../db/connect';
import * as edges from './edges-repository';
import type { NetworkCache } from './network-cache';

/**
 * The guarantee-network check of a group about to form (issue #16): the circles its members
 * would close within the policy's circle size, searched over the market's network as this
 * transaction sees it (the instance's compiled copy when still at the version read here, ADR
 * 0011), the circle's borrowing, and what the rules find.
 *
 * The circle's borrowing reads the ledger row of every merchant of the circle: in a dense market
 * hundreds. When the policy refuses and the circle's size or a shared pair already refuses the
 * group, that read cannot change the answer, so it is not made; the refusal then names those
 * findings (the cap, if also passed, is not among them) and `circleBorrowing` stays 0, unread.
 */
export async function groupNetworkCheck(
  tx: Db,
  networks: NetworkCache,
  marketId: string,
  memberIds: string[],
  rules: GuaranteeNetworkRules,
): Promise<{ figures: GroupNetworkFigures; findings: NetworkFindingCode[] }> {
  const market = await networks.network(tx, marketId);
  let figures = groupNetworkFiguresIn(market.index, memberIds, rules.maxCircleSize);
  const refusedAlready = rules.action === 'refuse' && networkFindings(figures, rules).length > 0;
  if (figures.circle.length > 0 && !refusedAlready) {
    figures = {
      ...figures,
      circleBorrowing: await edges.borrowingTotal(tx, figures.circle, market.borrowerOf),
    };
  }
  return { figures, findings: networkFindings(figures, rules) };
}
