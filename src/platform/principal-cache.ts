import type { Principal } from '../lib/principal';

/**
 * Who an API key is, remembered for a few seconds so the hot path needs no database round trip
 * to authenticate. Keyed by the secret's hash (never the secret); only valid keys are kept, so
 * its size is bounded by the keys that exist. A revocation on this instance applies at once;
 * other instances notice within the TTL.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(secretHash: string): Principal | undefined {
    const entry = this.entries.get(secretHash);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.entries.delete(secretHash);
      return undefined;
    }
    return entry.principal;
  }

  /** Remembers a key for the TTL, never past its expiry (epoch ms, if it has one). */
  set(secretHash: string, principal: Principal, expiresAtMs: number | null = null) {
    if (this.ttlMs <= 0) return;
    // Full means many keys, or a churn of issued ones: start over rather than track recency.
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    const until = Math.min(this.now() + this.ttlMs, expiresAtMs ?? Number.POSITIVE_INFINITY);
    this.entries.set(secretHash, { principal, until });
  }

  /** Forgets a key at once (revoked here). */
  forget(keyId: string) {
    for (const [hash, entry] of this.entries) {
      if (entry.principal.keyId === keyId) this.entries.delete(hash);
    }
  }
}
