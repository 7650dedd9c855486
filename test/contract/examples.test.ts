/**
 * The document's examples are a contract too: every operation has them, each validates against
 * its own schema, and the scenario they come from (scripts/examples/scenario.ts), run again on
 * a fresh seeded database, gets every documented status with answers that fit the schemas.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { runScenario, type StepResult } from '../../scripts/examples/run';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

// biome-ignore lint/suspicious/noExplicitAny: the document is read as plain JSON.
type Json = Record<string, any>;
const doc: Json = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../openapi/openapi.json'), 'utf8'),
);
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const operations: { id: string; path: string; method: string; op: Json }[] = [];
for (const [p, item] of Object.entries(doc.paths as Record<string, Json>))
  for (const method of METHODS)
    if (item[method])
      operations.push({ id: item[method].operationId, path: p, method, op: item[method] });

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
/** A validator for a schema of the document, its `#/components/...` refs resolved. */
const validatorOf = (schema: Json) => ajv.compile({ ...schema, components: doc.components });
const problemsOf = (schema: Json, value: unknown) => {
  const validate = validatorOf(schema);
  return validate(value) ? [] : (validate.errors ?? []).slice(0, 5);
};

describe('OpenAPI examples', () => {
  it.each(operations.map((o) => [o.id, o] as const))(
    '%s has a request and answer example',
    (_id, o) => {
      const success = Object.entries(o.op.responses as Record<string, Json>).filter(([s]) =>
        s.startsWith('2'),
      );
      const examples = success.filter(([, r]) =>
        Object.values((r.content ?? {}) as Record<string, Json>).some(
          (m) => m.example !== undefined,
        ),
      );
      expect(examples.length).toBeGreaterThan(0);
      if (o.op.requestBody?.required)
        expect(o.op.requestBody.content['application/json'].example).toBeDefined();
      for (const p of (o.op.parameters ?? []) as Json[])
        if (p.in === 'path' || p.required)
          expect([p.name, p.example]).toEqual([p.name, expect.anything()]);
    },
  );

  it.each(operations.map((o) => [o.id, o] as const))(
    '%s: its examples fit their schemas',
    (_id, o) => {
      for (const p of (o.op.parameters ?? []) as Json[])
        if (p.example !== undefined)
          expect([p.name, problemsOf(p.schema, p.example)]).toEqual([p.name, []]);
      const body = o.op.requestBody?.content?.['application/json'];
      if (body?.example !== undefined) expect(problemsOf(body.schema, body.example)).toEqual([]);
      for (const [status, r] of Object.entries(o.op.responses as Record<string, Json>))
        for (const media of Object.values((r.content ?? {}) as Record<string, Json>))
          if (media.example !== undefined)
            expect([status, problemsOf(media.schema, media.example)]).toEqual([status, []]);
    },
  );

  describe('the scenario, sent again to a fresh server on the demo data', () => {
    let testDb: TestDatabase;
    let results: StepResult[];
    beforeAll(async () => {
      testDb = await createTestDatabase();
      results = await runScenario(testDb.database);
    }, 120_000);
    afterAll(() => testDb.dispose());

    it('covers every operation of the document', () => {
      const run = new Set(results.map((r) => r.step.operationId));
      expect(operations.map((o) => o.id).filter((id) => !run.has(id))).toEqual([]);
    });

    it('gets each documented status, with an answer that fits its schema', () => {
      const problems: unknown[] = [];
      for (const r of results) {
        const o = operations.find((x) => x.id === r.step.operationId);
        const documented = o?.op.responses?.[String(r.status)];
        if (r.status !== r.step.status || !documented) {
          problems.push([r.step.operationId, r.status, r.step.status, r.response]);
          continue;
        }
        if (r.step.setup) continue;
        const example = Object.values((documented.content ?? {}) as Record<string, Json>)[0];
        if (!example?.example) problems.push([r.step.operationId, 'no example at', r.status]);
        const schema = example?.schema;
        if (schema && typeof r.response === 'object') {
          const found = problemsOf(schema, r.response);
          if (found.length > 0) problems.push([r.step.operationId, found]);
        }
      }
      expect(problems).toEqual([]);
    });
  });
});
