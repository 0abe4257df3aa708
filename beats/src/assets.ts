import { currentIndex, type ConnectionConfig } from '@mitra/core/dist/base';
import { assetVersions } from '@mitra/ingest-pipelines/dist/assets';
import type { Transport } from './http';

/**
 * Whether the cluster already has this prefix's templates and pipelines at
 * exactly this version (versions are content hashes), and the current-state index: three GETs over the
 * agent's own transport, whatever the number of assets. Only when something is
 * missing or different does the agent load the full installer (the official client
 * and `installAssets`), so a host whose cluster is set up never carries their memory.
 */
export async function assetsInPlace(transport: Transport, prefix: string): Promise<boolean> {
  const assets = assetVersions(prefix);
  const installed = new Map<string, number | undefined>();
  // A wildcard, not a list: a missing name in a list makes the whole answer 404. Templates of a longer prefix also match; harmless.
  const templates = await transport.request<{ index_templates?: { name: string; index_template: { version?: number } }[] } | undefined>(
    'GET',
    `/_index_template/${encodeURIComponent(prefix)}*`,
    undefined,
    { ignore: [404] },
  );
  for (const t of templates?.index_templates ?? []) installed.set(`index_template:${t.name}`, t.index_template.version);
  const ids = assets.filter((a) => a.kind === 'pipeline').map((a) => encodeURIComponent(a.id));
  const pipelines = await transport.request<Record<string, { version?: number }> | undefined>(
    'GET',
    `/_ingest/pipeline/${ids.join(',')}`,
    undefined,
    {
      ignore: [404],
    },
  );
  for (const [id, p] of Object.entries(pipelines ?? {})) installed.set(`pipeline:${id}`, p?.version);
  for (const asset of assets) {
    const version = installed.get(`${asset.kind}:${asset.id}`);
    if (version !== asset.version) return false;
  }
  const index = await transport.request<{ [name: string]: unknown } | undefined>('GET', `/${currentIndex(prefix)}`, undefined, {
    ignore: [404],
  });
  return Boolean(index && !('error' in index));
}

export interface InstallOutcome {
  changed: string[];
}

/** The full installer (`mitra setup`'s), loaded only when needed; its client is closed again at once. */
export async function installAssetsWithClient(connection: ConnectionConfig, prefix: string): Promise<InstallOutcome> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { connect } = require('@mitra/core') as typeof import('@mitra/core');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { installAssets } = require('@mitra/ingest-pipelines') as typeof import('@mitra/ingest-pipelines');
  const { client } = await connect(connection);
  try {
    const results = await installAssets(client, prefix);
    return { changed: results.filter((r) => r.action === 'installed' || r.action === 'upgraded').map((r) => r.id) };
  } finally {
    await client.close().catch(() => undefined);
  }
}
