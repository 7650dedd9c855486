/** One attempt's hold on an Idempotency-Key. */
export interface Claim {
  apiKeyId: string;
  key: string;
  lockToken: string;
}

interface Pending extends Claim {
  since: number;
}

/** Past this many, the oldest are dropped: the in-flight window frees them anyway. */
const MAX_PENDING = 10_000;

/**
 * Keys of failed attempts that could not be freed when they failed (the database was down):
 * a claim left behind would answer every retry "in flight" until the in-flight window passes.
 * They are freed again in the background until it works, and first of all when the same key
 * comes back, so a retry right after an outage goes through. Freeing only deletes the row
 * while it holds this attempt's token and no answer, so freeing twice or too late is harmless.
 */
export class PendingReleases {
  private readonly pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly free: (claim: Claim) => Promise<void>,
    private readonly clock: () => Date,
    /** After this long the claim is stale and may be taken over: no need to free it. */
    private readonly keepMs: number,
    private readonly retryMs = 500,
  ) {}

  get size() {
    return this.pending.size;
  }

  /** Frees the claim now; when that fails, keeps it to free later and rethrows. */
  async release(claim: Claim): Promise<void> {
    try {
      await this.free(claim);
    } catch (err) {
      this.add(claim);
      throw err;
    }
  }

  add(claim: Claim) {
    if (this.pending.size >= MAX_PENDING) {
      const oldest = this.pending.keys().next().value;
      if (oldest !== undefined) this.pending.delete(oldest);
    }
    const { apiKeyId, key, lockToken } = claim;
    this.pending.set(id(claim), { apiKeyId, key, lockToken, since: this.clock().getTime() });
    this.schedule();
  }

  /** Before a key is claimed: frees what a failed attempt left on it (throws if it cannot). */
  async settle(apiKeyId: string, key: string): Promise<void> {
    for (const [k, p] of this.pending) {
      if (p.apiKeyId !== apiKeyId || p.key !== key) continue;
      await this.free(p);
      this.pending.delete(k);
    }
  }

  close() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }

  private schedule() {
    if (this.timer || this.pending.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.retry().finally(() => this.schedule());
    }, this.retryMs);
    this.timer.unref();
  }

  private async retry() {
    const now = this.clock().getTime();
    for (const [k, p] of [...this.pending]) {
      if (now - p.since >= this.keepMs) {
        this.pending.delete(k);
        continue;
      }
      try {
        await this.free(p);
        this.pending.delete(k);
      } catch {
        return; // Still down: try again later, not once per key.
      }
    }
  }
}

const id = (c: Claim) => `${c.apiKeyId}\u0000${c.key}\u0000${c.lockToken}`;
