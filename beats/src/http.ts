import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { normaliseFingerprint, readCa, type ConnectionConfig } from '@mitra/core/dist/base';

/**
 * The agent's way to the cluster: node:http(s) with a keep-alive agent, not the
 * official client (which, with its transport, costs ~30 MiB of RSS on every
 * host). It keeps the client's behaviour where the agent depends on it:
 * API key / basic auth (also from the URL's user:password), TLS with a CA file
 * or a pinned CA fingerprint, the request timeout, and the client's retries
 * (2 more attempts on 502/503/504 and on connection errors, trying the next
 * node, with the client's jittered backoff once every node was tried). Errors
 * carry the names and `meta` core's explainError recognises (ResponseError,
 * ConnectionError, TimeoutError), so messages are the same as elsewhere.
 */
export interface Transport {
  request<T = unknown>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<T>;
  /** POST /_bulk (through `pipeline` when given): the NDJSON lines given (action, document, ...); the answer's items in order. */
  bulk(pipeline: string | undefined, lines: string[]): Promise<BulkItem[]>;
  close(): void;
}

export interface RequestOptions {
  /** Retries of 502/503/504 and connection errors (the client's maxRetries); default 2. */
  retries?: number;
  /** Status codes answered without throwing (e.g. 404 for "not there"). */
  ignore?: number[];
}

export interface BulkItem {
  status: number;
  error?: { type?: string; reason?: string };
}

/** An answer with status ≥ 400: the shape core's isResponseError / responseReason read. */
export class ResponseError extends Error {
  override readonly name = 'ResponseError';
  constructor(readonly meta: { statusCode: number; body: unknown }) {
    super(`${meta.statusCode} ${summary(meta.body)}`);
  }
}

/** The request never got an answer (refused, reset, TLS, DNS); `cause` holds the socket's error. */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
}

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

const RETRY_STATUS = new Set([502, 503, 504]);

export class HttpTransport implements Transport {
  private readonly nodes: URL[];
  private readonly agents: { http?: HttpAgent; https?: HttpsAgent } = {};
  private readonly authorization?: string;
  private readonly fingerprint?: string;
  private next = 0;

  constructor(
    private readonly config: ConnectionConfig,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.nodes = config.nodes.map((n) => new URL(n));
    this.authorization = authorization(config, this.nodes[0]);
    if (config.caFingerprint) this.fingerprint = normaliseFingerprint(config.caFingerprint);
  }

  async bulk(pipeline: string | undefined, lines: string[]): Promise<BulkItem[]> {
    const body = lines.join('\n') + '\n';
    const path = pipeline ? `/_bulk?pipeline=${encodeURIComponent(pipeline)}` : '/_bulk';
    const res = await this.send<{ items: Record<string, BulkItem>[] }>('POST', path, body, {
      ndjson: true,
    });
    return res.items.map((item) => Object.values(item)[0]);
  }

  request<T = unknown>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.send<T>(method, path, body === undefined ? undefined : JSON.stringify(body), options);
  }

  /** Closes idle sockets; a later request opens new ones. */
  close(): void {
    this.agents.http?.destroy();
    this.agents.https?.destroy();
    this.agents.http = undefined;
    this.agents.https = undefined;
  }

  private async send<T>(method: string, path: string, body: string | undefined, o: RequestOptions & { ndjson?: boolean }): Promise<T> {
    const retries = o.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      const node = this.nodes[this.next++ % this.nodes.length];
      try {
        const res = await this.once(node, method, path, body, o.ndjson);
        if (RETRY_STATUS.has(res.status) && attempt < retries) continue;
        if (res.status >= 400 && !o.ignore?.includes(res.status)) throw new ResponseError({ statusCode: res.status, body: res.body });
        return res.body as T;
      } catch (e) {
        if (!(e instanceof ConnectionError) || attempt >= retries) throw e;
        // As the client: the next node at once; a jittered wait once every node was tried.
        if (attempt + 1 >= this.nodes.length) await this.sleep(backoffMs(attempt + 1));
      }
    }
  }

  private once(
    node: URL,
    method: string,
    path: string,
    body: string | undefined,
    ndjson?: boolean,
  ): Promise<{ status: number; body: unknown }> {
    const https = node.protocol === 'https:';
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (this.authorization) headers.authorization = this.authorization;
    if (body !== undefined) {
      headers['content-type'] = ndjson ? 'application/x-ndjson' : 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const base = node.pathname.replace(/\/$/, '');
    const options = {
      method,
      host: node.hostname,
      port: node.port || (https ? 443 : 80),
      path: base + path,
      headers,
      agent: this.agent(https),
    };
    return new Promise((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(options, (res) => void readBody(res).then(resolve, reject));
      req.setTimeout(this.config.requestTimeoutMs, () =>
        req.destroy(new TimeoutError(`request timed out after ${this.config.requestTimeoutMs} ms`)),
      );
      req.on('error', (e) =>
        reject(
          e instanceof TimeoutError
            ? e
            : new ConnectionError(`${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`.trim(), { cause: e }),
        ),
      );
      if (this.fingerprint && https) req.on('socket', (socket) => this.pin(socket as TLSSocket, req));
      req.end(body);
    });
  }

  /** A pinned CA: the chain's root must have this sha256 fingerprint (what the client's caFingerprint checks). */
  private pin(socket: TLSSocket, req: { destroy(e: Error): void }): void {
    socket.once('secureConnect', () => {
      const root = rootCertificate(socket);
      if (root?.fingerprint256 !== this.fingerprint) {
        req.destroy(new Error('Server certificate CA fingerprint does not match the value configured in caFingerprint'));
      }
    });
  }

  private agent(https: boolean): HttpAgent {
    // Idle sockets are kept without any timer: an idle agent costs no CPU; the shipper closes them between bursts.
    if (!https) return (this.agents.http ??= new HttpAgent({ keepAlive: true, maxSockets: 4 }));
    const pinnedOnly = Boolean(this.config.caFingerprint) && !this.config.caFile;
    return (this.agents.https ??= new HttpsAgent({
      keepAlive: true,
      maxSockets: 4,
      rejectUnauthorized: this.config.verifyTls && !pinnedOnly,
      // A pinned CA is checked on every handshake: no resumed sessions, which would skip the check.
      ...(this.fingerprint ? { maxCachedSessions: 0 } : {}),
      ...(this.config.caFile ? { ca: readCa(this.config.caFile) } : {}),
    }));
  }
}

function authorization(config: ConnectionConfig, node: URL | undefined): string | undefined {
  if (config.apiKey) return `ApiKey ${config.apiKey}`;
  if (config.username) return `Basic ${Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64')}`;
  if (node?.username) {
    const user = decodeURIComponent(node.username);
    return `Basic ${Buffer.from(`${user}:${decodeURIComponent(node.password)}`).toString('base64')}`;
  }
  return undefined;
}

function rootCertificate(socket: TLSSocket): { fingerprint256: string } | undefined {
  let cert = socket.getPeerCertificate(true);
  while (cert && Object.keys(cert).length) {
    if (!cert.issuerCertificate) return undefined;
    if (cert.fingerprint256 === cert.issuerCertificate.fingerprint256) return cert;
    cert = cert.issuerCertificate;
  }
  return undefined;
}

async function readBody(res: IncomingMessage): Promise<{ status: number; body: unknown }> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const status = res.statusCode ?? 0;
  if (!text) return { status, body: undefined };
  try {
    return { status, body: JSON.parse(text) };
  } catch {
    // A proxy's HTML error page: kept as text, so the message can say what answered.
    if (status < 400) throw Object.assign(new Error(`the answer is not JSON: ${text.slice(0, 80)}`), { name: 'DeserializationError' });
    return { status, body: text };
  }
}

/** The client's retry backoff in ms: half of min(4, 2^attempt) seconds plus jitter up to as much again. */
export function backoffMs(attempt: number, random = Math.random): number {
  const ceiling = Math.min(4, 2 ** attempt) / 2;
  return Math.round((ceiling + random() * ceiling) * 1000);
}

function summary(body: unknown): string {
  if (typeof body === 'string') return body.split('\n')[0].slice(0, 200);
  const error = (body as { error?: { type?: string; reason?: string } | string } | undefined)?.error;
  if (typeof error === 'string') return error;
  return error?.reason ?? error?.type ?? '';
}
