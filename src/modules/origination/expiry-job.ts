import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps';
import type { Principal } from '../../lib/principal';
import { expireDueOffers } from './expire-offers';

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
 * an expired offer is refused anyway; this gives the capacity back without waiting for anyone).
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
    } finally {
      running = false;
    }
  }, everyMs);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
