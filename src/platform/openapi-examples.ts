/**
 * The document's examples: each operation's request and answer from the scenario that
 * `npm run openapi:examples` runs on the demo data (scripts/examples/scenario.ts), stored in
 * openapi/examples.json and attached here to parameters, request bodies and responses.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

type Json = Record<string, unknown>;

export interface OperationExample {
  params?: Record<string, string>;
  query?: Record<string, string | number>;
  headers?: Record<string, string>;
  body?: unknown;
  status: number;
  response: unknown;
}

/** openapi/examples.json, from src/platform or dist/platform alike; none when it is absent. */
export function loadExamples(): Record<string, OperationExample> {
  const file = path.resolve(__dirname, '../../openapi/examples.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** A response the route declares no schema for (the document itself, the metrics text). */
function bareContent(example: unknown) {
  return typeof example === 'string'
    ? { 'text/plain': { schema: { type: 'string', maxLength: 10_000_000 }, example } }
    : {
        'application/json': {
          schema: { type: 'object', description: 'The OpenAPI 3.1 document' },
          example,
        },
      };
}

export function declareExamples(doc: Json, examples: Record<string, OperationExample>): void {
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      const example = op && examples[op.operationId as string];
      if (!op || !example) continue;
      for (const p of (op.parameters ?? []) as Json[]) {
        const from =
          p.in === 'path' ? example.params : p.in === 'query' ? example.query : example.headers;
        const value = from?.[p.name as string];
        if (value !== undefined) p.example = value;
      }
      const body = (op.requestBody as Json | undefined)?.content as
        | Record<string, Json>
        | undefined;
      if (body?.['application/json'] && example.body !== undefined)
        body['application/json'].example = example.body;
      const response = (op.responses as Record<string, Json> | undefined)?.[String(example.status)];
      if (!response) continue;
      const content = response.content as Record<string, Json> | undefined;
      const media = content && Object.values(content)[0];
      if (media) media.example = example.response;
      else response.content = bareContent(example.response);
    }
  }
}
