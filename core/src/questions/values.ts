import { settingHosts, VALUE_LIMIT, valueHosts, VALUES_PARAMS, type ValueHostsResult } from '../fleet/values';
import { defineQuestion, unique } from './question';

export const valuesQuestion = defineQuestion<ValueHostsResult>({
  id: 'values',
  kind: 'values',
  title: 'distribution of a setting (vm.swappiness) across the fleet; the hosts behind one value',
  help:
    'Shows each value of a sysctl-style setting across the fleet and how many hosts have it, then one page of the hosts ' +
    'with one value (--value, default the most common) in host-name order. ' +
    "A host's live value (the mitra:sysctl snapshot or /proc/sys) wins over sysctl.conf and sysctl.d; " +
    `hosts without a live snapshot are counted from their configuration files. A key with more than ${VALUE_LIMIT} distinct values ` +
    '(kernel.hostname) lists the most common and counts the other hosts apart. Exit 1 when no host reports the key.',
  params: VALUES_PARAMS,
  paged: true,
  run: (client, prefix, p) =>
    valueHosts(client, prefix, {
      key: p.key as string,
      value: p.value as string | undefined,
      size: p.size as number | undefined,
      after: p.cursor as string | undefined,
    }),
  // Alert rules compare host sets: every host behind every value, whatever the page (cost follows the fleet).
  runForMatches: async (client, prefix, p) => {
    const hosts = await settingHosts(client, prefix, { key: p.key as string });
    const wanted = p.value === undefined ? hosts : hosts.filter((h) => h.value === p.value);
    return { count: wanted.length, hosts: unique(wanted.map((h) => h.host)) };
  },
  columns: [
    { name: 'value', help: 'the setting value' },
    { name: 'count', help: 'hosts with it' },
    { name: 'hosts', help: 'the hosts with one value, with the path and source (live or file) of the value' },
  ],
  matches: (r) => ({ count: r.valueTotal, hosts: unique(r.hosts.map((h) => h.host)) }),
  text: (r, f) => [
    `${r.key} (source: ${r.source})`,
    ...f.table(
      ['value', 'hosts'],
      r.values.map((v) => [v.value, v.count]),
    ),
    ...(r.otherHosts ? [`and ${r.otherHosts} host(s) with other values (${r.values.length} values listed, the most common)`] : []),
    f.footer(r.total, 'host', r.asOf),
    ...(r.value === null
      ? []
      : [
          `${r.key} = ${r.value}: ${r.valueTotal} host(s)`,
          ...f.table(
            ['host', 'path', 'source'],
            r.hosts.map((h) => [h.host, h.path, h.source]),
          ),
          ...(r.next ? [`more: mitra values ${r.key} --value ${r.value} --cursor ${r.next}`] : []),
        ]),
  ],
  forms: [{ id: 'setting', label: 'Setting value across the fleet', params: ['key', 'value'] }],
});
