/**
 * The survey's central finding, merchant by merchant (sample version 2): with the default
 * policy the model gives a working-capital gap for exactly the merchants the CBRC 2010 formula
 * gives one (89 in Majiayan, 7 in Kai'en), each within 1 元 of the sample's own figure.
 */
import { compilePolicy, computeMetrics, defaultPolicyDocument } from '../../src/credit';
import { sampleGrowthRate, sampleMerchants, sampleVersion } from './sample';

const params = compilePolicy(defaultPolicyDocument).metricParams;
const computed = sampleMerchants.map((m) => ({
  m,
  gap: computeMetrics(m.survey, params).workingCapitalGap,
}));
const withGap = (market: string, gapOf: (x: (typeof computed)[number]) => number) =>
  computed.filter((x) => x.m.market === market && gapOf(x) > 0).map((x) => x.m.id);

describe('the CBRC formula on the survey sample', () => {
  it('reads version 2 of the sample with the growth the default policy assumes', () => {
    expect(sampleVersion).toBe(2);
    expect(params.growthRate).toBe(sampleGrowthRate);
  });

  it('gives a positive gap for exactly the merchants whose sample gap is positive', () => {
    const sampleGap = (x: (typeof computed)[number]) => x.m.workingCapitalGap;
    const modelGap = (x: (typeof computed)[number]) => x.gap;
    expect(withGap('majiayan', sampleGap)).toHaveLength(89);
    expect(withGap('kaien', sampleGap)).toHaveLength(7);
    expect(withGap('majiayan', modelGap)).toEqual(withGap('majiayan', sampleGap));
    expect(withGap('kaien', modelGap)).toEqual(withGap('kaien', sampleGap));
  });

  it('computes each gap within 1 元 (100 fen) of the sample', () => {
    const off = computed.filter((x) => Math.abs(x.gap - x.m.workingCapitalGap) > 100);
    expect(off.map((x) => [x.m.id, x.gap, x.m.workingCapitalGap])).toEqual([]);
  });

  it("averages about 2,000,000 元 in Majiayan and stays under 500,000 元 in Kai'en", () => {
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const gaps = (market: string) =>
      computed.filter((x) => x.m.market === market && x.gap > 0).map((x) => x.gap);
    expect(mean(gaps('majiayan')) / 100).toBeCloseTo(2_000_000, -4);
    expect(Math.max(...gaps('kaien'))).toBeLessThan(50_000_000);
  });
});
