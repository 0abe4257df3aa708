import { searchSnapshots, UsageError } from '@mitra/core';
import { CONNECTION_HELP, withCluster } from '../args';
import { defineCommand, printJson, stdio } from '../command';
import { footer, table } from '../format';

export const searchCommand = defineCommand({
  name: 'search',
  summary: 'Lucene query over current file snapshots (or as of a past time with --at)',
  usage: `usage: mitra search QUERY [--at T] [--size N] [--page N] [--json]

Searches the current state with a Lucene query string. The original field names
work: mitra search 'filename:"/etc/fstab" AND content:ext4'
  --at T       the state as it was at T (ISO 2026-11-27T03:00:00Z, or -2h, -3d): for each
               host and path the latest recorded version at or before T
  --size N     hits per page, 1 to 10000 (default 100)
  --page N     page number, from 0 (page × size stays within 10000)
Exit 1 when nothing matches.

${CONNECTION_HELP}`,
  times: ['--at'],
  async run(values, positionals) {
    const query = positionals.join(' ');
    if (!query.trim())
      throw new UsageError(`search needs a query, e.g. mitra search 'filename:"/etc/fstab" AND content:ext4'; see mitra search --help`);
    const { size, page } = values;
    return withCluster(values, async ({ connection, prefix }) => {
      const result = await searchSnapshots(connection.client, prefix, { query, at: values.at, size, page });
      if (values.json) printJson(result);
      else {
        if (result.at) stdio.out(`state as of ${result.at}`);
        if (result.hits.length)
          for (const line of table(
            ['host', 'path', 'state', result.at ? 'recorded' : 'last seen'],
            result.hits.map((h) => [h.host, h.path, h.state, h.timestamp]),
          ))
            stdio.out(line);
        const shown = result.hits.length < result.total ? ` (page ${result.page}: ${result.hits.length} shown)` : '';
        stdio.out(`${footer(result.total, 'match', result.asOf).replace('matchs', 'matches')}${shown}`);
      }
      return result.total ? 0 : 1;
    });
  },
});
