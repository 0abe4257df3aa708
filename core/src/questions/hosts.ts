import { allHosts, findHosts, HOST_PARAMS, type HostQuery, type HostsResult } from '../fleet/hosts';
import { defineQuestion, unique } from './question';

export const hostsQuestion = defineQuestion<HostsResult>({
  id: 'hosts',
  kind: 'hosts',
  title: 'hosts by kernel, OS, package, file size or last-seen time',
  help: 'Lists the hosts that meet every condition given, from the current state, a page at a time (100 by default) with the total. Exit 1 when no host matches.',
  params: HOST_PARAMS,
  paged: true,
  run: (client, prefix, p) => findHosts(client, prefix, { ...(p as HostQuery), after: p.cursor as string | undefined }),
  // Alert rules compare host sets: every matching host, whatever the page.
  runForMatches: (client, prefix, p) => allHosts(client, prefix, { ...(p as HostQuery), size: undefined, after: undefined }),
  columns: [
    { name: 'host', help: 'host name' },
    { name: 'lastSeen', help: "newest @timestamp of the host's snapshots" },
    { name: 'kernel', help: 'kernel release (with kernel)' },
    { name: 'os', help: 'PRETTY_NAME (with os)' },
    { name: 'file', help: 'path and size (with file)' },
    { name: 'package', help: 'name and versions (with package)' },
  ],
  matches: (r) => ({ count: r.total, hosts: unique(r.hosts.map((h) => h.host)) }),
  text: (r, f) => {
    const detail = (h: HostsResult['hosts'][number]) =>
      [
        h.kernel,
        h.os,
        h.file ? `${h.file.path} ${h.file.size} bytes` : undefined,
        h.package ? `${h.package.name} ${h.package.versions.join(' ')}` : undefined,
      ]
        .filter(Boolean)
        .join('; ');
    const lines = [`hosts: ${r.conditions.join(', ')}`];
    if (r.hosts.length)
      lines.push(
        ...f.table(
          ['host', 'last seen', 'matched'],
          r.hosts.map((h) => [h.host, h.lastSeen, detail(h)]),
        ),
      );
    if (r.unknown?.length) lines.push(`unknown (no package inventory, not counted): ${f.nameList(r.unknown.map((h) => h.host))}`);
    if (r.next) lines.push(`more: --cursor ${r.next}`);
    lines.push(f.footer(r.total, 'host', r.asOf));
    return lines;
  },
  forms: [
    { id: 'kernel', label: 'Hosts running kernel', params: ['kernel'] },
    { id: 'os', label: 'Hosts running OS', params: ['os'] },
    { id: 'missing_package', label: 'Hosts missing package', params: ['missingPackage'] },
    { id: 'package', label: 'Hosts with package', params: ['package', 'versionRange'] },
    { id: 'file_size', label: 'Hosts whose file is larger than', params: ['file', 'largerThan'], defaults: { largerThan: '4k' } },
    { id: 'stale', label: 'Hosts not seen for', params: ['stale'] },
  ],
});
