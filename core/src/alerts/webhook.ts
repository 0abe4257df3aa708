import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { ConfigError } from '../errors';

/**
 * Where alert webhooks may go (the `webhooks:` block of the config file).
 * Defaults: https only, any public host, nothing on loopback, link-local,
 * private, unique-local, CGNAT or other special ranges — so a rule written
 * through the API cannot make the server post into its own network.
 */
export interface WebhookPolicy {
  /** Host names a webhook may target (`*.example.com` covers subdomains); empty: any host. */
  allowHosts: string[];
  /** Plain http:// targets (default false). */
  allowHttp: boolean;
  /** Special-range networks permitted anyway, as CIDRs (e.g. 127.0.0.1/32 for a local receiver). */
  allowNetworks: string[];
  /** Bytes of the answer read before giving up on it. */
  maxResponseBytes: number;
  /** Whole request, connect to last byte. */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_POLICY: WebhookPolicy = {
  allowHosts: [],
  allowHttp: false,
  allowNetworks: [],
  maxResponseBytes: 64 * 1024,
  timeoutMs: 10_000,
};

/**
 * The one text every refused or failed delivery reports, whatever the reason:
 * a closed port, a non-HTTP service, a 404 and a policy refusal must look alike
 * to whoever wrote the rule, or webhooks become a scanner of the server's network.
 */
export const WEBHOOK_NOT_DELIVERED =
  'not delivered: the target is refused by the webhook policy, unreachable, or did not answer 2xx in time';

/** Why a delivery failed, for the operator's log only (never in an API answer or stored event). */
export class WebhookFailure extends Error {}

/** Reads the config file's `webhooks:` block; every bad value is one ConfigError line. */
export function webhookPolicy(raw: unknown, where = 'config file'): WebhookPolicy {
  if (raw === undefined || raw === null) return DEFAULT_WEBHOOK_POLICY;
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(`${where}: webhooks must be a mapping (allow_hosts:, allow_http:, ...)`);
  const w = raw as Record<string, unknown>;
  const known = ['allow_hosts', 'allow_http', 'allow_networks', 'max_response_kb', 'timeout_ms'];
  const unknown = Object.keys(w).find((k) => !known.includes(k));
  if (unknown) throw new ConfigError(`${where}: webhooks.${unknown} is not a setting: use ${known.join(', ')}`);
  const list = (key: string): string[] => {
    const v = w[key] ?? [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
      throw new ConfigError(`${where}: webhooks.${key} must be a list of strings`);
    return v as string[];
  };
  const positive = (key: string, fallback: number): number => {
    const v = w[key] ?? fallback;
    if (typeof v !== 'number' || !(v > 0)) throw new ConfigError(`${where}: webhooks.${key} must be a positive number`);
    return v;
  };
  if (w.allow_http !== undefined && typeof w.allow_http !== 'boolean')
    throw new ConfigError(`${where}: webhooks.allow_http must be true or false`);
  const allowNetworks = list('allow_networks');
  allowNetworks.forEach((n) => parseCidr(n, where));
  return {
    allowHosts: list('allow_hosts').map((h) => h.toLowerCase()),
    allowHttp: w.allow_http === true,
    allowNetworks,
    maxResponseBytes: positive('max_response_kb', DEFAULT_WEBHOOK_POLICY.maxResponseBytes / 1024) * 1024,
    timeoutMs: positive('timeout_ms', DEFAULT_WEBHOOK_POLICY.timeoutMs),
  };
}

/** Where a webhook is shown in logs: scheme and host only (the path of many webhooks is itself a secret). */
export const webhookLabel = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
};

/**
 * Posts JSON to a webhook under the policy: the name is resolved once, every
 * address it resolves to is checked, and the connection goes to the checked
 * address (a DNS answer that changes between check and connect cannot redirect
 * it). Redirects are not followed. Throws WebhookFailure.
 */
export async function postJson(url: string, body: string, policy: WebhookPolicy): Promise<void> {
  const target = await checkedTarget(url, policy);
  const res = await send(target, body, policy.timeoutMs);
  await drain(res, policy.maxResponseBytes);
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 299) throw new WebhookFailure(`HTTP ${status}`);
}

interface Target {
  url: URL;
  address: string;
  family: 4 | 6;
}

async function checkedTarget(raw: string, policy: WebhookPolicy): Promise<Target> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookFailure('not a URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    throw new WebhookFailure(`${url.protocol} refused: webhooks must use https (webhooks.allow_http permits http)`);
  }
  if (url.username || url.password) throw new WebhookFailure('credentials in the URL are refused');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (policy.allowHosts.length && !policy.allowHosts.some((h) => hostMatches(host, h))) {
    throw new WebhookFailure(`host ${host} is not in webhooks.allow_hosts`);
  }
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host);
  const allowed = allowList(policy.allowNetworks);
  const refused = addresses.find((a) => isSpecial(a.address) && !inList(allowed, a.address));
  if (refused)
    throw new WebhookFailure(`${host} is ${refused.address}, a loopback/private/special address (webhooks.allow_networks permits it)`);
  return { url, address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 };
}

const hostMatches = (host: string, pattern: string) => (pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern);

async function resolve(host: string): Promise<{ address: string; family: number }[]> {
  try {
    const all = await lookup(host, { all: true, verbatim: true });
    if (!all.length) throw new Error('no address');
    return all;
  } catch (e) {
    throw new WebhookFailure(`cannot resolve ${host} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function send(target: Target, body: string, timeoutMs: number): Promise<IncomingMessage> {
  // The socket connects to the checked address; the URL's name still goes in Host and TLS SNI.
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const options: RequestOptions = {
    method: 'POST',
    host: target.url.hostname.replace(/^\[|\]$/g, ''),
    port: target.url.port || undefined,
    path: `${target.url.pathname}${target.url.search}`,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    lookup: pinned,
    agent: false,
    signal: AbortSignal.timeout(timeoutMs),
  };
  const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolvePromise, reject) => {
    const req = request(options, resolvePromise);
    req.on('error', (e: NodeJS.ErrnoException) => reject(new WebhookFailure(e.code ?? e.message)));
    req.end(body);
  });
}

/** Reads (and discards) at most `max` bytes of the answer. */
function drain(res: IncomingMessage, max: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        res.destroy();
        reject(new WebhookFailure(`answer larger than ${max} bytes`));
      }
    });
    res.on('end', () => resolvePromise());
    res.on('error', (e: NodeJS.ErrnoException) => reject(new WebhookFailure(e.code ?? e.message)));
    // Cut off mid-answer (the time cap, or the peer): settled already if it ended.
    res.on('close', () => reject(new WebhookFailure('answer cut off')));
  });
}

/**
 * Loopback, unspecified, "this network", private (RFC 1918), CGNAT (RFC 6598),
 * link-local (incl. 169.254.169.254, the cloud metadata service), IETF and
 * benchmarking ranges, multicast and reserved; IPv6 loopback, unique-local,
 * link-local, site-local and multicast. IPv6 forms that carry an IPv4 address
 * (mapped, compatible, NAT64, 6to4) are judged by that address.
 */
const SPECIAL = (() => {
  const list = new BlockList();
  for (const [net, bits] of [
    ['0.0.0.0', 8],
    ['10.0.0.0', 8],
    ['100.64.0.0', 10],
    ['127.0.0.0', 8],
    ['169.254.0.0', 16],
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.0.2.0', 24],
    ['192.88.99.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
    ['198.51.100.0', 24],
    ['203.0.113.0', 24],
    ['224.0.0.0', 3],
  ] as const)
    list.addSubnet(net, bits, 'ipv4');
  for (const [net, bits] of [
    ['::', 127],
    ['fc00::', 7],
    ['fe80::', 10],
    ['fec0::', 10],
    ['ff00::', 8],
    ['100::', 64],
    ['2001:db8::', 32],
  ] as const)
    list.addSubnet(net, bits, 'ipv6');
  return list;
})();

export function isSpecial(address: string): boolean {
  const v4 = embeddedIpv4(address);
  if (v4) return SPECIAL.check(v4, 'ipv4');
  return SPECIAL.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** The IPv4 address inside an IPv6 one that carries it (::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::/96, 2002::/16). */
function embeddedIpv4(address: string): string | undefined {
  if (isIP(address) !== 6) return undefined;
  const groups = expandIpv6(address);
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && (groups[5] === 0xffff || (groups[5] === 0 && (groups[6] !== 0 || groups[7] > 1)))) return v4(groups[6], groups[7]);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4(groups[6], groups[7]);
  if (groups[0] === 0x2002) return v4(groups[1], groups[2]);
  return undefined;
}

function expandIpv6(address: string): number[] {
  let text = address.split('%')[0];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = part(head);
  const t = part(tail);
  return tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
}

function parseCidr(text: string, where: string): { net: string; bits: number; type: 'ipv4' | 'ipv6' } {
  const [net, bitsText] = text.split('/');
  const family = isIP(net);
  const max = family === 6 ? 128 : 32;
  const bits = bitsText === undefined ? max : Number(bitsText);
  if (!family || !Number.isInteger(bits) || bits < 0 || bits > max) {
    throw new ConfigError(`${where}: webhooks.allow_networks entry "${text}" is not a network: write it like 127.0.0.1/32 or fd00::/8`);
  }
  return { net, bits, type: family === 6 ? 'ipv6' : 'ipv4' };
}

function allowList(networks: string[]): BlockList {
  const list = new BlockList();
  for (const n of networks) {
    const { net, bits, type } = parseCidr(n, 'webhook policy');
    list.addSubnet(net, bits, type);
  }
  return list;
}

function inList(list: BlockList, address: string): boolean {
  const v4 = embeddedIpv4(address);
  if (v4 && list.check(v4, 'ipv4')) return true;
  return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}
