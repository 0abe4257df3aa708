import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createApiServer, UsageError } from '@mitra/core';
import { CONNECTION_HELP, openCluster, parseCommand } from '../args';
import { stdio, type Command } from '../command';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the HTTP API (/api/mitra/...) on 127.0.0.1',
  usage: `usage: mitra serve [--port 5601] [--host 127.0.0.1] [--ui DIR]

Serves the Mitra HTTP API with node:http: fleet queries, history, diff, series,
saved searches and alert rules under /api/mitra (GET /api/mitra lists every route).
Listens on 127.0.0.1 unless --host says otherwise: the API has no authentication of
its own, so expose it only behind something that has. --ui DIR serves a static web
UI from DIR at / (default: the Mitra app, kibana-plugin/dist-standalone, once built). One log line per request on stdout. Ctrl-C stops it.

${CONNECTION_HELP}`,
  async run(argv) {
    const { values } = parseCommand('serve', argv);
    if (values.help) {
      stdio.out(this.usage);
      return 0;
    }
    const port = values.port ?? 5601;
    const host = values.host ?? '127.0.0.1';
    const ui = values.ui === undefined ? standaloneApp() : uiFolder(values.ui);
    const { connection, prefix } = await openCluster(values);
    const server = createApiServer({ ctx: { client: connection.client, prefix }, staticDir: ui, log: stdio.out });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(new UsageError(`cannot listen on ${host}:${port} (${e.code ?? e.message}): pick another --port or --host`)),
      );
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    const shown = typeof address === 'object' && address ? `${address.address}:${address.port}` : `${host}:${port}`;
    stdio.err(`mitra serve: http://${shown}/api/mitra (cluster ${connection.url}, prefix "${prefix}")`);
    await new Promise<void>((resolve) => {
      const stop = () => {
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
