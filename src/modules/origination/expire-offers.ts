import type { AppDeps } from '../../deps';
import type { CommandContext } from '../../lib/command-context';
import type { AuditEntry } from '../audit/repository';
import { appendEvents, type EventEntry } from '../events/repository';
import * as repo from './repository';
import {
  closeApplicationIfSpent,
  closeOffer,
  endGroupOf,
  exposureOf,
  recordAudit,
} from './transitions';

/**
 * Expires open offers past their date and frees their capacity (run by a timer, and in tests),
 * one application per transaction, locking as every other offer command does. Returns how many
 * offers expired.
 */
export async function expireDueOffers(
  deps: AppDeps,
  ctx: CommandContext,
  batch = 500,
): Promise<number> {
  let expired = 0;
  for (const applicationId of await repo.applicationsWithDueOffers(deps.db, ctx.now, batch)) {
    expired += await deps.db.transaction(async (tx) => {
      const application = await repo.findApplication(tx, applicationId, { forUpdate: true });
      if (!application) return 0;
      const due = await repo.dueOffersOf(tx, applicationId, ctx.now);
      const borrowers = await exposureOf(tx, due);
      const audit: AuditEntry[] = [];
      const outbox: EventEntry[] = [];
      for (const offer of due) {
        await closeOffer(tx, ctx, offer, 'expired', audit, outbox, application);
        await endGroupOf(tx, ctx, offer, audit, outbox);
      }
      await closeApplicationIfSpent(tx, ctx, applicationId, audit);
      await repo.settleLedgers(tx, borrowers, ctx.now);
      await recordAudit(tx, ctx, audit);
      await appendEvents(tx, ctx.now, outbox);
      return due.length;
    });
  }
  return expired;
}
