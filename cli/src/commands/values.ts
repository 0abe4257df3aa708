import { settingValues, UsageError } from '@mitra/core';
import { CONNECTION_HELP, withCluster } from '../args';
import { defineCommand, printJson, stdio } from '../command';
import { footer, nameList, table } from '../format';

export const valuesCommand = defineCommand({
  name: 'values',
  summary: 'distribution of a setting (vm.swappiness) across the fleet, with its hosts',
  usage: `usage: mitra values KEY [--json]

Shows each value of a sysctl-style setting across the fleet and the hosts that have it.
A host's live value (the mitra:sysctl snapshot or /proc/sys) wins over sysctl.conf and
sysctl.d; hosts without a live snapshot are counted from their configuration files.
Exit 1 when no host reports the key.

${CONNECTION_HELP}`,
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError('values needs exactly one setting key, e.g. mitra values vm.swappiness');
    return withCluster(values, async ({ connection, prefix }) => {
      const result = await settingValues(connection.client, prefix, { key: positionals[0] });
      if (values.json) printJson(result);
      else {
        stdio.out(`${result.key} (source: ${result.source})`);
        for (const line of table(
          ['value', 'hosts', 'which'],
          result.values.map((v) => [v.value, v.count, nameList(v.hosts.map((h) => h.host))]),
        ))
          stdio.out(line);
        stdio.out(footer(result.total, 'host', result.asOf));
      }
      return result.total ? 0 : 1;
    });
  },
});
