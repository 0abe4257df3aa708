import { contentAt, explained, listVersions, series, UsageError, type IndexScope } from '@mitra/core';
import { CONNECTION_HELP, withCluster } from '../args';
import { defineCommand, printJson, stdio } from '../command';
import { footer, shortHash, table } from '../format';

export const historyCommand = defineCommand({
  name: 'history',
  summary: "a file's versions on a host, its content at a time, or a /proc series",
  usage: `usage: mitra history HOST PATH [--from T] [--to T] [--size N] [--cursor NEXT] [--json]
       mitra history HOST PATH --at T [--json]
       mitra history HOST --series FIELD [--from T] [--to T] [--max-points N] [--json]

Versions of PATH on HOST from the history indices, newest first: time, version id
(for mitra diff), state, size and sha256, 100 a page (--size, 1 to 10000); when
more follow it prints the --cursor of the next page. With --at T, prints the
content the file had at T (the latest version at or before T). With --series, prints a parsed /proc
number over time, one "time value" line per point, e.g.
  mitra history db-07 --series mitra.meminfo.Cached --from 2026-11-25T02:00:00Z --to 2026-11-25T03:00:00Z
FIELD: mitra.meminfo.<Key>, mitra.vmstat.<counter>, mitra.zoneinfo.node0.normal.free,
mitra.buddyinfo.node0.normal.order3, mitra.loadavg.load1. Up to --max-points (default 1000)
observations come back raw, exactly as ingested; more are averaged per time bucket
(a range over 100000 snapshots is refused: narrow --from/--to).
Times: ISO-8601, now, or relative like -2h. Exit 1 when there is nothing to show.

${CONNECTION_HELP}`,
  times: ['--at', '--from', '--to'],
  async run(values, positionals) {
    const expected = values.series ? 1 : 2;
    if (positionals.length !== expected) {
      throw new UsageError(
        values.series
          ? 'history --series needs one host, e.g. mitra history db-07 --series mitra.meminfo.Cached'
          : 'history needs a host and a path, e.g. mitra history web-01 /etc/hosts',
      );
    }
    const [host, path] = positionals;
    const { from, to, at, size, cursor } = values;
    const maxPoints = values['max-points'];
    return withCluster(values, async ({ connection, prefix }) => {
      const scope: IndexScope = { client: connection.client, prefix };
      return await explained(scope, () => {
        if (values.series) return printSeries(scope, { host, field: values.series, from, to, maxPoints }, values.json);
        if (at) return printContent(scope, { host, path, at }, values.json);
        return printVersions(scope, { host, path, from, to, size, cursor }, values.json);
      });
    });
  },
});

async function printVersions(scope: IndexScope, q: Parameters<typeof listVersions>[1], json?: boolean): Promise<number> {
  const res = await listVersions(scope, q);
  if (json) printJson(res);
  else {
    if (res.versions.length) {
      const rows = res.versions.map((v) => [v.timestamp, v.id, v.state, v.size, shortHash(v.sha256)]);
      for (const line of table(['time', 'version', 'state', 'size', 'sha256'], rows)) stdio.out(line);
    }
    stdio.out(footer(res.total, 'version', res.asOf));
    if (res.next) stdio.out(`more: --cursor ${res.next}`);
  }
  return res.total ? 0 : 1;
}

async function printContent(scope: IndexScope, q: Parameters<typeof contentAt>[1], json?: boolean): Promise<number> {
  const res = await contentAt(scope, q);
  if (json) printJson(res);
  if (res.content === null) {
    if (!json) {
      const why = res.version ? `was ${res.version.state} at ${q.at}` : `has no recorded version at or before ${q.at}`;
      stdio.err(`mitra history: ${q.path} on ${q.host} ${why}`);
    }
    return 1;
  }
  if (!json) process.stdout.write(res.content);
  return 0;
}

async function printSeries(scope: IndexScope, q: Parameters<typeof series>[1], json?: boolean): Promise<number> {
  const res = await series(scope, q);
  if (json) printJson(res);
  else {
    for (const p of res.points)
      stdio.out(`${p.t} ${p.value}${p.count !== undefined ? ` (min ${p.min}, max ${p.max}, ${p.count} obs)` : ''}`);
    const how = res.mode === 'raw' ? 'raw' : `averaged per ${res.interval}`;
    stdio.err(`${footer(res.points.length, 'point', res.asOf)} (${how}, ${res.observations} observations of ${res.path} on ${res.host})`);
  }
  return res.points.length ? 0 : 1;
}
