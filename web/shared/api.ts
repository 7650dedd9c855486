/**
 * The public API, as the pages use it: the key from session storage (never the URL), JSON in
 * and out, errors in the service's one shape. A request that got no answer is a NetworkError,
 * so callers can tell "not sent / not answered" from "refused".
 */
import { tr } from './i18n';

export interface FieldProblem {
  path: string;
  message: string;
  messageZh?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messageZh: string | undefined,
    readonly details: FieldProblem[],
    readonly existingId?: string,
  ) {
    super(message);
  }

  /** The message in the page's language. */
  text(): string {
    return tr(this.messageZh ?? this.message, this.message);
  }
}

export class NetworkError extends Error {}

const KEY_STORE = 'mlk.apiKey';

export const session = {
  key: (): string | null => sessionStorage.getItem(KEY_STORE),
  signIn: (key: string) => sessionStorage.setItem(KEY_STORE, key),
  signOut: () => sessionStorage.removeItem(KEY_STORE),
};

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  idempotencyKey?: string;
  /** Another key than the session's (the risk page's second person for publishing). */
  apiKey?: string;
}

export async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const key = options.apiKey ?? session.key();
  if (key) headers.authorization = `Bearer ${key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
    });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    // A proxy's HTML error page, or the answer cut off: treat it as no answer.
    if (res.ok || res.status >= 500) throw new NetworkError(`unreadable answer ${res.status}`);
    body = {};
  }
  if (!res.ok) {
    const e = body as Partial<ApiError> & { existingId?: string };
    throw new ApiError(
      res.status,
      e.code ?? 'HTTP_ERROR',
      e.message ?? `HTTP ${res.status}`,
      e.messageZh,
      e.details ?? [],
      e.existingId,
    );
  }
  return body as T;
}

/** A list page: `{data, nextCursor}`. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * A random UUID v4. crypto.randomUUID needs a secure context, which a phone opening the
 * service by its LAN address over plain HTTP is not; getRandomValues works everywhere.
 */
export function newKey(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
