/** What the document shows of a scenario step: its request and its answer, shortened where long. */
import type { StepResult } from './run';

export interface DocumentedExample {
  params?: Record<string, string>;
  query?: Record<string, string | number>;
  headers?: Record<string, string>;
  body?: unknown;
  status: number;
  response: unknown;
}

/** The API key a partner sees once: never a real one in the document. */
const EXAMPLE_SECRET = 'mlk_Xk4dEMOpart_q7Vb2sExampleOnlyNotARealKey00000';

function shown(result: StepResult): unknown {
  const { response } = result;
  switch (result.step.operationId) {
    case 'getOpenApi':
      // The document itself: its head only.
      return {
        openapi: (response as { openapi: string }).openapi,
        info: (response as { info: unknown }).info,
      };
    case 'getMetrics':
      return String(response).split('\n').slice(0, 6).join('\n');
    case 'createApiKey':
      return { ...(response as object), secret: EXAMPLE_SECRET };
    default:
      return response;
  }
}

export function documentedExamples(results: StepResult[]): Record<string, DocumentedExample> {
  const examples: Record<string, DocumentedExample> = {};
  for (const r of results) {
    if (r.step.setup) continue;
    examples[r.step.operationId] = {
      ...(r.params ? { params: r.params } : {}),
      ...(r.query ? { query: r.query } : {}),
      ...(r.step.headers ? { headers: r.step.headers } : {}),
      ...(r.body === undefined ? {} : { body: r.body }),
      status: r.status,
      response: shown(r),
    };
  }
  return examples;
}
