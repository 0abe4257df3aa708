import { findHosts, type HostQuery, type HostsResult } from '../fleet/hosts';
import { duration, kernelVersion, size, text } from '../shapes/fields';
import { defineQuestion, unique } from './question';

const name = (example: string) => text(example, 256);

export const hostsQuestion = defineQuestion<HostsResult>({
  id: 'hosts',
  kind: 'hosts',
  title: 'hosts by kernel, OS, package, file size or last-seen time',
  help: 'Lists the hosts that meet every condition given, from the current state. Exit 1 when no host matches.',
  params: {
    kernel: {
      type: kernelVersion().optional(),
      label: 'Kernel',
      help: '4.4 matches major.minor exactly (never 4.40 or 4.14); or a full release 4.4.0-210-generic',
    },
    os: { type: name('ubuntu:20.04').optional(), label: 'OS', help: 'os-release ID (ubuntu), ID:VERSION_ID (ubuntu:20.04) or PRETTY_NAME' },
    missingPackage: {
      type: name('zsh').optional(),
      label: 'Package',
      help: 'hosts whose inventory lacks it (exact name: zsh is not zsh-common); hosts that send no inventory are listed apart as unknown',
    },
    package: { type: name('openssl').optional(), label: 'Package', help: 'hosts that have it (exact name)' },
    versionRange: { type: name('>=1.1,<3').optional(), label: 'Version range', help: "narrows package by version: '>=3.0' or '>=1.1,<3'" },
    file: { type: text('/etc/hosts', 4096).optional(), label: 'File', help: 'a file path, with larger-than or smaller-than' },
    largerThan: {
      type: size('4k').optional(),
      label: 'Larger than',
      unit: 'bytes',
      help: 'size of file, strictly: 4k means more than 4096 bytes (k = 1024, M = 1024², G = 1024³; plain numbers are bytes)',
    },
    smallerThan: { type: size('1M').optional(), label: 'Smaller than', unit: 'bytes', help: 'size of file, strictly smaller' },
    stale: { type: duration('2h').optional(), label: 'Not seen for', help: 'hosts not seen for this long (90m, 2h, 3d)' },
  },
  paged: true,
  run: (client, prefix, p) => findHosts(client, prefix, { ...(p as HostQuery), after: p.cursor as string | undefined }),
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
