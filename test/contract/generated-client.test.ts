/**
 * What a partner does first: generate types from the committed document with
 * openapi-typescript and drive a flow with openapi-fetch. The flow (create a market and a
 * merchant, submit an application, read its offers, accept one) must type-check against the
 * generated types, and the lines marked @ts-expect-error must not: a document that lost its
 * types (an `unknown`, a missing enum) fails here.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);

const FLOW = `
import createClient from 'openapi-fetch';
import type { components, paths } from './api';

type ApplicationRequest = components['schemas']['ApplicationRequestInput'];

export async function flow(adminKey: string, officerKey: string) {
  const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:3000' });
  const admin = { authorization: \`Bearer \${adminKey}\` };
  const officer = { authorization: \`Bearer \${officerKey}\` };

  const market = await client.POST('/v1/markets', {
    headers: admin,
    body: { name: '马家岩建材市场二期', city: '重庆', category: 'building_materials', operatorId: 'opr_demo_majiayan' },
  });
  if (!market.data) throw new Error(market.error.code);
  const marketId: string = market.data.id;

  const merchant = await client.POST('/v1/merchants', {
    headers: officer,
    body: { name: '刘记五金建材', idNumber: '500107198506142013', phone: '13908361299', marketId, stallNo: 'B-208' },
  });
  if (merchant.error) {
    // The codes this operation documents, as a union: a typo would not compile.
    const code: 'DUPLICATE_MERCHANT' | 'NOT_FOUND' | string = merchant.error.code;
    throw new Error(code);
  }

  const request: ApplicationRequest = {
    merchantId: merchant.data.id,
    survey: {
      businessForm: 'individual', businessModel: 'distributor', tenureMonths: 83, storeCount: 2,
      annualSales: 6_900_000_000, netMargin: 0.106, inventoryValue: 1_028_100_000,
      inventoryTurnoverDays: 60, receivables: 127_587_744, payables: 161_552_330,
      existingDebt: 0, monthlyDebtService: 0, creditHistory: 'clean', leaseRemainingMonths: 14,
    },
    request: { product: 'any', amount: 200_000_000, termMonths: 12, purpose: 'working_capital' },
  };
  const application = await client.POST('/v1/applications', {
    headers: officer,
    params: { header: { 'idempotency-key': 'mjy01-2026-12-02-1' } },
    body: request,
  });
  if (!application.data) throw new Error(application.error.code);
  const outcome: 'approve' | 'refer' | 'decline' = application.data.decision.outcome;
  const offer = application.data.offers[0];
  if (outcome !== 'approve' || !offer) return null;
  const amountFen: number = offer.amount;
  const due: string | null | undefined = offer.schedule[0]?.dueDate;

  const read = await client.GET('/v1/offers/{id}', { headers: officer, params: { path: { id: offer.id } } });
  if (!read.data) throw new Error(read.error.code);

  const accepted = await client.POST('/v1/offers/{id}/accept', {
    headers: officer,
    params: { path: { id: offer.id }, header: { 'idempotency-key': 'accept-1' } },
  });
  if (!accepted.data) {
    const code: string = accepted.error.code;
    throw new Error(code);
  }
  const status: 'accepted' | 'booked' | 'pending' | 'offered' | 'declined' | 'expired' | 'withdrawn' =
    accepted.data.status;
  return { amountFen, due, status };
}

export async function mistakes(client: ReturnType<typeof createClient<paths>>) {
  // @ts-expect-error money is an integer of fen, not a string of 元
  const wrongMoney: ApplicationRequest['survey']['annualSales'] = '690万';
  // @ts-expect-error an unknown market category
  await client.POST('/v1/markets', { body: { name: 'x', city: 'y', category: 'toys', operatorId: 'o' } });
  // @ts-expect-error accept needs its Idempotency-Key
  await client.POST('/v1/offers/{id}/accept', { params: { path: { id: 'off_x' } } });
  const app = await client.GET('/v1/applications/{id}', { params: { path: { id: 'app_x' } } });
  // @ts-expect-error the outcome is a closed set
  const maybe: 'maybe' = app.data?.decision.outcome;
  return [wrongMoney, maybe];
}
`;

describe('a client generated from openapi/openapi.json', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mla-contract-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('type-checks a partner flow (market, merchant, application, offers, accept)', () => {
    execFileSync(
      bin('openapi-typescript'),
      [path.join(ROOT, 'openapi/openapi.json'), '-o', path.join(dir, 'api.ts')],
      { stdio: 'pipe' },
    );
    writeFileSync(path.join(dir, 'flow.ts'), FLOW);
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'bundler',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          lib: ['ES2022', 'DOM'],
          types: [],
          baseUrl: ROOT,
          paths: { 'openapi-fetch': ['node_modules/openapi-fetch'] },
        },
        files: ['flow.ts'],
      }),
    );
    let output = '';
    try {
      execFileSync(bin('tsc'), ['-p', path.join(dir, 'tsconfig.json')], { stdio: 'pipe' });
    } catch (err) {
      output = String((err as { stdout?: Buffer }).stdout ?? err);
    }
    expect(output).toBe('');
  }, 120_000);
});
