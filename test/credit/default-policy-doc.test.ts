/**
 * docs/default-policy.md describes the default policy honestly: every characteristic and
 * product has its row, each row says where its figures come from, the removed distributor
 * penalty is not scored, and no path outside the repository appears.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPolicyDocument } from '../../src/credit';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'default-policy.md'), 'utf8');
const rowOf = (name: string) => doc.split('\n').find((l) => l.startsWith(`| ${name} `)) ?? '';

describe('docs/default-policy.md', () => {
  it('gives every characteristic and product a row that names its sources', () => {
    const names = [
      ...defaultPolicyDocument.scorecard.characteristics.map((c) => c.name),
      ...Object.keys(defaultPolicyDocument.products),
    ];
    for (const name of names) {
      expect([name, rowOf(name)]).toEqual([
        name,
        expect.stringMatching(/\[(survey|convention|assumption)\]/),
      ]);
    }
  });

  it('does not score the business model: the survey counts supplier relations as a strength', () => {
    const fields = defaultPolicyDocument.scorecard.characteristics.map((c) => c.field);
    expect(fields).not.toContain('businessModel');
    expect(doc).toContain('上下游关系稳定');
  });

  it('names no path outside the repository', () => {
    expect(doc).not.toMatch(/\/work\/|\.\.\/shared|shared\/domain/);
  });
});
