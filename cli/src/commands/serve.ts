import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createApiServer, pruneHistory, pruneSummary, resolveRetention, UsageError, type RetentionDays } from '@mitra/core';
import { CONNECTION_HELP, CONNECTION_OPTIONS, COMMON_OPTIONS, openCluster, parseCommand } from '../args';
import { stdio, type Command } from '../command';

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  ...COMMON_OPTIONS,
  port: { type: 'string' },
  host: { type: 'string' },
  ui: { type: 'string' },
  retention: { type: 'string' },
} as const;

/** How often serve prunes history past retention (clusters without ILM/ISM need it; it is harmless with them). */
const PRUNE_EVERY_MS = 3_600_000;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the HTTP API (/api/mitra/...) on 127.0.0.1',
  usage: `usage: mitra serve [--port 5601] [--host 127.0.0.1] [--ui DIR] [--retention 90d|off]

Serves the Mitra HTTP API with node:http: fleet queries, history, diff, series,
saved searches and alert rules under /api/mitra (GET /api/mitra lists every route).
Listens on 127.0.0.1 unless --host says otherwise: the API has no authentication of
its own, so expose it only behind something that has. --ui DIR serves a static web
UI from DIR at / (default: the Mitra app, kibana-plugin/dist-standalone, once built). One log line per request on stdout. Ctrl-C stops it.
Every hour (and at start) it runs mitra prune with --retention (MITRA_RETENTION, config
retention:, default 90d; off: never), one summary line on stderr.

${CONNECTION_HELP}`,
  async run(argv) {
    const { values } = parseCommand('serve', argv, OPTIONS);
    if (values.help) {
      stdio.out(this.usage);
      return 0;
    }
    const port = Number(values.port ?? 5601);
    if (!/^\d+$/.test(values.port ?? '5601') || port > 65535)
      throw new UsageError(`--port "${values.port}" is not a port number (0-65535)`);
    const host = values.host ?? '127.0.0.1';
    const { connection, prefix, file } = await openCluster(values);
    const retention = resolveRetention(values.retention, file);
    const server = createApiServer({
      ctx: { client: connection.client, prefix, log: stdio.err },
      staticDir: values.ui ?? standaloneApp(),
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
    stdio.err(`mitra serve: http://${shown}/api/mitra (cluster ${connection.url}, prefix "${prefix}")`);
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
    await connection.client.close();
    return 0;
  },
};

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

/** The standalone Mitra app that `npm run build` writes (kibana-plugin/scripts/build-standalone.js), if it was built. */
function standaloneApp(): string | undefined {
  const dir = resolve(__dirname, '..', '..', '..', 'kibana-plugin', 'dist-standalone');
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}
