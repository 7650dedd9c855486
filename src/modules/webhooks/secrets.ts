import type { Config } from '../../config';
import { SecretBox } from '../../lib/secret-box';

/** The box that keeps endpoints' signing secrets, keyed by WEBHOOK_SECRET_KEY. */
export function webhookSecretBox(config: Pick<Config, 'WEBHOOK_SECRET_KEY'>): SecretBox {
  return new SecretBox(config.WEBHOOK_SECRET_KEY, 'webhook-signing-secret');
}
