import { existsSync, readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import {
  createApiServer,
  LOOPBACK_NAMES,
  pruneHistory,
  pruneSummary,
  resolveRetention,
  UsageError,
  webhookPolicy,
  type RetentionDays,
  type ServeSecurity,
} from '@mitra/core';
import { CONNECTION_HELP, withCluster } from '../args';
import { defineCommand, stdio } from '../command';

/** Shortest token accepted: 128 bits as hex (openssl rand -hex 32 gives 64 characters). */
const MIN_TOKEN_LENGTH = 32;
/** How often serve prunes history past retention (clusters without ILM/ISM need it; it is harmless with them). */
const PRUNE_EVERY_MS = 3_600_000;

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'serve the HTTP API (/api/mitra/...) on 127.0.0.1',
  usage: `usage: mitra serve [--port 5601] [--host 127.0.0.1] [--allow-host NAME ...]
                   [--token-file FILE | --caller-api-keys] [--ui DIR] [--retention 90d|off]

Serves the Mitra HTTP API with node:http: fleet queries, history, diff, series,
saved searches and alert rules under /api/mitra (GET /api/mitra lists every route).
--ui DIR serves a static web UI from DIR at / (default: the Mitra app,
kibana-plugin/dist-standalone, once built). One log line per request on stdout.
Ctrl-C stops it. Every hour (and at start) it runs mitra prune with --retention
(MITRA_RETENTION, config retention:, default 90d; off: never), one summary line on stderr.

Security (cli/README.md, "mitra serve security"):
  --host ADDR          listen address (default 127.0.0.1); anything but loopback
                       needs --token-file or --caller-api-keys
  --allow-host NAME    a name (or name:port) the Host header may carry, besides
                       localhost, 127.0.0.1, [::1] and --host (repeatable)
  --token-file FILE    callers send Authorization: Bearer <token>; FILE holds the
                       token (>= ${MIN_TOKEN_LENGTH} characters, mode 0600), or set MITRA_SERVE_TOKEN
  --caller-api-keys    callers send Authorization: ApiKey <their Elasticsearch API
                       key>; Elasticsearch checks it and answers with its privileges
Changes (POST/PUT/DELETE) need Content-Type: application/json and a kbn-xsrf
header, and are refused from other origins. Webhook targets follow the config
file's webhooks: block (https, public addresses only by default).

${CONNECTION_HELP}`,
  noArguments: 'give the port as --port N and the UI folder as --ui DIR',
  async run(values) {
    const port = values.port ?? 5601;
    const host = values.host ?? '127.0.0.1';
    const ui = values.ui === undefined ? standaloneApp() : uiFolder(values.ui);
    const security = serveSecurity(host, values);
    return withCluster(values, async ({ connection, prefix, file }) => {
      const webhooks = webhookPolicy(file.webhooks, values.config);
      const retention = resolveRetention(values.retention, file);
      const server = createApiServer({
        ctx: { client: connection.client, prefix, log: stdio.err, webhooks },
        security: { ...security, rootClient: connection.client },
        staticDir: ui,
        log: stdio.out,
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', (e: NodeJS.ErrnoException) =>
          reject(new UsageError(`cannot listen on ${host}:${port} (${e.code ?? e.message}): pick another --port or --host`)),
        );
        server.listen(port, host, () => resolve());
      });
      const address = server.address();
      const shown = typeof address === 'object' && address ? `${address.address}:${address.port}` : `${host}:${port}`;
      stdio.err(`mitra serve: http://${shown}/api/mitra (cluster ${connection.url}, prefix "${prefix}", auth ${authText(security)})`);
      const stopPruning = schedulePrune(connection.client, prefix, retention);
      await new Promise<void>((resolve) => {
        const stop = () => {
          stopPruning();
          server.close(() => resolve());
          server.closeIdleConnections();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      return 0;
    });
  },
});

/** Prunes now and every hour; a failed run is logged and retried at the next one. Returns the canceller. */
function schedulePrune(client: Parameters<typeof pruneHistory>[0], prefix: string, days: RetentionDays): () => void {
  if (days === undefined) return () => {};
  const run = () =>
    pruneHistory(client, prefix, days).then(
      (r) => stdio.err(`mitra serve: ${pruneSummary(prefix, days, r)}`),
      (e: unknown) => stdio.err(`mitra serve: prune failed (${(e as Error).message}), retrying in an hour`),
    );
  void run();
  const timer = setInterval(() => void run(), PRUNE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

interface SecurityValues {
  'allow-host'?: string[];
  'token-file'?: string;
  'caller-api-keys'?: boolean;
}

/** Decided before connecting: a non-loopback bind without authentication never starts. */
function serveSecurity(host: string, values: SecurityValues, env = process.env): ServeSecurity {
  const token = values['token-file'] ? readToken(values['token-file']) : env.MITRA_SERVE_TOKEN;
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new UsageError(`the serve token is shorter than ${MIN_TOKEN_LENGTH} characters: make one with openssl rand -hex 32`);
  }
  const callerApiKeys = values['caller-api-keys'] ?? false;
  if (!isLoopback(host) && !token && !callerApiKeys) {
    throw new UsageError(
      `serve --host ${host} is not loopback and the API has no authentication: add --token-file FILE (or MITRA_SERVE_TOKEN) or --caller-api-keys, or listen on 127.0.0.1`,
    );
  }
  const wildcard = host === '0.0.0.0' || host === '::';
  const named = wildcard || isLoopback(host) ? [] : [isIP(host) === 6 ? `[${host}]` : host];
  return { hosts: [...LOOPBACK_NAMES, ...named, ...(values['allow-host'] ?? [])], token, callerApiKeys };
}

function readToken(path: string): string {
  let mode: number;
  let text: string;
  try {
    mode = statSync(path).mode;
    text = readFileSync(path, 'utf8').trim();
  } catch (e) {
    throw new UsageError(`cannot read --token-file ${path} (${(e as NodeJS.ErrnoException).code}): check the path`);
  }
  if (mode & 0o077)
    throw new UsageError(`--token-file ${path} is readable by others (mode ${(mode & 0o777).toString(8)}): chmod 600 ${path}`);
  return text;
}

const isLoopback = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || /^::ffff:127\./i.test(host);

const authText = (s: ServeSecurity): string =>
  [s.token ? 'token' : '', s.callerApiKeys ? 'Elasticsearch API keys' : ''].filter(Boolean).join(' or ') || 'none (loopback only)';

/** The standalone Mitra app that `npm run build` writes (kibana-plugin/scripts/build-standalone.js), if it was built. */
function standaloneApp(): string | undefined {
  const dir = resolve(__dirname, '..', '..', '..', 'kibana-plugin', 'dist-standalone');
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}

/** --ui names a folder with an index.html: anything else is a typo, refused before listening. */
function uiFolder(dir: string): string {
  const full = resolve(dir);
  if (!existsSync(join(full, 'index.html')))
    throw new UsageError(`--ui ${dir} is not a folder with an index.html: give the folder of a built web UI (or leave --ui out)`);
  return full;
}
