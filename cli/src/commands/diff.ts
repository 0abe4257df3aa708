import { diffHosts, diffVersions, explained, parseVersionRef, UsageError, type DiffResult, type IndexScope } from '@mitra/core';
import { CONNECTION_HELP, withCluster } from '../args';
import { defineCommand, printJson, stdio } from '../command';

const isId = (s: string) => /^[0-9a-f]{64}$/.test(s);

export const diffCommand = defineCommand({
  name: 'diff',
  summary: 'unified diff between two versions of a file, or two hosts’ copies',
  usage: `usage: mitra diff HOST PATH --from T [--to T]  two versions of PATH on HOST (--to defaults to now)
       mitra diff HOST PATH --against HOST_B   HOST's current copy against HOST_B's
       mitra diff HOST PATH FROM [TO]          the same as --from/--to, positionally
       mitra diff FROM_ID TO_ID                two version ids from mitra history
       mitra diff --hosts HOST_A HOST_B PATH   the same as --against

FROM and TO are times (ISO-8601, -2h, now: the version at or before that time) or
version ids (64 hex digits, as mitra history lists them). Prints a unified diff
(3 lines of context). Exit 0 when identical, 1 when different (like diff(1)).

${CONNECTION_HELP}`,
  times: ['--from', '--to'],
  async run(values, positionals) {
    // --from/--to are checked refs; the positional forms below take them as text.
    const text = (ref?: { id: string } | { at: string }) => (ref === undefined ? undefined : 'id' in ref ? ref.id : ref.at);
    const flags = { hosts: values.hosts, against: values.against, from: text(values.from), to: text(values.to) };
    const request = plan(withFlags(positionals, flags), flags.hosts);
    return withCluster(values, async ({ connection, prefix }) => {
      const scope: IndexScope = { client: connection.client, prefix };
      const res = await explained(scope, () => request(scope));
      if (values.json) printJson(res);
      else if (res.identical) stdio.err(`identical: ${res.from.label} and ${res.to.label}`);
      else process.stdout.write(res.diff || `--- ${res.from.label} (${res.from.state})\n+++ ${res.to.label} (${res.to.state})\n`);
      return res.identical ? 0 : 1;
    });
  },
});

/** --from/--to/--against are the flag spelling of the positional forms; mixing both is ambiguous. */
function withFlags(args: string[], flags: { from?: string; to?: string; against?: string; hosts?: boolean }): string[] {
  if (flags.against !== undefined) {
    if (flags.from !== undefined || flags.to !== undefined)
      throw new UsageError('diff: --against compares current copies; it does not go with --from/--to');
    if (args.length !== 2) throw new UsageError('diff --against needs HOST PATH, e.g. mitra diff web-01 /etc/hosts --against web-02');
    flags.hosts = true;
    return [args[0], flags.against, args[1]];
  }
  if (flags.from === undefined && flags.to === undefined) return args;
  if (args.length !== 2) throw new UsageError('diff --from/--to needs HOST PATH, e.g. mitra diff web-01 /etc/hosts --from -2d');
  if (flags.from === undefined) throw new UsageError('diff: --to needs --from (the older version)');
  return [...args, flags.from, ...(flags.to === undefined ? [] : [flags.to])];
}

function plan(args: string[], hosts: boolean | undefined): (scope: IndexScope) => Promise<DiffResult> {
  if (hosts) {
    if (args.length !== 3)
      throw new UsageError('diff --hosts needs two hosts and a path, e.g. mitra diff --hosts web-01 web-02 /etc/hosts');
    return (scope) => diffHosts(scope, { hostA: args[0], hostB: args[1], path: args[2] });
  }
  if (args.length === 2 && isId(args[0]) && isId(args[1]))
    return (scope) => diffVersions(scope, { from: { id: args[0] }, to: { id: args[1] } });
  if (args.length !== 3 && args.length !== 4) {
    throw new UsageError('diff needs HOST PATH FROM [TO], two version ids, or --hosts A B PATH; see mitra diff --help');
  }
  const [host, path, from, to] = args;
  const refs = { from: parseVersionRef(from, 'FROM'), to: parseVersionRef(to ?? 'now', 'TO') };
  return (scope) => diffVersions(scope, { host, path, ...refs });
}
