/** Who may call the API: roles and the caller resolved from an API key (no Fastify here). */
export const ROLES = ['officer', 'reviewer', 'partner', 'risk', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: every /v1 request carries one, resolved from its API key. */
export interface Principal {
  keyId: string;
  role: Role;
  name: string;
  /** The person the key belongs to: four-eyes rules compare this, never keyId. */
  owner: string;
  marketIds: string[];
  partnerId: string | null;
}
