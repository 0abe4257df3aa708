import { explainError, resolveRetention } from '@mitra/core';
import { installAssets, type ClusterSettings, type InstallResult } from '@mitra/ingest-pipelines';
import { CONNECTION_HELP, withCluster } from '../args';
import { defineCommand, printJson, stdio } from '../command';

export const setupCommand = defineCommand({
  name: 'setup',
  summary: 'install or upgrade index templates and ingest pipelines (idempotent)',
  usage: `usage: mitra setup [--es URL] [--prefix P] [--retention 90d|off] [-c runner.yaml] [--json]

Installs Mitra's index templates and the <prefix>snapshot ingest pipeline with its
parsers, and creates the current-state index. Running it twice changes nothing;
an asset whose version (a hash of its content) differs from this release's is replaced.
Indices get 1 replica when the cluster has more than one data node, 0 otherwise.

--retention D  keep daily history D days (MITRA_RETENTION, config retention:, default 90d;
               off keeps it forever): an ILM policy on Elasticsearch with ILM, an ISM
               policy on OpenSearch with ISM; elsewhere mitra prune applies it.

${CONNECTION_HELP}`,
  noArguments: 'give the prefix as --prefix P and the retention as --retention 90d',
  async run(values) {
    return withCluster(values, async ({ connection, prefix, file }) => {
      const retentionDays = resolveRetention(values.retention, file);
      let settings: ClusterSettings | undefined;
      const results = await installAssets(connection.client, prefix, values.json ? undefined : (r) => stdio.out(describe(r)), {
        retentionDays,
        onSettings: (s) => (settings = s),
      }).catch((e: unknown) => {
        // A refused request (403: the user may not manage templates) gets the one-line explanation too.
        throw explainError(e, connection.url);
      });
      const skipped = results.filter((r) => r.action === 'skipped');
      if (values.json) {
        printJson({ url: connection.url, server: connection.server, mode: connection.mode, prefix, assets: results, settings });
      } else {
        if (settings) {
          stdio.out(`  replicas  ${settings.replicas} (${settings.dataNodes} data node${settings.dataNodes === 1 ? '' : 's'})`);
          stdio.out(`  ${settings.lifecycle.note}`);
        }
        const counts = countBy(results.map((r) => r.action));
        stdio.out(
          `setup: ${connection.url} (${connection.server.distribution} ${connection.server.version}, ${connection.mode} mode), prefix "${prefix}": ${Object.entries(
            counts,
          )
            .map(([k, n]) => `${n} ${k}`)
            .join(', ')}`,
        );
        if (skipped.length)
          stdio.err(
            `setup: ${skipped.length} asset(s) skipped: this cluster cannot run them (see reasons above); ship through a cluster with ingest-common and painless`,
          );
      }
      return 0;
    });
  },
});

function describe(r: InstallResult): string {
  const what = `${r.kind === 'pipeline' ? 'pipeline' : 'index template'} ${r.id}`;
  // An installed template can carry a caveat: installed without the host join, or existing indices kept their mappings.
  const caveat = r.reason ? `: ${r.reason}` : '';
  switch (r.action) {
    case 'installed':
      return `  installed ${what} v${r.version}${caveat}`;
    case 'upgraded':
      return `  upgraded  ${what} v${r.previous} -> v${r.version}${caveat}`;
    case 'unchanged':
      return `  unchanged ${what} v${r.version}`;
    case 'skipped':
      return `  skipped   ${what}: ${r.reason}`;
  }
}

function countBy(items: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return out;
}
