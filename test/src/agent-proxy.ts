import { request, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A loopback HTTP proxy in front of the real engine, for the agent's outage and
 * retry tests: the engine keeps running for every other suite while the agent,
 * pointed at the proxy, sees the cluster go away (`close`: connection refused,
 * open sockets cut) and come back (`open`), or sees the answers a loaded
 * cluster gives (429, 5xx) through `intercept`.
 */
export interface Proxy {
  url: string;
  port: number;
  /** Requests seen, as "METHOD /path", in order (intercepted ones included). */
  seen: string[];
  /** Called for every request with its body; an answer here replaces forwarding. */
  intercept?: (req: ProxiedRequest) => Answer | undefined | Promise<Answer | undefined>;
  /** Called with a forwarded _bulk's request body; may return a different body and a response rewrite. */
  rewriteBulk?: (body: string) => { body: string; response: (json: BulkResponse) => BulkResponse } | undefined;
  close(): Promise<void>;
  open(): Promise<void>;
  stop(): Promise<void>;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  body: string;
}

export interface Answer {
  status: number;
  body: unknown;
}

export interface BulkResponse {
  took: number;
  errors: boolean;
  items: { index: { _index?: string; _id?: string; status: number; error?: { type: string; reason: string } } }[];
}

export async function startProxy(target: string): Promise<Proxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const proxy: Proxy = {
    url: '',
    port: 0,
    seen: [],
    close: async () => {
      const s = server;
      server = undefined;
      if (!s) return;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    open: async () => {
      if (server) return;
      server = createServer((req, res) => void handle(req, res));
      server.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      const s = server;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, '127.0.0.1', () => resolve());
      });
      port = (s.address() as { port: number }).port;
      proxy.port = port;
      proxy.url = `http://127.0.0.1:${port}`;
    },
    stop: async () => proxy.close(),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    proxy.seen.push(`${req.method} ${path.split('?')[0]}`);
    const answer = await proxy.intercept?.({ method: req.method ?? 'GET', path, body });
    if (answer) {
      reply(res, answer.status, answer.body);
      return;
    }
    const rewrite = path.includes('_bulk') ? proxy.rewriteBulk?.(body) : undefined;
    if (rewrite) body = rewrite.body;
    const headers = { ...req.headers, host: upstream.host, 'content-length': String(Buffer.byteLength(body)) };
    const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path, headers }, (up) => {
      const parts: Buffer[] = [];
      up.on('data', (d: Buffer) => parts.push(d));
      up.on('end', () => {
        let text = Buffer.concat(parts).toString('utf8');
        if (rewrite) text = JSON.stringify(rewrite.response(JSON.parse(text) as BulkResponse));
        const h = { ...up.headers, 'content-length': String(Buffer.byteLength(text)) };
        res.writeHead(up.statusCode ?? 502, h);
        res.end(text);
      });
    });
    out.on('error', () => res.destroy());
    out.end(body);
  }

  await proxy.open();
  return proxy;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  // The product header: the 8.x client refuses answers without it (the real engine sends it too).
  res.writeHead(status, {
    'content-type': 'application/json',
    'x-elastic-product': 'Elasticsearch',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The error body Elasticsearch sends with a whole-request 429/5xx. */
export function esError(status: number, type: string, reason: string): Answer {
  return { status, body: { error: { root_cause: [{ type, reason }], type, reason }, status } };
}
