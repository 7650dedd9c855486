/**
 * The exposure ledger (issue #12) over any sequence of commands: every borrower's row equals what
 * its live offers imply (repository.ledgerFromOffers, the one definition), and no cap is ever
 * passed across everything the borrower holds. Driven through the API, on PGlite or PostgreSQL.
 */
import fc from 'fast-check';
import { exposureLedger } from '../../../../src/db/schema';
import { EMPTY_LEDGER } from '../../../../src/modules/origination/exposure';
import { ledgerFromOffers } from '../../../../src/modules/origination/repository';
import { seedDemo } from '../../../helpers/fixtures';
import { bearer, createTestApp, type TestApp } from '../../../helpers/test-app';
import {
  accept,
  applicationBody,
  createMerchant,
  decline,
  MJY,
  merchantBody,
  runExpiry as runExpiryAt,
  strongSurvey,
  submit,
  twoOfferSurvey,
} from '../applications/helpers';

const DAY_MS = 24 * 60 * 60 * 1000;

type Command =
  | { kind: 'submit'; merchant: number; amount: number; product: string; termMonths: number }
  | { kind: 'accept'; pick: number }
  | { kind: 'decline'; pick: number }
  | { kind: 'group'; first: number }
  | { kind: 'time'; days: number };

describe('the exposure ledger', () => {
  let t: TestApp;
  let now = new Date('2026-11-26T09:30:00.000Z');
  let officer: string;
  const merchants: string[] = [];
  const offers: { id: string; merchantId: string }[] = [];
  let policyDoc: {
    products: Record<string, { maxAmount: number }>;
  };
  let perMerchantCap: number;

  beforeAll(async () => {
    t = await createTestApp({ clock: () => now, env: { OFFER_EXPIRY_INTERVAL_MS: '0' } });
    await seedDemo(t);
    officer = await t.issueKey('officer', { marketIds: [MJY] });
    for (let i = 0; i < 5; i++) merchants.push(await createMerchant(t, t.adminKey, MJY));
    // One person in two markets is one borrower: the same identity number in Kai'en too.
    const twin = merchantBody(MJY);
    merchants.push(
      await createMerchant(t, t.adminKey, 'mkt_demo_kaien', { idNumber: twin.idNumber }),
    );
    merchants.push(await createMerchant(t, t.adminKey, MJY, { idNumber: twin.idNumber }));
    const policy = await t.http.get('/v1/policies/active').set(bearer(t.adminKey));
    policyDoc = policy.body.document;
    const op = await t.http.get('/v1/operators/opr_demo_majiayan').set(bearer(t.adminKey));
    perMerchantCap = op.body.guaranteeAgreement.perMerchantCap;
  }, 60_000);
  afterAll(() => t.close());

  const runExpiry = () => runExpiryAt(t, now);

  async function apply(c: Command) {
    switch (c.kind) {
      case 'submit': {
        const merchantId = merchants[c.merchant % merchants.length] as string;
        const survey = c.merchant % 2 ? strongSurvey() : twoOfferSurvey();
        const res = await submit(
          t,
          officer,
          applicationBody(merchantId, survey, {
            product: c.product,
            amount: c.amount,
            termMonths: c.termMonths,
          }),
        );
        // A Kai'en merchant is not this officer's: 404 is the right answer there.
        expect([201, 404]).toContain(res.status);
        for (const o of res.body.offers ?? []) offers.push({ id: o.id, merchantId });
        return;
      }
      case 'accept':
      case 'decline': {
        if (offers.length === 0) return;
        const offer = offers[c.pick % offers.length] as { id: string };
        const res =
          c.kind === 'accept'
            ? await accept(t, t.adminKey, offer.id)
            : await decline(t, t.adminKey, offer.id);
        expect([200, 409]).toContain(res.status);
        return;
      }
      case 'group': {
        const members = [0, 1, 2].map((i) => merchants[(c.first + i) % 5] as string);
        const res = await t.http
          .post('/v1/guarantee-groups')
          .set(bearer(officer))
          .send({ marketId: MJY, memberIds: members });
        if (res.status !== 201) return; // a member is in a live group already
        for (const m of members) {
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
          for (const o of app.body.offers ?? []) offers.push({ id: o.id, merchantId: m });
        }
        return;
      }
      case 'time':
        now = new Date(now.getTime() + c.days * DAY_MS);
        await runExpiry();
        return;
    }
  }

  /** Every row equals the definition; every cap holds on what each borrower now has. */
  async function checkLedger() {
    const db = t.testDb.database.db;
    const rows = await db.select().from(exposureLedger);
    const expected = await ledgerFromOffers(
      db,
      rows.map((r) => r.borrower),
    );
    for (const row of rows) {
      const { borrower, version: _v, updatedAt: _u, ...amounts } = row;
      expect({ borrower, ...amounts }).toEqual({
        borrower,
        ...(expected.get(borrower) ?? EMPTY_LEDGER),
      });
    }
    for (const merchantId of merchants) {
      const res = await t.http.get(`/v1/merchants/${merchantId}/exposure`).set(bearer(t.adminKey));
      expect(res.status).toBe(200);
      const byProduct = Object.fromEntries(
        res.body.byProduct.map((p: { product: string; open: number; taken: number }) => [
          p.product,
          p.open + p.taken,
        ]),
      );
      expect(byProduct.operator_guarantee).toBeLessThanOrEqual(perMerchantCap);
      for (const [product, rules] of Object.entries(policyDoc.products))
        expect(byProduct[product]).toBeLessThanOrEqual(rules.maxAmount);
    }
  }

  const command: fc.Arbitrary<Command> = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('submit' as const),
        merchant: fc.nat(20),
        amount: fc.integer({ min: 5_000_000, max: 300_000_000 }),
        product: fc.constantFrom('any', 'operator_guarantee', 'credit_card', 'credit_loan'),
        termMonths: fc.constantFrom(6, 12, 24),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('accept' as const), pick: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('decline' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('group' as const), first: fc.nat(4) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('time' as const),
        days: fc.integer({ min: 1, max: 40 }),
      }),
    },
  );

  it('equals its rows and holds every cap after any sequence of commands', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 3, maxLength: 10 }), async (commands) => {
        for (const c of commands) {
          await apply(c);
          await checkLedger();
        }
      }),
      { numRuns: 12 },
    );
  }, 240_000);
});
