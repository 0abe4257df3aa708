import { findHosts, type HostQuery, type HostRow } from '@mitra/core';
import { CONNECTION_HELP, withCluster } from '../args';
import { defineCommand, printJson, stdio } from '../command';
import { footer, nameList, table } from '../format';

export const hostsCommand = defineCommand({
  name: 'hosts',
  summary: 'hosts by kernel, OS, package, file size or last-seen time',
  usage: `usage: mitra hosts [--kernel V] [--os X] [--missing-package P] [--package P [--version-range R]]
                   [--file F (--larger-than S | --smaller-than S)] [--stale D] [--json]

Lists the hosts that meet every condition given, from the current state.
  --kernel V            4.4 matches major.minor exactly (never 4.40 or 4.14); or a full release 4.4.0-210-generic
  --os X                os-release ID (ubuntu), ID:VERSION_ID (ubuntu:20.04) or PRETTY_NAME
  --missing-package P   hosts whose inventory lacks P (exact name: zsh is not zsh-common);
                        hosts that send no inventory are listed apart as unknown
  --package P           hosts that have P; --version-range '>=3.0' or '>=1.1,<3' narrows by version
  --file F --larger-than S / --smaller-than S
                        size of file F, strictly: --larger-than 4k means more than 4096 bytes
                        (k = 1024, M = 1024², G = 1024³; plain numbers are bytes)
  --stale D             hosts not seen for D (90m, 2h, 3d)
Exit 1 when no host matches.

${CONNECTION_HELP}`,
  async run(values, positionals) {
    if (positionals.length) stdio.err(`mitra hosts: ignoring unexpected argument(s) ${positionals.join(' ')}`);
    const query: HostQuery = {
      kernel: values.kernel,
      os: values.os,
      missingPackage: values['missing-package'],
      package: values.package,
      versionRange: values['version-range'],
      file: values.file,
      largerThan: values['larger-than'],
      smallerThan: values['smaller-than'],
      stale: values.stale,
    };
    return withCluster(values, async ({ connection, prefix }) => {
      const result = await findHosts(connection.client, prefix, query);
      if (values.json) printJson(result);
      else printHosts(result.hosts, result.conditions, result.unknown);
      if (!values.json) stdio.out(footer(result.total, 'host', result.asOf));
      return result.total ? 0 : 1;
    });
  },
});

function printHosts(hosts: HostRow[], conditions: string[], unknown: HostRow[] | undefined): void {
  const detail = (h: HostRow) =>
    [
      h.kernel,
      h.os,
      h.file ? `${h.file.path} ${h.file.size} bytes` : undefined,
      h.package ? `${h.package.name} ${h.package.versions.join(' ')}` : undefined,
    ]
      .filter(Boolean)
      .join('; ');
  stdio.out(`hosts: ${conditions.join(', ')}`);
  if (hosts.length)
    for (const line of table(
      ['host', 'last seen', 'matched'],
      hosts.map((h) => [h.host, h.lastSeen, detail(h)]),
    ))
      stdio.out(line);
  if (unknown?.length) stdio.out(`unknown (no package inventory, not counted): ${nameList(unknown.map((h) => h.host))}`);
}
