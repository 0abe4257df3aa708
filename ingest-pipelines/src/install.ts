import type { Client } from '@elastic/elasticsearch';
import { errors } from '@elastic/elasticsearch';
import {
  applyLifecycle,
  currentIndex,
  DEFAULT_RETENTION_DAYS,
  HOST_JOIN,
  responseReason,
  type LifecycleResult,
  type RetentionDays,
} from '@mitra/core';
import { loadAssets, type Asset } from './assets';

export type InstallAction = 'installed' | 'upgraded' | 'unchanged' | 'skipped';

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

export interface ClusterSettings {
  /** Replicas per shard: 1 when the cluster has more than one data node, else 0. */
  replicas: number;
  dataNodes: number;
  lifecycle: LifecycleResult;
}

/**
 * Installs or upgrades every asset, idempotently: an asset whose installed
 * version is the same is left alone, any other is replaced. Versions are
 * derived from the content (`contentVersion`), so the same version means the
 * same content and a different one means it changed. The settings that
 * depend on the cluster (replicas, the history lifecycle) are applied too.
 */
export async function installAssets(
  client: Client,
  prefix: string,
  onResult: (r: InstallResult) => void = () => {},
  /** assetsDir: another copy of assets/ (a test of an upgrade changes one file in a copy). */
  options: { retentionDays?: RetentionDays; onSettings?: (s: ClusterSettings) => void; assetsDir?: string } = {},
): Promise<InstallResult[]> {
  const settings = await clusterSettings(client, prefix, 'retentionDays' in options ? options.retentionDays : DEFAULT_RETENTION_DAYS);
  options.onSettings?.(settings);
  const results: InstallResult[] = [];
  const assets = loadAssets(prefix, options.assetsDir);
  for (const asset of assets.map((a) => withClusterSettings(a, prefix, settings))) {
    const previous = await installedVersion(client, asset);
    let result: InstallResult;
    // Versions are content hashes (contentVersion): different means changed, whichever is "larger".
    if (previous === asset.version && !(await settingsDiffer(client, asset)))
      result = { ...describe(asset), action: 'unchanged', previous };
    else result = await put(client, asset, previous);
    results.push(result);
    onResult(result);
  }
  await ensureCurrentIndex(client, prefix);
  await applyReplicas(client, templatePatterns(assets), settings.replicas);
  return results;
}

// --- Settings that depend on the cluster, not on the asset files ---

async function clusterSettings(client: Client, prefix: string, retentionDays: RetentionDays): Promise<ClusterSettings> {
  const health = await client.cluster.health();
  const dataNodes = Number(health.number_of_data_nodes) || 1;
  // A replica needs a second data node; on one node it would only keep the cluster yellow.
  return { dataNodes, replicas: dataNodes > 1 ? 1 : 0, lifecycle: await applyLifecycle(client, prefix, retentionDays) };
}

const isHistoryTemplate = (asset: Asset, prefix: string) => asset.kind === 'index_template' && asset.id === `${prefix}history`;

/** The template with the cluster's replica count (instead of the files' auto-expansion) and, for history, its lifecycle. */
function withClusterSettings(asset: Asset, prefix: string, s: ClusterSettings): Asset {
  if (asset.kind !== 'index_template') return asset;
  const template = (asset.body.template ?? {}) as { settings?: { index?: Record<string, unknown> } };
  const index = { ...template.settings?.index };
  delete index.auto_expand_replicas;
  const lifecycle = isHistoryTemplate(asset, prefix) ? s.lifecycle.templateSettings : {};
  const settings = { ...template.settings, index: { ...index, number_of_replicas: s.replicas, ...lifecycle } };
  return { ...asset, body: { ...asset.body, template: { ...template, settings } } };
}

/** The settings part this module owns, as the cluster reports it (strings) and as it is put. */
function ownedSettings(settings: { index?: Record<string, unknown> } | undefined): string {
  const index = settings?.index ?? {};
  const lifecycle = (index.lifecycle ?? {}) as Record<string, unknown>;
  return JSON.stringify([String(index.number_of_replicas ?? ''), String(lifecycle.name ?? '')]);
}

/** An installed template of this version whose replicas or lifecycle differ: the cluster changed, put it again. */
async function settingsDiffer(client: Client, asset: Asset): Promise<boolean> {
  if (asset.kind !== 'index_template') return false;
  const res = await client.indices.getIndexTemplate({ name: asset.id });
  const installed = res.index_templates[0]?.index_template.template?.settings as { index?: Record<string, unknown> } | undefined;
  const wanted = (asset.body.template as { settings?: { index?: Record<string, unknown> } }).settings;
  return ownedSettings(installed) !== ownedSettings(wanted);
}

/** The index patterns of this prefix's templates: never `${prefix}*`, which would match `mitra-x-` for `mitra-`. */
function templatePatterns(assets: Asset[]): string[] {
  return assets.flatMap((a) => (a.kind === 'index_template' ? ((a.body.index_patterns as string[] | undefined) ?? []) : []));
}

/** Existing indices of the prefix get the replica count too (a dynamic setting): a grown cluster gains copies. */
async function applyReplicas(client: Client, patterns: string[], replicas: number): Promise<void> {
  if (!patterns.length) return;
  await client.indices.putSettings({
    index: patterns,
    allow_no_indices: true,
    ignore_unavailable: true,
    settings: { index: { number_of_replicas: replicas, auto_expand_replicas: false } },
  } as never);
}

const describe = (a: Asset) => ({ kind: a.kind, id: a.id, version: a.version });

async function put(client: Client, asset: Asset, previous: number | undefined): Promise<InstallResult> {
  const action: InstallAction = previous === undefined ? 'installed' : 'upgraded';
  try {
    if (asset.kind === 'index_template') {
      const joinless = await putTemplate(client, asset);
      const conflict = await updateExistingMappings(client, joinless ?? asset);
      if (conflict) return { ...describe(asset), action, previous, reason: conflict };
      if (joinless) return { ...describe(asset), action, previous, reason: NO_JOIN };
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

const NO_JOIN = `without ${HOST_JOIN.field}: this cluster has no parent-join module, so host questions list hosts by name here (slower at 100,000 hosts, same answers)`;

/**
 * Puts a template; on a cluster without the parent-join module (Elasticsearch's
 * integration-test build has none) the template goes without the host join
 * field, and that copy is answered. Documents the pipeline joins are then
 * stored with the join as unmapped data, and host questions take the path that
 * needs no join (core's everyHostJoined finds no joined document).
 */
async function putTemplate(client: Client, asset: Asset): Promise<Asset | undefined> {
  try {
    await client.indices.putIndexTemplate({ name: asset.id, ...asset.body } as never);
    return undefined;
  } catch (e) {
    // 7.x: "No handler for type [join]"; 9.x: "invalid composite mappings", caused by "The mapper type [join] ... does not
    // exist": read the whole answer.
    if (!(e instanceof errors.ResponseError) || !/(no handler for type|the mapper type) \[join\]/i.test(JSON.stringify(e.meta.body)))
      throw e;
  }
  const template = asset.body.template as { mappings: { properties: Record<string, unknown> } };
  const properties = { ...template.mappings.properties };
  delete properties[HOST_JOIN.field];
  const joinless = { ...asset, body: { ...asset.body, template: { ...template, mappings: { ...template.mappings, properties } } } };
  await client.indices.putIndexTemplate({ name: asset.id, ...joinless.body } as never);
  return joinless;
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
  const index = currentIndex(prefix);
  if (await client.indices.exists({ index })) return;
  try {
    await client.indices.create({ index });
  } catch (e) {
    if (e instanceof errors.ResponseError && /resource_already_exists/.test(JSON.stringify(e.meta.body))) return;
    throw e;
  }
}
