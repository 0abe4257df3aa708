import { contentAt, getSnapshot, UsageError } from '@mitra/core';
import { CONNECTION_HELP, withCluster } from '../args';
import { defineCommand, printJson, stdio } from '../command';

export const getCommand = defineCommand({
  name: 'get',
  summary: "print a host's file: current content, or as of a past time",
  usage: `usage: mitra get HOST PATH [--at T] [--json]

Prints the content of PATH on HOST from the current state (fetched by its id,
sha256(HOST_PATH)), or with --at T (ISO or -2h) the version recorded at or before T.
--json prints the document's metadata with the content. Exit 1 when there is no such
snapshot, or the file was not present then.

${CONNECTION_HELP}`,
  times: ['--at'],
  async run(values, positionals) {
    if (positionals.length !== 2) throw new UsageError('get needs a host and a path, e.g. mitra get web-01 /etc/hosts');
    const [host, path] = positionals;
    const { at } = values;
    return withCluster(values, async ({ connection, prefix }) => {
      if (at) return await printAt({ client: connection.client, prefix }, host, path, at, values.json);
      const result = await getSnapshot(connection.client, prefix, { host, path });
      if (values.json) printJson(result);
      const doc = result.doc;
      if (!doc) {
        if (!values.json)
          stdio.err(`mitra get: no snapshot of ${path} from host ${host}: check both names (mitra search 'hostname:"${host}"')`);
        return 1;
      }
      if (doc.content === undefined) {
        if (!values.json)
          stdio.err(`mitra get: ${path} on ${host} is ${doc.state}${doc.reason ? ` (${doc.reason})` : ''}, last seen ${doc.timestamp}`);
        return 1;
      }
      if (!values.json) process.stdout.write(doc.content);
      return 0;
    });
  },
});

async function printAt(
  scope: Parameters<typeof contentAt>[0],
  host: string,
  path: string,
  at: string,
  json: boolean | undefined,
): Promise<number> {
  const result = await contentAt(scope, { host, path, at });
  if (json) printJson(result);
  if (result.content === null) {
    if (!json) {
      const why = result.version ? `was ${result.version.state} at ${at}` : `has no recorded version at or before ${at}`;
      stdio.err(`mitra get: ${path} on ${host} ${why}`);
    }
    return 1;
  }
  if (!json) process.stdout.write(result.content);
  return 0;
}
