import { type CompiledPolicy, compilePolicy, type PolicyDocument, pickArm } from '../../credit';
import type { Db } from '../../db/connect';
import { notFound } from '../../lib/errors';
import { type ActivationRow, findActivations, findPolicy } from './repository';

export interface ArmPolicy {
  id: string;
  version: number;
  compiled: CompiledPolicy;
}

export interface ActiveSet {
  champion: ArmPolicy & { activatedAt: Date };
  challenger: (ArmPolicy & { shareBps: number; activatedAt: Date }) | null;
}

/**
 * Compiled policies for the hot path. Published policies are frozen, so a compiled policy is
 * cached by id for good; which ones are active is re-read at most every `ttlMs` (other
 * instances may activate) and at once after an activation on this instance.
 */
export class PolicyCache {
  private compiled = new Map<string, CompiledPolicy>();
  private active: { set: ActiveSet; readAt: number } | null = null;

  constructor(
    private readonly db: Db,
    private readonly ttlMs: number,
    private readonly monotonicNow: () => number = () => performance.now(),
  ) {}

  /** Published and retired policies are frozen, so they are compiled once; drafts every time. */
  compile(id: string, document: unknown, frozen = true): CompiledPolicy {
    if (!frozen) return compilePolicy(document as PolicyDocument);
    let compiled = this.compiled.get(id);
    if (!compiled) {
      compiled = compilePolicy(document as PolicyDocument);
      this.compiled.set(id, compiled);
    }
    return compiled;
  }

  /** Any policy by id, drafts included (a draft that does not validate throws PolicyInvalidError). */
  async byId(id: string): Promise<ArmPolicy> {
    const row = await findPolicy(this.db, id);
    if (!row) throw notFound('Policy');
    return {
      id: row.id,
      version: row.version,
      compiled: this.compile(row.id, row.document, row.status !== 'draft'),
    };
  }

  invalidate(): void {
    this.active = null;
  }

  async activeSet(): Promise<ActiveSet> {
    const t = this.monotonicNow();
    if (this.active && t - this.active.readAt < this.ttlMs) return this.active.set;
    const rows = await findActivations(this.db);
    const set = this.toSet(rows);
    this.active = { set, readAt: t };
    return set;
  }

  /** The policy that decides this merchant: the challenger's share is chosen by merchant id. */
  async forMerchant(merchantId: string): Promise<ArmPolicy & { arm: 'champion' | 'challenger' }> {
    const set = await this.activeSet();
    if (set.challenger && pickArm(merchantId, set.challenger.shareBps / 10_000) === 'challenger') {
      return { ...set.challenger, arm: 'challenger' };
    }
    return { ...set.champion, arm: 'champion' };
  }

  private toSet(rows: ActivationRow[]): ActiveSet {
    const champion = rows.find((r) => r.role === 'champion');
    if (!champion) throw notFound('Active credit policy');
    const challenger = rows.find((r) => r.role === 'challenger');
    const arm = (r: ActivationRow) => ({
      id: r.policy.id,
      version: r.policy.version,
      compiled: this.compile(r.policy.id, r.policy.document),
      activatedAt: r.activatedAt,
    });
    return {
      champion: arm(champion),
      challenger: challenger ? { ...arm(challenger), shareBps: challenger.shareBps } : null,
    };
  }
}
