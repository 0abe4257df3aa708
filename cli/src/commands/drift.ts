import { fileDrift, UsageError } from '@mitra/core';
import { CONNECTION_HELP, withCluster } from '../args';
import { defineCommand, printJson, stdio } from '../command';
import { footer, shortHash, table } from '../format';

export const driftCommand = defineCommand({
  name: 'drift',
  summary: "hosts whose copy of a file differs from the fleet's majority (or a golden host)",
  usage: `usage: mitra drift PATH [--golden HOST] [--json]

Compares every host's current copy of PATH (by sha256) with the fleet's most common
version, or with HOST's copy given --golden. Hosts where the file is missing or
unreadable drift too; hosts that do not report PATH are not counted.

${CONNECTION_HELP}`,
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError('drift needs exactly one file path, e.g. mitra drift /etc/resolv.conf');
    return withCluster(values, async ({ connection, prefix }) => {
      const result = await fileDrift(connection.client, prefix, { path: positionals[0], golden: values.golden });
      if (values.json) printJson(result);
      else {
        const ref = result.reference;
        const from = ref.source === 'golden' ? `golden host ${ref.host}` : `majority${ref.tie ? ' (tie: first by hash)' : ''}`;
        stdio.out(`${result.path}: reference ${shortHash(ref.hash)} from ${from}, on ${ref.hosts} of ${result.reporting} hosts`);
        if (result.hosts.length)
          for (const line of table(
            ['host', 'state', 'sha256', 'last seen'],
            result.hosts.map((h) => [h.host, h.state, shortHash(h.hash), h.lastSeen]),
          ))
            stdio.out(line);
        stdio.out(footer(result.total, 'drifted host', result.asOf));
      }
      return 0;
    });
  },
});
