/**
 * The guarantee network's edges (issue #16) over any sequence of commands: the table equals what
 * the live groups and guarantees imply (edges-repository.edgesImplied, the one definition), and
 * each merchant's edges out add up to the contingent liability its ledger row counts. Formations,
 * members' applications, applications with individual guarantors, acceptances, declines (a group
 * member's dissolves its group) and expiry, through the API, on PGlite or PostgreSQL. (Repayment
 * is recorded as an outcome and changes no offer, so no edge: nothing to drive here.) And each
 * version of the market's network (guarantee_network_versions) names one state of its edges,
 * and an instance's cache that follows the market through the logged changes
 * (guarantee_network_changes) holds, at each version, the network a fresh read compiles.
 */
import fc from 'fast-check';
import { compareLinks, indexNetwork } from '../../../../src/credit';
import { exposureLedger } from '../../../../src/db/schema';
import {
  edgesImplied,
  marketNetworkEdges,
  storedEdges,
} from '../../../../src/modules/origination/edges-repository';
import { NetworkCache } from '../../../../src/modules/origination/network-cache';
import { seedDemo } from '../../../helpers/fixtures';
import { networkRows } from '../../../helpers/network-rows';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import {
  accept,
  applicationBody,
  createMerchants,
  decline,
  MJY,
  runExpiry,
  strongSurvey,
  submit,
} from '../applications/helpers';

const DAY_MS = 24 * 60 * 60 * 1000;

type Command =
  | { kind: 'group'; members: number[]; applying: number }
  | { kind: 'guaranteed'; applicant: number; guarantors: number[]; amount: number }
  | { kind: 'accept'; pick: number }
  | { kind: 'decline'; pick: number }
  | { kind: 'time'; days: number };

const POOL = 6;

describe('guarantee_edges', () => {
  let t: TestApp;
  let now = new Date('2026-11-26T09:30:00.000Z');
  let officer: string;

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now, env: { OFFER_EXPIRY_INTERVAL_MS: '0' } });
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: [MJY] });
  }, 60_000);
  afterAll(() => t.close());

  async function apply(c: Command, pool: string[], offers: string[]) {
    const at = (i: number) => pool[i % pool.length] as string;
    switch (c.kind) {
      case 'group': {
        const members = c.members.map(at);
        const res = await t.http
          .post('/v1/guarantee-groups')
          .set(bearer(officer))
          .send({ marketId: MJY, memberIds: members });
        // Refused: a member in two live groups already, or a shared pair.
        if (res.status !== 201) {
          expect(res.status).toBe(409);
          return;
        }
        // Some members apply (the group stays forming with pending loans), or all (decided).
        for (const m of members.slice(0, c.applying)) {
          const app = await submit(
            t,
            officer,
            applicationBody(m, strongSurvey(), {
              product: 'joint_guarantee',
              guaranteeGroupId: res.body.id,
              amount: 20_000_000,
            }),
          );
          expect(app.status).toBe(201);
          for (const o of app.body.offers ?? []) offers.push(o.id);
        }
        return;
      }
      case 'guaranteed': {
        const applicant = at(c.applicant);
        const guarantors = [...new Set(c.guarantors.map(at))].filter((g) => g !== applicant);
        const res = await submit(t, officer, {
          ...applicationBody(applicant, strongSurvey(), { product: 'any', amount: c.amount }),
          guarantors: guarantors.map((merchantId) => ({
            merchantId,
            amount: Math.min(c.amount, 10_000_000),
            consentRef: 'consent-1',
            consentedAt: '2026-11-01T00:00:00Z',
          })),
        });
        expect(res.status).toBe(201);
        for (const o of res.body.offers ?? []) offers.push(o.id);
        return;
      }
      case 'accept':
      case 'decline': {
        if (offers.length === 0) return;
        const id = offers[c.pick % offers.length] as string;
        const res =
          c.kind === 'accept' ? await accept(t, t.adminKey, id) : await decline(t, t.adminKey, id);
        expect([200, 409]).toContain(res.status);
        return;
      }
      case 'time':
        now = new Date(now.getTime() + c.days * DAY_MS);
        await runExpiry(t, now);
        return;
    }
  }

  /** The market's network edges seen under each version (ADR 0011). */
  const seenAt = new Map<number, string>();
  /** An instance's cache, brought forward through the change log after every command. */
  const following = new NetworkCache();

  async function checkEdges() {
    const db = t.testDb.database.db;
    // A version names one state of the market's network: a cache tagged with it is never stale.
    const network = await marketNetworkEdges(db, MJY);
    const state = JSON.stringify(network.edges);
    const earlier = seenAt.get(network.version);
    if (earlier === undefined) seenAt.set(network.version, state);
    else expect(state).toBe(earlier);
    // The cache at this version, patched by the log, is what a fresh read compiles.
    const cached = await following.network(db, MJY);
    expect(networkRows(cached.index)).toEqual(
      networkRows(indexNetwork([...network.edges].sort(compareLinks))),
    );
    const stored = await storedEdges(db);
    const implied = await edgesImplied(db);
    expect(stored).toEqual(implied);
    // What a merchant guarantees, edge by edge, is its ledger's contingent liability.
    const out = new Map<string, number>();
    for (const e of stored)
      if (e.guarantorKind === 'merchant')
        out.set(e.guarantorId, (out.get(e.guarantorId) ?? 0) + e.amountFen);
    const ledgers = new Map(
      (await db.select().from(exposureLedger)).map((r) => [r.borrower, r.contingent]),
    );
    const merchants = (await db.execute(
      'select id, id_number_digest from merchants',
    )) as unknown as { rows: { id: string; id_number_digest: string }[] };
    for (const m of merchants.rows) {
      expect([m.id, out.get(m.id) ?? 0]).toEqual([m.id, ledgers.get(m.id_number_digest) ?? 0]);
    }
  }

  const index = fc.nat(POOL - 1);
  const command: fc.Arbitrary<Command> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('group' as const),
        members: fc.uniqueArray(index, { minLength: 3, maxLength: 3 }),
        applying: fc.integer({ min: 0, max: 3 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('guaranteed' as const),
        applicant: index,
        guarantors: fc.uniqueArray(index, { minLength: 1, maxLength: 2 }),
        amount: fc.integer({ min: 5_000_000, max: 60_000_000 }),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('accept' as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('decline' as const), pick: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('time' as const),
        days: fc.integer({ min: 1, max: 20 }),
      }),
    },
  );

  it('equal what the live groups and guarantees imply after any sequence of commands, one state per version', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 3, maxLength: 10 }), async (commands) => {
        // A fresh pool per run: each run starts from merchants with no groups.
        const pool = await createMerchants(t, POOL);
        const offers: string[] = [];
        for (const c of commands) {
          await apply(c, pool, offers);
          await checkEdges();
        }
      }),
      { numRuns: 10 },
    );
    // The commands changed the network, each change under a version of its own, and the cache
    // followed every change through the log: read once, never a gap.
    expect(seenAt.size).toBeGreaterThan(1);
    expect(following.stats).toMatchObject({ loads: 1, gaps: 0 });
    expect(following.stats.patches).toBeGreaterThan(5);
  }, 240_000);
});
