import net from 'node:net';

/**
 * A TCP proxy for fault tests: put it between the app's pool and PostgreSQL, then `cut()` to
 * make the database vanish (every live connection destroyed, new ones refused) and `restore()`
 * to bring it back. No change to the code under test: only the URL it is given.
 */
export interface TcpProxy {
  /** The port the proxy listens on (127.0.0.1). */
  port: number;
  /** Connections currently piped through. */
  readonly liveConnections: number;
  /** Destroys every live connection and refuses new ones (RST, like a dead host's port). */
  cut(): void;
  /** Keeps every connection open but forwards nothing (packets dropped, no reset). */
  silence(): void;
  /** Accepts and forwards connections again. */
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const live = new Set<net.Socket>();
  let down = false;
  let silent = false;

  const server = net.createServer((client) => {
    // A refused connection: reset at once, as a closed port would.
    if (down) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    live.add(client);
    live.add(upstream);
    const drop = () => {
      live.delete(client);
      live.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    // Forwarded by hand, so silence() can drop bytes while both sockets stay open.
    client.on('data', (data) => {
      if (!silent) upstream.write(data);
    });
    upstream.on('data', (data) => {
      if (!silent) client.write(data);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');

  return {
    port: address.port,
    get liveConnections() {
      return live.size / 2;
    },
    cut() {
      down = true;
      for (const socket of [...live]) socket.resetAndDestroy();
      live.clear();
    },
    silence() {
      silent = true;
    },
    restore() {
      down = false;
      silent = false;
    },
    async close() {
      down = true;
      for (const socket of [...live]) socket.destroy();
      live.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The same URL with its host and port replaced by the proxy's. */
export function viaProxy(url: string, proxy: TcpProxy): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
}
