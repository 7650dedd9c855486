/**
 * Shared by the fuzz and security tests: the routes the running app registered, a fingerprint
 * of every table (to prove "nothing written"), and the error-shape check. Not a test file.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { TestApp } from '../helpers/test-app';

/** Every route each Fastify instance registered (by creation order), once captured. */
export const capturedRoutes: { instance: number; route: RouteOptions }[] = [];
let instances = 0;

/**
 * For `jest.mock('fastify', () => require('../security/support').fastifyWithRouteCapture())`:
 * fastify, with an onRoute hook on every instance, so a test sees each route's schema and
 * config (roles) exactly as the app registered them.
 */
export function fastifyWithRouteCapture() {
  const actual = jest.requireActual('fastify');
  const factory = (...args: unknown[]) => {
    const app = actual(...args);
    const instance = instances++;
    app.addHook('onRoute', (route: RouteOptions) => {
      capturedRoutes.push({ instance, route });
    });
    return app;
  };
  return Object.assign(factory, actual, { default: factory, fastify: factory });
}

/** The routes of the first app built in the file, one per method and URL (HEAD dropped). */
export function routeList(instance = 0): { method: string; url: string; route: RouteOptions }[] {
  const seen = new Set<string>();
  const out: { method: string; url: string; route: RouteOptions }[] = [];
  for (const { route } of capturedRoutes.filter((c) => c.instance === instance))
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      const key = `${method} ${route.url}`;
      if (method === 'HEAD' || seen.has(key)) continue;
      seen.add(key);
      out.push({ method, url: route.url, route });
    }
  return out;
}

export interface RegisteredRoute {
  method: string;
  /** Fastify's pattern, e.g. /v1/policies/:id/publish */
  url: string;
}

/**
 * Every route the app registered, read from `printRoutes({commonPrefix: false})`: each line is
 * a tree node whose segment extends its parent's, with its methods in parentheses.
 */
export function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  const out: RegisteredRoute[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const at = line.search(/[├└]── /);
    if (at < 0) continue;
    const depth = at / 4;
    const node = line.slice(at + 4);
    const m = /^(.*?)(?: \(([A-Z, ]+)\))?$/.exec(node);
    const segment = m?.[1] ?? node;
    stack.length = depth;
    const url = (stack[depth - 1] ?? '') + segment;
    stack[depth] = url;
    for (const method of (m?.[2] ?? '').split(',').map((s) => s.trim())) {
      if (method) out.push({ method, url });
    }
  }
  return out;
}

/** /v1/policies/:id → /v1/policies/{id}, as OpenAPI spells path parameters. */
export const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

interface Rows {
  rows: Record<string, unknown>[];
}

const BOOKKEEPING: Record<string, string> = { api_keys: 'last_used_at' };

/** A digest of every row of every table: any insert, update or delete changes it. */
export async function fingerprint(t: TestApp): Promise<Record<string, string>> {
  const db = t.testDb.database.db;
  const tables = (
    (await db.execute(
      sql`select table_name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    )) as unknown as Rows
  ).rows.map((r) => String(r.table_name));
  const out: Record<string, string> = {};
  for (const table of tables) {
    // When a key last authenticated is bookkeeping of the authentication, not a write by the
    // command: a refused request may still stamp it.
    const row = BOOKKEEPING[table] ? `(to_jsonb(t) - '${BOOKKEEPING[table]}')` : 't';
    const res = (await db.execute(
      sql.raw(
        `select count(*)::int as n, coalesce(md5(string_agg(${row}::text, '|' order by ${row}::text)), '') as h from "${table}" t`,
      ),
    )) as unknown as Rows;
    out[table] = `${res.rows[0]?.n}:${res.rows[0]?.h}`;
  }
  return out;
}

/** The one error shape: {statusCode, code, message, messageZh?, details?}, statusCode = HTTP status. */
export function errorShapeProblems(status: number, body: unknown): string[] {
  const problems: string[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return [`body is not an object: ${JSON.stringify(body)?.slice(0, 200)}`];
  const b = body as Record<string, unknown>;
  if (b.statusCode !== status) problems.push(`statusCode ${String(b.statusCode)} != ${status}`);
  if (typeof b.code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(b.code))
    problems.push(`code ${String(b.code)} is not SCREAMING_SNAKE`);
  if (typeof b.message !== 'string') problems.push('message is not a string');
  const allowed = new Set(['statusCode', 'code', 'message', 'messageZh', 'details']);
  for (const k of Object.keys(b)) if (!allowed.has(k)) problems.push(`unexpected key ${k}`);
  if (b.details !== undefined) {
    if (!Array.isArray(b.details)) problems.push('details is not a list');
    else
      for (const d of b.details as Record<string, unknown>[])
        if (typeof d?.path !== 'string' || typeof d?.message !== 'string')
          problems.push(`detail without path/message: ${JSON.stringify(d)}`);
  }
  const text = JSON.stringify(b);
  if (/\bat .+\.(ts|js):\d+|node_modules|\bselect\b.+\bfrom\b|\binsert into\b/i.test(text))
    problems.push('error body leaks a stack trace or SQL');
  return problems;
}
