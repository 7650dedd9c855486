import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps';
import type { Principal } from '../../lib/principal';
import { pruneNetworkChanges } from './edges-repository';
import { expireDueOffers } from './expire-offers';
import { NETWORK_CHANGES_KEPT } from './network-cache';

const EXPIRY_JOB: Principal = {
  keyId: 'system_offer_expiry',
  role: 'admin',
  name: 'offer expiry job',
  owner: 'system:offer-expiry',
  marketIds: [],
  partnerId: null,
};

/**
 * Expires offers past their date every `everyMs` and releases the capacity they held (accepting
 * an expired offer is refused anyway; this gives the capacity back without waiting for anyone);
 * and keeps each market's guarantee-network change log to its latest NETWORK_CHANGES_KEPT
 * changes (ADR 0011: a cache further behind reads its market again).
 */
export function startOfferExpiry(app: FastifyInstance, deps: AppDeps, everyMs: number): void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const n = await expireDueOffers(deps, {
        actor: EXPIRY_JOB,
        requestId: `expiry-${Date.now()}`,
        now: deps.clock(),
      });
      if (n > 0) app.log.info({ expired: n }, 'offers expired');
    } catch (err) {
      app.log.warn({ err }, 'offer expiry failed; will retry');
    }
    try {
      const pruned = await pruneNetworkChanges(deps.db, NETWORK_CHANGES_KEPT);
      if (pruned > 0) app.log.debug({ pruned }, 'guarantee network changes pruned');
    } catch (err) {
      app.log.warn({ err }, 'guarantee network change log pruning failed; will retry');
    } finally {
      running = false;
    }
  }, everyMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
