import { currentStateId, UsageError } from '@mitra/core';
import {} from '../args';
import { defineCommand, printJson, stdio } from '../command';

export const idCommand = defineCommand({
  name: 'id',
  summary: 'print the current-state document id of HOST PATH (offline)',
  usage: `usage: mitra id HOST PATH [--json]

Prints sha256(HOST + "_" + PATH), the _id of the host's current-state document for
PATH, as the original Mitra computed it. Needs no cluster (connection flags are
accepted and ignored):
  curl "$ES/mitra-current/_doc/$(mitra id web-01 /etc/hosts)"`,
  async run(values, positionals) {
    if (positionals.length !== 2) throw new UsageError('id needs a host and a path, e.g. mitra id web-01 /etc/hosts');
    const [host, path] = positionals;
    const id = currentStateId(host, path);
    if (values.json) printJson({ host, path, id });
    else stdio.out(id);
    return 0;
  },
});
