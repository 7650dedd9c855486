import http from 'node:http';
import type { Socket } from 'node:net';
import type { Config } from '../config';

/**
 * Timeouts for the HTTP server, so a slow or silent client cannot hold a connection (and its
 * file handle) for as long as it likes. Fastify leaves them all off by default.
 */
export function httpServerOptions(
  config: Pick<Config, 'HEADERS_TIMEOUT_MS' | 'REQUEST_TIMEOUT_MS' | 'CONNECTION_TIMEOUT_MS'>,
): {
  connectionTimeout: number;
  requestTimeout: number;
  http: http.ServerOptions;
  clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => void;
} {
  const headersTimeout = Math.min(config.HEADERS_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS);
  return {
    // A socket with no bytes either way this long is closed (a client gone silent).
    connectionTimeout: config.CONNECTION_TIMEOUT_MS,
    // The whole request, headers and body, must arrive within this; handler time is not counted.
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout,
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      // Node checks the two timeouts above only this often (30 s by default, which would let a
      // stalled request live twice as long as configured).
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))),
    },
    clientErrorHandler,
  };
}

const CLIENT_ERRORS = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    statusCode: 408,
    code: 'REQUEST_TIMEOUT',
    message: 'The request was not received in time',
    messageZh: '请求未在规定时间内送达',
  },
  HPE_HEADER_OVERFLOW: {
    statusCode: 431,
    code: 'HEADERS_TOO_LARGE',
    message: 'The request headers are too large',
    messageZh: '请求头过大',
  },
} as const;
const MALFORMED = {
  statusCode: 400,
  code: 'BAD_REQUEST',
  message: 'Malformed HTTP request',
  messageZh: '请求格式无效',
};

/**
 * What Fastify's default does (answer, then close the socket), in the service's error shape.
 * Runs outside any request, so nothing here may throw.
 */
function clientErrorHandler(error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const shape = CLIENT_ERRORS[error.code as keyof typeof CLIENT_ERRORS] ?? MALFORMED;
  const body = JSON.stringify(shape);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // Closed once the answer is flushed (a client that never reads meets CONNECTION_TIMEOUT_MS).
  socket.end(
    `HTTP/1.1 ${shape.statusCode} ${http.STATUS_CODES[shape.statusCode]}\r\n` +
      'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
