import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { buildMappings, snapshotPipeline } from '@mitra/core';

/**
 * The ingest assets are data files under ingest-pipelines/assets; this reads and
 * renders them. Every name carries the index prefix (default `mitra-`), so two
 * prefixes on one cluster never share a pipeline or template.
 */
export const ASSETS_DIR = resolve(__dirname, '..', 'assets');
export const FIXTURES_DIR = resolve(__dirname, '..', 'fixtures');

export interface PipelineAsset {
  kind: 'pipeline';
  id: string;
  version: number;
  body: Record<string, unknown>;
}

export interface TemplateAsset {
  kind: 'index_template';
  id: string;
  version: number;
  body: Record<string, unknown>;
}

export type Asset = PipelineAsset | TemplateAsset;

/**
 * Every asset, rendered for one index prefix. Placeholders in the data files:
 * "{{prefix}}" inside strings, "{{version}}" (the asset's own version) and
 * "{{schema}}" (the mappings built from the field schema). Mustache templates
 * meant for Elasticsearch itself ({{_ingest.timestamp}}, {{mitra.format}}) pass through.
 */
export function loadAssets(prefix: string): Asset[] {
  // Pipeline ids are the file names under the prefix: snapshot.yml -> mitra-snapshot.
  const pipelines = yamlFiles('pipelines').map(([name, raw]): PipelineAsset => {
    const version = versionOf(raw, name);
    return { kind: 'pipeline', id: prefix + name, version, body: render(raw, { prefix, version }) as Record<string, unknown> };
  });
  // Parsers first: the snapshot pipeline calls them, so they must exist before it takes traffic.
  const entry = snapshotPipeline(prefix);
  pipelines.sort((a, b) => Number(a.id === entry) - Number(b.id === entry));
  const templates = yamlFiles('templates').map(([file, raw]): TemplateAsset => {
    const version = versionOf(raw, file);
    const body = render(raw, { prefix, version }) as Record<string, unknown>;
    const { name, ...rest } = body;
    return { kind: 'index_template', id: String(name), version, body: rest };
  });
  return [...templates, ...pipelines];
}

function yamlFiles(dir: string): [string, Record<string, unknown>][] {
  const folder = join(ASSETS_DIR, dir);
  return readdirSync(folder)
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => [f.replace(/\.yml$/, ''), parseYaml(readFileSync(join(folder, f), 'utf8')) as Record<string, unknown>]);
}

function versionOf(raw: Record<string, unknown>, name: string): number {
  const v = raw.version;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`asset ${name} has no integer version`);
  return v;
}

function render(node: unknown, vars: { prefix: string; version: number }): unknown {
  if (typeof node === 'string') {
    if (node === '{{schema}}') return buildMappings();
    if (node === '{{version}}') return vars.version;
    return node.replaceAll('{{prefix}}', vars.prefix);
  }
  if (Array.isArray(node)) return node.map((n) => render(n, vars));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k.replaceAll('{{prefix}}', vars.prefix), render(v, vars)]));
  }
  return node;
}
