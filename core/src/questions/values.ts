import { settingValues, type ValuesResult } from '../fleet/values';
import { text } from '../shapes/fields';
import { defineQuestion, unique } from './question';

export const valuesQuestion = defineQuestion<ValuesResult>({
  id: 'values',
  kind: 'values',
  title: 'distribution of a setting (vm.swappiness) across the fleet, with its hosts',
  help:
    'Shows each value of a sysctl-style setting across the fleet and the hosts that have it. ' +
    "A host's live value (the mitra:sysctl snapshot or /proc/sys) wins over sysctl.conf and sysctl.d; " +
    'hosts without a live snapshot are counted from their configuration files. Exit 1 when no host reports the key.',
  params: { key: { type: text('vm.swappiness', 1024), label: 'Setting', help: 'a dotted setting key', positional: 'one' } },
  paged: false,
  run: (client, prefix, p) => settingValues(client, prefix, { key: p.key as string }),
  columns: [
    { name: 'value', help: 'the setting value' },
    { name: 'count', help: 'hosts with it' },
    { name: 'hosts', help: 'the hosts, with the path and source (live or file) of the value' },
  ],
  matches: (r) => ({ count: r.total, hosts: unique(r.values.flatMap((v) => v.hosts.map((h) => h.host))) }),
  text: (r, f) => [
    `${r.key} (source: ${r.source})`,
    ...f.table(
      ['value', 'hosts', 'which'],
      r.values.map((v) => [v.value, v.count, f.nameList(v.hosts.map((h) => h.host))]),
    ),
    f.footer(r.total, 'host', r.asOf),
  ],
  forms: [{ id: 'setting', label: 'Setting value across the fleet', params: ['key'] }],
});
