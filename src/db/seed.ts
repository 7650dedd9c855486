import { sql } from 'drizzle-orm';
import { defaultPolicyDocument } from '../credit';
import { generateApiKey } from '../lib/api-key-secret';
import { newId } from '../lib/ids';
import { partnerOwner } from '../lib/owner';
import {
  isUnifiedSocialCreditCode,
  maskIdNumber,
  maskPhone,
  personalDigest,
} from '../lib/personal-data';
import type { Role } from '../lib/principal';
import type { Db } from './connect';
import { demoMarkets, demoMerchants, demoOperators } from './demo-data';
import { apiKeys, markets, merchants, operators, policies, policyActivations } from './schema';

export interface SeedOptions {
  clock: () => Date;
  piiDigestKey: string;
  /** Issue one demo key per role (embedded first start without ADMIN_API_KEY). */
  demoKeys: boolean;
}

export interface SeedResult {
  seeded: boolean;
  keys: { role: Role; secret: string }[];
}

/**
 * The default credit policy as version 1, published and champion, on a database that has no
 * policy yet: every deployment, demo or not, can decide from its first request.
 */
export async function ensureDefaultPolicy(db: Db, now: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7204118303)`);
    const existing = await tx.select({ id: policies.id }).from(policies).limit(1);
    if (existing.length > 0) return false;
    const id = newId('pol');
    await tx.insert(policies).values({
      id,
      version: defaultPolicyDocument.version,
      status: 'published',
      document: defaultPolicyDocument,
      // The shipped policy validates and passes its test cases (test/credit checks it).
      valid: true,
      createdBy: 'seed',
      createdAt: now,
      publishedBy: 'seed',
      publishedAt: now,
    });
    await tx.insert(policyActivations).values({
      role: 'champion',
      policyId: id,
      share: 10_000,
      activatedBy: 'seed',
      activatedAt: now,
    });
    return true;
  });
}

const DEMO_KEY_ROLES: Role[] = ['admin', 'officer', 'reviewer', 'partner', 'risk'];

/** Demo markets, operators and merchants, once: a database that has any market is left alone. */
export async function seedDemoData(db: Db, options: SeedOptions): Promise<SeedResult> {
  return db.transaction(async (tx) => {
    // Serialises two instances seeding the same empty database.
    await tx.execute(sql`select pg_advisory_xact_lock(7204118302)`);
    const existing = await tx.select({ id: markets.id }).from(markets).limit(1);
    if (existing.length > 0) return { seeded: false, keys: [] };
    const now = options.clock();
    await tx.insert(operators).values(demoOperators.map((o) => ({ ...o, createdAt: now })));
    await tx.insert(markets).values(demoMarkets.map((m) => ({ ...m, createdAt: now })));
    await tx.insert(merchants).values(
      demoMerchants.map((m) => ({
        id: m.id,
        name: m.name,
        idNumberDigest: personalDigest(options.piiDigestKey, m.idNumber),
        idNumberMasked: maskIdNumber(m.idNumber),
        phoneDigest: personalDigest(options.piiDigestKey, m.phone),
        phoneMasked: maskPhone(m.phone),
        businessForm: isUnifiedSocialCreditCode(m.idNumber)
          ? ('enterprise' as const)
          : ('individual' as const),
        marketId: m.marketId,
        stallNo: m.stallNo,
        leaseEndsOn: m.leaseEndsOn,
        createdBy: 'seed',
        createdAt: now,
      })),
    );
    const keys: SeedResult['keys'] = [];
    if (options.demoKeys) {
      for (const role of DEMO_KEY_ROLES) {
        const key = generateApiKey();
        await tx.insert(apiKeys).values({
          id: newId('key'),
          prefix: key.prefix,
          secretHash: key.hash,
          role,
          name: `demo ${role}`,
          // One demo person per role, so the demo can show four eyes between them.
          owner: role === 'partner' ? partnerOwner('ptn_demo') : `demo-${role}`,
          marketIds: role === 'officer' ? demoMarkets.map((m) => m.id) : [],
          partnerId: role === 'partner' ? 'ptn_demo' : null,
          createdBy: 'seed',
          createdAt: now,
        });
        keys.push({ role, secret: key.secret });
      }
    }
    return { seeded: true, keys };
  });
}
