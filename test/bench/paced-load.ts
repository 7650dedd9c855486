import http from 'node:http';

export interface PacedResult {
  sent: number;
  rps: number;
  p50: number;
  p975: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
}

/**
 * Open-loop load at an even pace: request i is due at i/rate seconds and its latency counts from
 * then, so a stall in the service (or a queue for a free connection) shows in the figures.
 * autocannon's overallRate instead lets each connection send its whole per-second quota at the
 * start of every second, so its latencies measure how fast a burst drains, not a steady rate.
 */
export async function pacedLoad(opts: {
  url: string;
  rate: number;
  seconds: number;
  connections: number;
  request: (i: number) => { body: string; headers: Record<string, string> };
}): Promise<PacedResult> {
  const url = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const total = Math.round(opts.rate * opts.seconds);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const start = performance.now();
  const inFlight: Promise<void>[] = [];

  const send = (i: number, due: number) =>
    new Promise<void>((resolve) => {
      const { body, headers } = opts.request(i);
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) non2xx++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });

  let next = 0;
  while (next < total) {
    const elapsed = performance.now() - start;
    const dueCount = Math.min(total, Math.floor((elapsed / 1000) * opts.rate) + 1);
    for (; next < dueCount; next++) inFlight.push(send(next, start + (next * 1000) / opts.rate));
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    sent: total,
    rps: total / seconds,
    p50: at(0.5),
    p975: at(0.975),
    p99: at(0.99),
    max: Math.round(latencies[latencies.length - 1] ?? 0),
    non2xx,
    errors,
  };
}
