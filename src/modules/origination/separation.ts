import type { Db } from '../../db/connect';
import type { AppDeps } from '../../deps';
import type { CommandContext } from '../../lib/command-context';
import { forbidden } from '../../lib/errors';
import { ENV_ADMIN_KEY_ID } from '../../platform/auth';
import { ownerOfKey } from '../api-keys/repository';

/**
 * 审贷分离 between people: a reviewer decides nothing that was put forward (an application
 * submitted, a group formed) with one of its own keys, whichever key it uses now. `keyIds` are
 * the keys that put it forward; `what` completes the refusal's sentences.
 */
export async function assertReviewerIndependent(
  deps: AppDeps,
  tx: Db,
  ctx: CommandContext,
  keyIds: (string | null)[],
  what: { en: string; zh: string },
): Promise<void> {
  for (const keyId of new Set(keyIds)) {
    if (keyId === null) continue;
    const owner =
      keyId === ENV_ADMIN_KEY_ID ? deps.config.ADMIN_API_KEY_OWNER : await ownerOfKey(tx, keyId);
    if (keyId === ctx.actor.keyId || owner === ctx.actor.owner) {
      throw forbidden(
        `A reviewer may not review ${what.en}, with this key or another of theirs (审贷分离)`,
        `审贷分离：${what.zh}（无论使用哪个密钥）`,
      );
    }
  }
}
