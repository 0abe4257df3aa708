import { settingValues, UsageError, valueHosts } from '@mitra/core';
import { CONNECTION_HELP, openCluster, parseCommand } from '../args';
import { printJson, stdio, type Command } from '../command';
import { footer, table } from '../format';

export const valuesCommand: Command = {
  name: 'values',
  summary: 'distribution of a setting (vm.swappiness) across the fleet; the hosts behind one value',
  usage: `usage: mitra values KEY [--json]
       mitra values KEY --value V [--size N] [--after HOST] [--json]

Shows each value of a sysctl-style setting across the fleet and how many hosts have it.
With --value, lists the hosts that have that value, --size at a time (default 100) in
host-name order; the last line names the --after for the next page.
A host's live value (the mitra:sysctl snapshot or /proc/sys) wins over sysctl.conf and
sysctl.d; hosts without a live snapshot are counted from their configuration files.
Exit 1 when no host reports the key (or the value).

${CONNECTION_HELP}`,
  async run(argv) {
    const { values, positionals } = parseCommand('values', argv);
    if (values.help) {
      stdio.out(this.usage);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError('values needs exactly one setting key, e.g. mitra values vm.swappiness');
    if (values.value === undefined && (values.size !== undefined || values.after !== undefined)) {
      throw new UsageError('--size and --after page the hosts of one value: add --value, e.g. --value 60');
    }
    const { connection, prefix } = await openCluster(values);
    try {
      const key = positionals[0];
      if (values.value !== undefined) {
        const r = await valueHosts(connection.client, prefix, { key, value: values.value, size: values.size, after: values.after });
        if (values.json) printJson(r);
        else {
          stdio.out(`${r.key} = ${r.value}: ${r.valueTotal} host(s)`);
          for (const line of table(
            ['host', 'path', 'source'],
            r.hosts.map((h) => [h.host, h.path, h.source]),
          ))
            stdio.out(line);
          if (r.next) stdio.out(`more: mitra values ${key} --value ${r.value} --after ${r.next}`);
          stdio.out(footer(r.valueTotal, 'host', r.asOf));
        }
        return r.valueTotal ? 0 : 1;
      }
      const result = await settingValues(connection.client, prefix, { key });
      if (values.json) printJson(result);
      else {
        stdio.out(`${result.key} (source: ${result.source})`);
        for (const line of table(
          ['value', 'hosts'],
          result.values.map((v) => [v.value, v.count]),
        ))
          stdio.out(line);
        stdio.out(footer(result.total, 'host', result.asOf));
      }
      return result.total ? 0 : 1;
    } finally {
      await connection.client.close();
    }
  },
};
