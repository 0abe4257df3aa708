import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Client } from '@elastic/elasticsearch';
import { isResponseError } from '../client';
import { responseReason } from '../connection';
import { ClusterError } from '../errors';
import type { ApiResponse } from './router';
import type { ApiContext } from './types';

/**
 * Who may drive `mitra serve`, decided before any route runs:
 *  - Host: only the names the server was told it serves (DNS rebinding gets a 421);
 *  - state-changing requests: a JSON content type, the `kbn-xsrf` header (Kibana's own
 *    rule, core-http-server-internal lifecycle_handlers.ts: any value, unsafe methods
 *    only), and no foreign Origin or cross-site Sec-Fetch-Site (a web page cannot
 *    drive the API);
 *  - authentication, when configured: a bearer token given at start, or the
 *    caller's own Elasticsearch API key, checked by Elasticsearch and then used
 *    for that caller's requests so Elasticsearch's privileges decide what they read.
 */
export interface ServeSecurity {
  /** Names (optionally name:port) the Host header may carry; the listening port is implied. Default: LOOPBACK_NAMES. */
  hosts?: string[];
  /** The bearer token callers must send (Authorization: Bearer <token>). */
  token?: string;
  /** Callers send their own Elasticsearch API key (Authorization: ApiKey <key>). */
  callerApiKeys?: boolean;
  /** The official client whose children run a request with the caller's key (`mitra serve` sets it; core's MitraClient has no `child`). */
  rootClient?: Client;
}

export const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
export const XSRF_HEADER = 'kbn-xsrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const refuse = (status: number, error: string, message: string, headers?: Record<string, string>): ApiResponse => ({
  status,
  body: { error, message },
  headers,
});

/** Every request: the Host header must name this server (a rebound DNS name does not). */
export function checkHost(req: IncomingMessage, security: ServeSecurity = {}): ApiResponse | undefined {
  const host = (req.headers.host ?? '').toLowerCase();
  if (servesHost(host, security, req.socket.localPort)) return undefined;
  return refuse(
    421,
    'misdirected_request',
    `Host "${host.slice(0, 100)}" is not a name this server answers to: use http://127.0.0.1:${req.socket.localPort ?? ''}, or start mitra serve with --allow-host NAME`,
  );
}

function servesHost(host: string, security: ServeSecurity, port: number | undefined): boolean {
  if (!host) return false;
  for (const name of (security.hosts ?? LOOPBACK_NAMES).map((n) => n.toLowerCase())) {
    if (host === name && hasPort(name)) return true;
    if (host === `${name}:${port}`) return true;
    if (host === name && port === 80) return true;
  }
  return false;
}

const hasPort = (name: string) => /:\d+$/.test(name) && (name.startsWith('[') ? name.includes(']:') : !isIP(name));

/** Requests that change state must come from the app or a deliberate client, never from another site's page. */
export function checkCsrf(req: IncomingMessage, security: ServeSecurity = {}): ApiResponse | undefined {
  const method = req.method ?? 'GET';
  if (SAFE_METHODS.has(method)) return undefined;
  const site = String(req.headers['sec-fetch-site'] ?? '');
  if (site === 'cross-site' || site === 'same-site') {
    return refuse(
      403,
      'forbidden',
      `${method} from another site refused (Sec-Fetch-Site: ${site}): the API only takes changes from its own app`,
    );
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, security, req.socket.localPort)) {
    return refuse(403, 'forbidden', `${method} from origin "${origin.slice(0, 100)}" refused: the API only takes changes from its own app`);
  }
  if (!(XSRF_HEADER in req.headers)) {
    return refuse(400, 'bad_request', `${method} must carry a ${XSRF_HEADER} header (any value), as Kibana requires`);
  }
  if (needsJson(req) && mediaType(req.headers['content-type']) !== 'application/json') {
    return refuse(
      415,
      'unsupported_media_type',
      `${method} must send Content-Type: application/json (got "${String(req.headers['content-type'] ?? 'none').slice(0, 100)}")`,
    );
  }
  return undefined;
}

function sameOrigin(origin: string, security: ServeSecurity, port: number | undefined): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && servesHost(url.host, security, port);
  } catch {
    // "null" (sandboxed frames, file: pages) and anything unparsable.
    return false;
  }
}

/** POST, PUT and PATCH always carry a JSON body; a DELETE only when it has one at all. */
function needsJson(req: IncomingMessage): boolean {
  if (req.method !== 'DELETE') return true;
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

const mediaType = (header: string | undefined) => (header ?? '').split(';')[0].trim().toLowerCase();

/**
 * The context this request runs in, or the refusal. Without configured
 * authentication every caller gets the server's own context (serve allows that
 * on loopback only).
 */
export async function authenticate(req: IncomingMessage, ctx: ApiContext, security: ServeSecurity = {}): Promise<Authenticated> {
  if (!security.token && !security.callerApiKeys) return { ctx };
  const header = String(req.headers.authorization ?? '');
  const [scheme, credential = ''] = header.split(/\s+/, 2);
  if (security.token && /^bearer$/i.test(scheme) && sameSecret(credential, security.token)) return { ctx };
  if (security.callerApiKeys && /^apikey$/i.test(scheme) && credential) return checkApiKey(ctx, security, `ApiKey ${credential}`);
  return { refused: unauthorized(security) };
}

export type Authenticated = { ctx: ApiContext; refused?: undefined } | { refused: ApiResponse };

function unauthorized(security: ServeSecurity): ApiResponse {
  const ways = [
    security.token ? 'Authorization: Bearer <the token mitra serve was started with>' : '',
    security.callerApiKeys ? 'Authorization: ApiKey <your Elasticsearch API key>' : '',
  ].filter(Boolean);
  const challenge = [security.token ? 'Bearer' : '', security.callerApiKeys ? 'ApiKey' : ''].filter(Boolean).join(', ');
  return refuse(401, 'unauthorized', `authentication required: send ${ways.join(' or ')}`, { 'www-authenticate': challenge });
}

/** Compares digests so the time taken says nothing about how much of the token matched. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Elasticsearch decides: the key must authenticate, and the request then runs with it (not with serve's own credentials). */
async function checkApiKey(ctx: ApiContext, security: ServeSecurity, authorization: string): Promise<Authenticated> {
  if (!security.rootClient) throw new Error('caller API keys need ServeSecurity.rootClient');
  const client = security.rootClient.child({ headers: { authorization } });
  try {
    await client.security.authenticate();
    return { ctx: { ...ctx, client } };
  } catch (e) {
    if (!isResponseError(e)) throw e;
    if (e.meta.statusCode === 401) {
      return {
        refused: refuse(
          401,
          'unauthorized',
          'Elasticsearch did not accept this API key: check it, or create one with POST /_security/api_key',
          {
            'www-authenticate': 'ApiKey',
          },
        ),
      };
    }
    // A cluster without security (7.10 OSS, OpenSearch without the plugin) cannot vouch for a key.
    // No cause: the server is misconfigured for this mode (→ 503), whatever status the cluster used to say so.
    throw new ClusterError(
      `Elasticsearch cannot check API keys (it answered ${e.meta.statusCode}: ${responseReason(e)}): caller API keys need a cluster with security enabled; use --token-file instead`,
    );
  }
}
