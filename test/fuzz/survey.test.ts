/**
 * The survey schema is the first thing hostile input meets in the credit model: whatever it is
 * given, it answers (safeParse) or throws a ZodError (parse), never anything else.
 */
import fc from 'fast-check';
import { ZodError } from 'zod';
import { surveySchema } from '../../src/credit/survey';
import { strongSurvey } from '../helpers/fixtures';
import { hostileBody } from './generators';

describe('surveySchema under random input', () => {
  it('safeParse never throws, whatever the input', () => {
    fc.assert(
      fc.property(hostileBody(strongSurvey()), (input) => {
        const result = surveySchema.safeParse(input);
        if (!result.success) expect(result.error).toBeInstanceOf(ZodError);
      }),
      { numRuns: 500 },
    );
  });

  it('parse throws nothing but a ZodError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), hostileBody(strongSurvey())), (input) => {
        try {
          surveySchema.parse(input);
        } catch (err) {
          expect(err).toBeInstanceOf(ZodError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('rejects every single-field corruption of a valid survey that breaks a bound', () => {
    const base = strongSurvey();
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(base) as (keyof typeof base)[])),
        fc.constantFrom(null, '1', -1, 1e308, Number.NaN, 0.5, [], {}, true),
        (field, value) => {
          const input = { ...base, [field]: value };
          const result = surveySchema.safeParse(input);
          // Only netMargin (a ratio, -1..1) takes -1 or 0.5; every other corruption is refused.
          const fine =
            field === 'netMargin' && typeof value === 'number' && value >= -1 && value <= 1;
          expect(result.success).toBe(fine);
        },
      ),
      { numRuns: 300 },
    );
  });
});
