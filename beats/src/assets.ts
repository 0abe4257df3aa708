import { assetVersions } from '@mitra/ingest-pipelines/dist/assets';
import type { Transport } from './http';

/**
 * Whether the cluster already has this prefix's templates and pipelines at
 * this version or newer, and the current-state index: a few GETs over the
 * agent's own transport. Only when something is missing or older does the
 * agent load the full installer (the official client and `installAssets`),
 * so a host whose cluster is set up never carries their memory.
 */
export async function assetsInPlace(transport: Transport, prefix: string): Promise<boolean> {
  for (const asset of assetVersions(prefix)) {
    const installed = await installedVersion(transport, asset.kind, asset.id);
    if (installed === undefined || installed < asset.version) return false;
  }
  const index = await transport.request<{ [name: string]: unknown } | undefined>('GET', `/${prefix}current`, undefined, { ignore: [404] });
  return Boolean(index && !('error' in index));
}

async function installedVersion(transport: Transport, kind: string, id: string): Promise<number | undefined> {
  const name = encodeURIComponent(id);
  if (kind === 'index_template') {
    const res = await transport.request<{ index_templates?: { index_template: { version?: number } }[] }>(
      'GET',
      `/_index_template/${name}`,
      undefined,
      { ignore: [404] },
    );
    return res?.index_templates?.[0]?.index_template.version;
  }
  const res = await transport.request<Record<string, { version?: number }> | undefined>('GET', `/_ingest/pipeline/${name}`, undefined, {
    ignore: [404],
  });
  return res?.[id]?.version;
}

export interface InstallOutcome {
  changed: string[];
}

/** The full installer (`mitra setup`'s), loaded only when needed; its client is closed again at once. */
export async function installAssetsWithClient(
  connection: import('@mitra/core/dist/base').ConnectionConfig,
  prefix: string,
): Promise<InstallOutcome> {
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
