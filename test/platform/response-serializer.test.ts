/**
 * Answers are checked with zod's parse where the schema encodes as it parses (issue #11: the
 * encode direction checks every node twice), and with encode where it does not.
 */
import { z } from 'zod';
import { eventSchema } from '../../src/modules/events/schemas';
import {
  applicationSchema,
  exposureSchema,
  groupSchema,
} from '../../src/modules/origination/schemas';
import { policySchema } from '../../src/modules/policies/schemas';
import { jsonValueSchema } from '../../src/platform/json-value';
import { encodesLikeItParses, serializerCompiler } from '../../src/platform/response-serializer';
import { errorSchema } from '../../src/platform/schemas';
import { seedDemo } from '../helpers/fixtures';
import { createTestApp, type TestApp } from '../helpers/test-app';
import {
  applicationBody,
  MJY,
  strongSurvey,
  submit,
} from '../modules/origination/applications/helpers';

const serialize = (schema: z.ZodType, data: unknown) =>
  serializerCompiler({ schema, method: 'GET', url: '/x', httpStatus: '200' })(data);

describe('encodesLikeItParses', () => {
  it('is true for plain schemas, however nested, and for recursive ones', () => {
    expect(
      encodesLikeItParses(
        z.object({
          a: z.array(z.union([z.string(), z.number().int().nullable()])),
          b: z.record(z.string(), z.object({ c: z.iso.datetime().optional() })),
          d: z.discriminatedUnion('kind', [
            z.object({ kind: z.literal('x'), x: z.number() }),
            z.object({ kind: z.literal('y'), y: z.string() }),
          ]),
        }),
      ),
    ).toBe(true);
    expect(encodesLikeItParses(jsonValueSchema as z.ZodType)).toBe(true);
  });

  it.each([
    ['a default', z.object({ a: z.array(z.object({ b: z.number().default(1) })) })],
    ['a transform', z.object({ a: z.union([z.string().transform((s) => s.length), z.null()]) })],
    [
      'a codec',
      z.object({
        at: z.codec(z.iso.datetime(), z.date(), {
          decode: (s) => new Date(s),
          encode: (d) => d.toISOString(),
        }),
      }),
    ],
    ['a catch', z.record(z.string(), z.number().catch(0))],
    ['a prefault', z.object({ a: z.object({ b: z.string() }).prefault({ b: 'x' }) })],
  ])('is false for %s anywhere inside', (_, schema) => {
    expect(encodesLikeItParses(schema as z.ZodType)).toBe(false);
  });

  it("holds for the API's main answers", () => {
    for (const schema of [
      applicationSchema,
      groupSchema,
      exposureSchema,
      policySchema,
      eventSchema,
      errorSchema,
    ])
      expect(encodesLikeItParses(schema as z.ZodType)).toBe(true);
  });
});

describe('serializerCompiler', () => {
  it('answers what encode answers: a codec is encoded, a plain schema strips unknown keys', () => {
    const withCodec = z.object({
      at: z.codec(z.iso.datetime(), z.date(), {
        decode: (s) => new Date(s),
        encode: (d) => d.toISOString(),
      }),
    });
    const at = new Date('2026-12-03T00:00:00.000Z');
    expect(serialize(withCodec, { at })).toBe('{"at":"2026-12-03T00:00:00.000Z"}');
    expect(serialize(z.object({ a: z.number() }), { a: 1, secret: 'x' })).toBe('{"a":1}');
  });

  it('refuses an answer that does not match its schema (a 500, never a wrong shape)', () => {
    expect(() => serialize(z.object({ a: z.number() }), { a: 'one' })).toThrow(
      /Response doesn't match the schema/,
    );
  });

  describe('on real answers', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
      await seedDemo(t);
    });
    afterAll(() => t.close());

    it("gives a submission's answer byte for byte as zod's encode", async () => {
      const officer = await t.issueKey('officer', { marketIds: [MJY] });
      const res = await submit(t, officer, applicationBody('mer_demo_mjy01', strongSurvey()));
      expect(res.status).toBe(201);
      const view = JSON.parse(res.text);
      expect(res.text).toBe(JSON.stringify(z.encode(applicationSchema, view)));
      expect(serialize(applicationSchema as z.ZodType, view)).toBe(res.text);
    });
  });
});
