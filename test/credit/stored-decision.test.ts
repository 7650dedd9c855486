import {
  compilePolicy,
  type Decision,
  type DecisionContext,
  decide,
  restoredDecision,
  storedDecision,
} from '../../src/credit';
import { activeOperator, policyCopy } from './helpers';
import { defaultRequest, sampleMerchants } from './sample';

const policy = compilePolicy(policyCopy());
const context: DecisionContext = { operator: activeOperator };
const decided: Decision[] = sampleMerchants.map((m) =>
  decide(m.survey, m.request ?? defaultRequest, policy, context),
);

describe('a decision as stored', () => {
  it('keeps no schedule, and is restored to what decide() answered, key for key', () => {
    const withLoans = decided.filter((d) => d.offers.some((o) => o.schedule.length > 0));
    expect(withLoans.length).toBeGreaterThan(100);
    for (const d of decided) {
      const stored = storedDecision(d);
      for (const o of stored.offers) expect(o).not.toHaveProperty('schedule');
      // Through JSON, as the jsonb column gives it back.
      const restored = restoredDecision(JSON.parse(JSON.stringify(stored)));
      expect(JSON.stringify(restored)).toBe(JSON.stringify(d));
    }
  });

  it('is far smaller than the answer: the schedules were most of it', () => {
    const bytes = (x: unknown) => JSON.stringify(x).length;
    const full = decided.reduce((s, d) => s + bytes(d), 0);
    const stored = decided.reduce((s, d) => s + bytes(storedDecision(d)), 0);
    expect(stored / full).toBeLessThan(0.8);
  });

  it('keeps a schedule a decision stored before (it is never rebuilt)', () => {
    const d = decided.find((x) => x.offers.some((o) => o.schedule.length > 0)) as Decision;
    const old = { ...d, offers: d.offers.map((o) => ({ ...o, schedule: [o.schedule[0]] })) };
    const restored = restoredDecision(old as Parameters<typeof restoredDecision>[0]);
    for (const o of restored.offers) expect(o.schedule).toHaveLength(1);
  });
});
