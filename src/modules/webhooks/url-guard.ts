import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * The SSRF guard for webhook URLs: the service POSTs to whatever a partner registers, so in
 * production a URL must be HTTPS and its host must resolve only to public addresses (never the
 * bank's network, the machine itself or a cloud metadata service). Outside production plain HTTP,
 * loopback and private addresses are allowed (a local receiver, a compose network); link-local
 * (169.254.169.254 and the like) never is. The worker checks again before each delivery, so a
 * name that later resolves inward is refused then too.
 */
export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local';

function list(kind: 'ipv4' | 'ipv6', ranges: [string, number][]): BlockList {
  const b = new BlockList();
  for (const [net, prefix] of ranges) b.addSubnet(net, prefix, kind);
  return b;
}

const LOOPBACK = { v4: list('ipv4', [['127.0.0.0', 8]]), v6: list('ipv6', [['::1', 128]]) };
const LINK_LOCAL = {
  v4: list('ipv4', [['169.254.0.0', 16]]),
  v6: list('ipv6', [['fe80::', 10]]),
};
/** Everything else that is not the public internet (RFC 6890 special-purpose ranges). */
const PRIVATE = {
  v4: list('ipv4', [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 4],
    ['240.0.0.0', 4],
  ]),
  v6: list('ipv6', [
    ['::', 128],
    // IPv4-mapped and NAT64 forms could carry any IPv4 address, internal ones included.
    ['::ffff:0:0', 96],
    ['64:ff9b::', 96],
    ['100::', 64],
    ['2001:db8::', 32],
    ['fc00::', 7],
    ['ff00::', 8],
  ]),
};

/** What kind of address `ip` (an IPv4 or IPv6 literal) is. */
export function addressKind(ip: string): AddressKind {
  const family = isIP(ip);
  if (family === 0) throw new Error(`not an IP address: ${ip}`);
  const [kind, pick] = family === 4 ? (['ipv4', 'v4'] as const) : (['ipv6', 'v6'] as const);
  if (LOOPBACK[pick].check(ip, kind)) return 'loopback';
  if (LINK_LOCAL[pick].check(ip, kind)) return 'link-local';
  if (PRIVATE[pick].check(ip, kind)) return 'private';
  return 'public';
}

export type Resolve = (host: string) => Promise<string[]>;

const resolveAll: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export interface UrlProblem {
  message: string;
  messageZh: string;
}

const problem = (message: string, messageZh: string): UrlProblem => ({ message, messageZh });

/** Why `raw` may not be a webhook URL, or null if it may. */
export async function webhookUrlProblem(
  raw: string,
  options: { production: boolean; resolve?: Resolve },
): Promise<UrlProblem | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return problem('must be an absolute URL', '须为完整的 URL 地址');
  }
  const allowed = options.production ? ['https:'] : ['https:', 'http:'];
  if (!allowed.includes(url.protocol)) {
    return options.production
      ? problem('must be an https:// URL', '须为 https:// 地址')
      : problem('must be an http:// or https:// URL', '须为 http:// 或 https:// 地址');
  }
  if (url.username || url.password)
    return problem('must not carry a user name or password', '不得包含用户名或密码');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await (options.resolve ?? resolveAll)(host);
  } catch {
    if (!options.production) return null;
    return problem(`host ${host} does not resolve`, `无法解析主机 ${host}`);
  }
  if (options.production && addresses.length === 0)
    return problem(`host ${host} does not resolve`, `无法解析主机 ${host}`);
  for (const address of addresses) {
    const kind = addressKind(address);
    if (kind === 'link-local' || (options.production && kind !== 'public')) {
      return problem(
        `host ${host} resolves to a ${kind} address; webhooks go to public addresses only`,
        `主机 ${host} 解析为内部地址（${kind}），Webhook 只能发往公网地址`,
      );
    }
  }
  return null;
}
