/**
 * Error codes as a contract: each error response of the document lists the codes it can carry,
 * and in test mode a route that answers a code it did not declare answers 500 instead, so every
 * test that provokes an error also checks the document (src/platform/error-codes.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { conflict } from '../../src/lib/errors';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

// biome-ignore lint/suspicious/noExplicitAny: the document is read as plain JSON.
type Json = Record<string, any>;
const doc: Json = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../openapi/openapi.json'), 'utf8'),
);

test('every error response of every operation lists its codes, and each code is SCREAMING_SNAKE', () => {
  const problems: string[] = [];
  for (const [p, item] of Object.entries(doc.paths as Record<string, Json>))
    for (const [method, op] of Object.entries(item as Record<string, Json>))
      for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
        if (Number(status) < 400) continue;
        const schema = response.content?.['application/json']?.schema;
        const codes: unknown = schema?.allOf?.[1]?.properties?.code?.enum;
        if (!Array.isArray(codes) || codes.length === 0) problems.push(`${method} ${p} ${status}`);
        else if (codes.some((c) => !/^[A-Z][A-Z0-9_]*$/.test(String(c))))
          problems.push(`${method} ${p} ${status}: ${codes}`);
        if (!response.description || response.description === 'Default Response')
          problems.push(`${method} ${p} ${status}: no description`);
      }
  expect(problems).toEqual([]);
});

describe('in test mode, an undeclared code', () => {
  let testDb: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    app = await buildApp({
      config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
      database: testDb.database,
    });
    const boom = () => {
      throw conflict('SOMETHING_ELSE', 'a conflict', '冲突');
    };
    const route = (operationId: string, codes: string[]) => ({
      schema: { operationId },
      config: { public: true, errors: { 409: codes } },
    });
    app.get('/v1/test/declared', route('testDeclared', ['SOMETHING_ELSE']), boom);
    app.get('/v1/test/undeclared', route('testUndeclared', ['NOT_IT']), boom);
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await testDb.dispose();
  });

  it('passes when the route declares it', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/test/declared' });
    expect([res.statusCode, res.json().code]).toEqual([409, 'SOMETHING_ELSE']);
  });

  it('is refused with 500 UNDECLARED_ERROR_CODE naming the route and the code', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/test/undeclared' });
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('UNDECLARED_ERROR_CODE');
    expect(res.json().message).toContain('409 SOMETHING_ELSE');
  });
});
