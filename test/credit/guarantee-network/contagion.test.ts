import { debtRanks } from '../../../src/credit/guarantee-network/centrality';
import {
  equalShares,
  mulberry32,
  pickDefaults,
  runStress,
} from '../../../src/credit/guarantee-network/contagion';
import { group, individual, merchant, network, operator, operatorEdge } from './fixtures';

/**
 * The hand-checked network:
 *   group g1 of a, b, c with loans a 300,000, b 120,000, c 90,000 fen (each member guarantees
 *   every other member's loan in full); d guarantees 50,000 of c's loan individually; the
 *   operator opr_1 guarantees a's operator loan of 200,000.
 *   Annual net profit: a 1,000,000, b 200,000, c 400,000, d 60,000; failure share 0.5, so the
 *   buffers are a 500,000, b 100,000, c 200,000, d 30,000.
 */
const handNetwork = network(
  [
    ...group('g1', { a: 300_000, b: 120_000, c: 90_000 }),
    individual('d', 'c', 50_000),
    operatorEdge('opr_1', 'a', 200_000),
  ],
  [
    merchant('a', 1_000_000),
    merchant('b', 200_000),
    merchant('c', 400_000),
    merchant('d', 60_000),
    operator('opr_1'),
  ],
);

describe('runStress', () => {
  it('cascades round by round as worked out by hand', () => {
    const r = runStress({ network: handNetwork, defaults: ['a'], failureShare: 0.5 });
    // Round 1: a defaults. Its group loan 300,000 is shared by b and c: 150,000 each; the
    // operator pays 200,000. Called 500,000. b: 150,000 > 100,000 fails; c: 150,000 <= 200,000.
    expect(r.rounds[0]).toEqual({
      round: 1,
      defaulted: ['a'],
      calledFen: 500_000,
      calls: [
        {
          guarantorId: 'b',
          guarantorKind: 'merchant',
          amountFen: 150_000,
          calledTotalFen: 150_000,
          bufferFen: 100_000,
          fails: true,
        },
        {
          guarantorId: 'c',
          guarantorKind: 'merchant',
          amountFen: 150_000,
          calledTotalFen: 150_000,
          bufferFen: 200_000,
          fails: false,
        },
        {
          guarantorId: 'opr_1',
          guarantorKind: 'operator',
          amountFen: 200_000,
          calledTotalFen: 200_000,
          bufferFen: null,
          fails: false,
        },
      ],
      calledFromMerchantsFen: 300_000,
      calledFromOperatorsFen: 200_000,
      uncoveredFen: 0,
      unpaidByDefaultersFen: 0,
      lenderLossFen: 0,
    });
    // Round 2: b defaults. Its loan 120,000: a has failed, c alone pays 120,000 (its edge is
    // 120,000). c: 150,000 + 120,000 = 270,000 > 200,000 fails. b does not pay its 150,000.
    expect(r.rounds[1]).toMatchObject({
      defaulted: ['b'],
      calledFen: 120_000,
      calls: [
        expect.objectContaining({
          guarantorId: 'c',
          amountFen: 120_000,
          calledTotalFen: 270_000,
          fails: true,
        }),
      ],
      uncoveredFen: 0,
      unpaidByDefaultersFen: 150_000,
      lenderLossFen: 150_000,
    });
    // Round 3: c defaults. Its group loan 90,000 has no guarantor left (a, b failed): uncovered.
    // d is called for its 50,000 > 30,000: fails. c does not pay its 270,000.
    // Loss 90,000 + 270,000 = 360,000.
    expect(r.rounds[2]).toMatchObject({
      defaulted: ['c'],
      calledFen: 140_000,
      calls: [expect.objectContaining({ guarantorId: 'd', amountFen: 50_000, fails: true })],
      uncoveredFen: 90_000,
      unpaidByDefaultersFen: 270_000,
      lenderLossFen: 360_000,
    });
    // Round 4: d defaults; it has no guaranteed loans; its 50,000 is not paid. Nobody new fails.
    expect(r.rounds[3]).toMatchObject({
      defaulted: ['d'],
      calledFen: 0,
      calls: [],
      lenderLossFen: 50_000,
    });
    expect(r.rounds).toHaveLength(4);
    // Called 500,000 + 120,000 + 140,000 = 760,000; lost 0 + 150,000 + 360,000 + 50,000 =
    // 560,000; paid 760,000 - 560,000 = 200,000: the operator's payment only.
    expect(r.totals).toEqual({ calledFen: 760_000, paidFen: 200_000, lenderLossFen: 560_000 });
    expect(r.failed).toEqual(['b', 'c', 'd']);
    expect(r.defaulted).toEqual(['a', 'b', 'c', 'd']);
  });

  it('stops at once when every guarantor can pay', () => {
    // With a share of 1 the buffers double: b 200,000 >= 150,000, c 400,000 >= 150,000.
    const r = runStress({ network: handNetwork, defaults: ['a'], failureShare: 1 });
    expect(r.rounds).toHaveLength(1);
    expect(r.failed).toEqual([]);
    expect(r.totals).toEqual({ calledFen: 500_000, paidFen: 500_000, lenderLossFen: 0 });
  });

  it('a merchant with no known profit fails on any call; operators and unknown ids do not default', () => {
    const net = network([individual('x', 'y', 1)], [merchant('x', null), merchant('y', 10)]);
    const r = runStress({ network: net, defaults: ['y', 'nobody', 'opr_1'], failureShare: 0.5 });
    expect(r.rounds[0]?.defaulted).toEqual(['y']);
    expect(r.failed).toEqual(['x']);
  });

  it('shares a group loan in whole fen, the odd fen to the first by id', () => {
    expect(equalShares(100_001, 3)).toEqual([33_334, 33_334, 33_333]);
    const r = runStress({
      network: network(group('g', { p: 0, q: 0, r: 0, s: 100_001 })),
      defaults: ['s'],
      failureShare: 0.5,
    });
    expect(r.rounds[0]?.calls.map((c) => [c.guarantorId, c.amountFen])).toEqual([
      ['p', 33_334],
      ['q', 33_334],
      ['r', 33_333],
    ]);
  });
});

describe('pickDefaults', () => {
  const ids = Array.from({ length: 100 }, (_, i) => `m${String(i).padStart(3, '0')}`);
  it('is the same for the same seed, another for another seed, whatever the input order', () => {
    const one = pickDefaults(ids, 0.1, 7);
    expect(one).toHaveLength(10);
    expect(pickDefaults([...ids].reverse(), 0.1, 7)).toEqual(one);
    expect(pickDefaults(ids, 0.1, 8)).not.toEqual(one);
    expect(new Set(one).size).toBe(10);
  });
  it('takes at least one when the share is positive, none when it is zero', () => {
    expect(pickDefaults(ids, 0.001, 1)).toHaveLength(1);
    expect(pickDefaults(ids, 0, 1)).toEqual([]);
    expect(pickDefaults(ids, 1, 1)).toEqual(ids);
  });
  it('mulberry32 is the published generator', () => {
    // First output for seed 1 of the reference implementation.
    expect(mulberry32(1)()).toBeCloseTo(0.6270739405881613, 12);
  });
});

describe('debtRanks', () => {
  it('matches the hand computation on a chain', () => {
    // a's loan 100 guaranteed by b (buffer 200): W(a,b) = 100/200 = 0.5.
    // b's loan 300 guaranteed by c (buffer 100): W(b,c) = min(1, 300/100) = 1.
    // Values (share of guaranteed borrowing 400): a 0.25, b 0.75, c 0.
    // a defaults: h(b) = 0.5, then h(c) = min(1, 1 x 0.5) = 0.5; DebtRank = 0.5 x 0.75 + 0.5 x 0 = 0.375.
    // b defaults: h(c) = 1; DebtRank = 1 x 0 = 0 (reach 1). c: 0 (reach 0).
    const net = network(
      [individual('b', 'a', 100), individual('c', 'b', 300)],
      [merchant('a', 1000), merchant('b', 400), merchant('c', 200)],
    );
    expect(debtRanks(net, 0.5, ['c', 'b', 'a'], 10)).toEqual([
      { merchantId: 'a', debtRank: 0.375, reach: 2 },
      { merchantId: 'b', debtRank: 0, reach: 1 },
      { merchantId: 'c', debtRank: 0, reach: 0 },
    ]);
  });

  it('passes distress once round a circle', () => {
    const net = network(
      [individual('a', 'b', 100), individual('b', 'a', 100)],
      [merchant('a', 0), merchant('b', 0)],
    );
    // Each is the other's only guarantor with no buffer: the other is fully distressed (value 0.5).
    expect(debtRanks(net, 0.5, ['a', 'b'], 1)).toEqual([
      { merchantId: 'a', debtRank: 0.5, reach: 1 },
    ]);
  });
});
