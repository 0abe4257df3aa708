import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { UsageError } from '../errors';
import { errorResponse } from './errors';
import { API_ROUTES, handleApi, type ApiResponse } from './router';
import { authenticate, checkCsrf, checkHost, type ServeSecurity } from './security';
import type { ApiContext, ApiRoute } from './types';

export interface ApiServerOptions {
  ctx: ApiContext;
  routes?: ApiRoute[];
  /**
   * Mount point for the web UI: a folder of static files served under `/`
   * (index.html for unknown paths, so a single-page app can route). Without
   * it, only /api/mitra/* answers.
   */
  staticDir?: string;
  /** One line per request (method, path, status, duration); also where 500s' stacks go. */
  log?: (line: string) => void;
  /** Host names, authentication (see security.ts); without it: loopback names only, no authentication. */
  security?: ServeSecurity;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** The Mitra API on node:http, no framework: `mitra serve` and the standalone UI host use it. */
export function createApiServer(opts: ApiServerOptions): Server {
  const routes = opts.routes ?? API_ROUTES;
  const log = opts.log ?? (() => {});
  return createServer((req, res) => {
    const started = Date.now();
    res.on('finish', () => log(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`));
    serve(req, res, routes, opts, log).catch((e) => {
      log(`error: ${(e as Error)?.stack ?? String(e)}`);
      if (!res.headersSent) send(res, errorResponse(e));
      else res.destroy();
    });
  });
}

async function serve(req: IncomingMessage, res: ServerResponse, routes: ApiRoute[], opts: ApiServerOptions, log: (line: string) => void) {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://localhost');
  } catch {
    const target = (req.url ?? '').slice(0, 100);
    return refuse(req, res, {
      status: 400,
      body: { error: 'bad_request', message: `request target "${target}" is not a URL: request a path, such as /api/mitra` },
    });
  }
  const method = req.method ?? 'GET';
  const misdirected = checkHost(req, opts.security);
  if (misdirected) return refuse(req, res, misdirected);
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
    const forged = checkCsrf(req, opts.security);
    if (forged) return refuse(req, res, forged);
    const auth = await authenticate(req, opts.ctx, opts.security);
    if (auth.refused) return refuse(req, res, auth.refused);
    const ctx = auth.ctx;
    // No prototype: a parameter named __proto__ or constructor is a name like any other (then refused as unknown).
    const query: Record<string, string[]> = Object.create(null);
    for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (e) {
      send(res, errorResponse(e));
      return;
    }
    // HEAD is GET without the body (Node drops it), as Kibana's router (hapi) answers HEAD on every GET route.
    const asMethod = method === 'HEAD' ? 'GET' : method;
    send(
      res,
      await handleApi(routes, ctx, asMethod, url.pathname, { query, body }, (e) => log(`error: ${(e as Error)?.stack ?? String(e)}`)),
    );
    return;
  }
  if (opts.staticDir && (method === 'GET' || method === 'HEAD')) {
    serveStatic(res, opts.staticDir, url.pathname, log);
    return;
  }
  send(res, { status: 404, body: { error: 'not_found', message: `nothing at ${url.pathname}: the API is under /api/mitra` } });
}

/** Answers without reading the body: drain it so the connection stays usable and the client sees the answer. */
function refuse(req: IncomingMessage, res: ServerResponse, r: ApiResponse): void {
  req.resume();
  send(res, r);
}

function send(res: ServerResponse, r: ApiResponse): void {
  const text = JSON.stringify(r.body ?? null);
  res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...r.headers });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new UsageError(`request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`request body is not valid JSON: ${(e as Error).message}`);
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

function serveStatic(res: ServerResponse, dir: string, pathname: string, log: (line: string) => void): void {
  const root = resolve(dir);
  let file = resolve(root, `.${safeDecode(pathname)}`);
  if (file !== root && !file.startsWith(root + sep)) {
    send(res, { status: 404, body: { error: 'not_found', message: `nothing at ${pathname}` } });
    return;
  }
  if (!isFile(file)) file = resolve(file, 'index.html');
  if (!isFile(file)) file = resolve(root, 'index.html');
  if (!isFile(file)) {
    send(res, { status: 404, body: { error: 'not_found', message: `nothing at ${pathname}: the UI folder ${root} has no index.html` } });
    return;
  }
  // Headers go out with the first byte read: a file that cannot be read (removed or re-owned since the check) is still answered.
  res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
  const stream = createReadStream(file);
  stream.on('error', (e) => {
    log(`error: ${e.stack ?? String(e)}`);
    if (!res.headersSent) send(res, errorResponse(e));
    else res.destroy();
  });
  stream.pipe(res);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function safeDecode(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
