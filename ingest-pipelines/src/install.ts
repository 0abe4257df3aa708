import type { Client } from '@elastic/elasticsearch';
import { errors } from '@elastic/elasticsearch';
import { responseReason } from '@mitra/core';
import { loadAssets, type Asset } from './assets';

export type InstallAction = 'installed' | 'upgraded' | 'unchanged' | 'kept-newer' | 'skipped';

export interface InstallResult {
  kind: Asset['kind'];
  id: string;
  version: number;
  action: InstallAction;
  /** Installed version found before, if any. */
  previous?: number;
  /** Why an asset was skipped (e.g. the cluster has no painless). */
  reason?: string;
}

/**
 * Installs or upgrades every asset, idempotently: an asset whose installed
 * version is the same is left alone, an older one is replaced, a newer one is
 * kept (someone ran a newer Mitra against this cluster).
 */
export async function installAssets(
  client: Client,
  prefix: string,
  onResult: (r: InstallResult) => void = () => {},
): Promise<InstallResult[]> {
  const results: InstallResult[] = [];
  for (const asset of loadAssets(prefix)) {
    const previous = await installedVersion(client, asset);
    let result: InstallResult;
    if (previous !== undefined && previous === asset.version) result = { ...describe(asset), action: 'unchanged', previous };
    else if (previous !== undefined && previous > asset.version) result = { ...describe(asset), action: 'kept-newer', previous };
    else result = await put(client, asset, previous);
    results.push(result);
    onResult(result);
  }
  await ensureCurrentIndex(client, prefix);
  return results;
}

const describe = (a: Asset) => ({ kind: a.kind, id: a.id, version: a.version });

async function put(client: Client, asset: Asset, previous: number | undefined): Promise<InstallResult> {
  const action: InstallAction = previous === undefined ? 'installed' : 'upgraded';
  try {
    if (asset.kind === 'index_template') {
      await client.indices.putIndexTemplate({ name: asset.id, ...asset.body } as never);
      const conflict = await updateExistingMappings(client, asset);
      if (conflict) return { ...describe(asset), action, previous, reason: conflict };
    } else {
      await client.ingest.putPipeline({ id: asset.id, ...asset.body } as never);
    }
    return { ...describe(asset), action, previous };
  } catch (e) {
    const missing = missingCapability(e);
    if (missing) return { ...describe(asset), action: 'skipped', previous, reason: missing };
    throw e;
  }
}

/**
 * A template only shapes indices created after it, so an upgrade also puts its
 * mappings on the indices it already matches (today's history index, the
 * current-state index). Additive changes apply; a conflicting one is reported,
 * and reindexing is then the operator's call.
 */
async function updateExistingMappings(client: Client, asset: Asset): Promise<string | undefined> {
  const template = asset.body.template as { mappings?: Record<string, unknown> } | undefined;
  const patterns = asset.body.index_patterns as string[] | undefined;
  if (!template?.mappings || !patterns?.length) return undefined;
  try {
    await client.indices.putMapping({ index: patterns, allow_no_indices: true, ignore_unavailable: true, ...template.mappings } as never);
    return undefined;
  } catch (e) {
    if (e instanceof errors.ResponseError && e.statusCode === 400) {
      return `existing indices keep their old mappings (${responseReason(e)}): reindex them to apply the new ones`;
    }
    throw e;
  }
}

/** Pipelines need ingest-common and painless; a cluster without them gets everything else. */
function missingCapability(e: unknown): string | undefined {
  if (!(e instanceof errors.ResponseError) || e.statusCode !== 400) return undefined;
  const reason = responseReason(e);
  if (/No processor type exists|script_lang|lang \[painless\]|not supported/i.test(reason)) return reason;
  return undefined;
}

async function installedVersion(client: Client, asset: Asset): Promise<number | undefined> {
  try {
    if (asset.kind === 'index_template') {
      const res = await client.indices.getIndexTemplate({ name: asset.id });
      return res.index_templates[0]?.index_template.version as number | undefined;
    }
    const res = await client.ingest.getPipeline({ id: asset.id });
    return res[asset.id]?.version as number | undefined;
  } catch (e) {
    if (e instanceof errors.ResponseError && e.statusCode === 404) return undefined;
    throw e;
  }
}

/** The current-state index exists from setup on, so queries answer "no hosts" rather than 404. */
async function ensureCurrentIndex(client: Client, prefix: string): Promise<void> {
  const index = `${prefix}current`;
  if (await client.indices.exists({ index })) return;
  try {
    await client.indices.create({ index });
  } catch (e) {
    if (e instanceof errors.ResponseError && /resource_already_exists/.test(JSON.stringify(e.meta.body))) return;
    throw e;
  }
}
