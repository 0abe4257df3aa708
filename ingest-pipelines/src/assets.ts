import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { buildMappings, snapshotPipeline } from '@mitra/core/dist/base';
import { renderParser, type ParserShared } from './parsers';

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
 * Parser files are completed with the shared parts (src/parsers.ts) and every
 * version is derived from the content (`contentVersion`), never written by hand.
 */
export function loadAssets(prefix: string, dir: string = ASSETS_DIR): Asset[] {
  const shared = parseYaml(readFileSync(join(dir, 'shared', 'parser.yml'), 'utf8')) as ParserShared;
  // Pipeline ids are the file names under the prefix: snapshot.yml -> mitra-snapshot.
  const expanded = yamlFiles(dir, 'pipelines').map(([name, raw]): [string, Json] => {
    refuseVersion(raw, `pipelines/${name}`);
    return [name, name.startsWith('parse-') ? renderParser(name.slice('parse-'.length), raw, shared) : raw];
  });
  const parsers = expanded.filter(([name]) => name.startsWith('parse-')).map(([, body]) => body);
  const pipelines = expanded.map(([name, body]): PipelineAsset => {
    // A pipeline that calls the parsers (snapshot, sample) is versioned with them: its version,
    // stamped as mitra.pipeline_version, then names exactly the parsing a document went through.
    const version = contentVersion(callsParsers(body) ? [body, parsers] : body);
    return { kind: 'pipeline', id: prefix + name, version, body: { ...(render(body, { prefix, version }) as Json), version } };
  });
  // Parsers first: the snapshot pipeline calls them, so they must exist before it takes traffic.
  const entry = snapshotPipeline(prefix);
  pipelines.sort((a, b) => Number(a.id === entry) - Number(b.id === entry));
  const templates = yamlFiles(dir, 'templates').map(([file, raw]): TemplateAsset => {
    refuseVersion(raw, `templates/${file}`);
    const withSchema = render(raw, { schemaOnly: true }) as Json;
    const version = contentVersion(withSchema);
    const { name, ...rest } = render(withSchema, { prefix, version }) as Json;
    return { kind: 'index_template', id: String(name), version, body: { ...rest, version } };
  });
  return [...templates, ...pipelines];
}

/** The generated list of every asset's version (see `assetVersions`). */
export const VERSIONS_FILE = join(ASSETS_DIR, 'versions.json');

interface VersionEntry {
  kind: Asset['kind'];
  /** The asset's id with `{{prefix}}` unfilled. */
  name: string;
  version: number;
}

/** What `npm run versions -w ingest-pipelines` writes: derived from loadAssets, never by hand. */
export function renderVersionsFile(): string {
  // Filling the placeholder with itself leaves every name as written.
  const entries: VersionEntry[] = loadAssets('{{prefix}}').map(({ kind, id, version }) => ({ kind, name: id, version }));
  return `${JSON.stringify(entries, null, 2)}\n`;
}

/**
 * Kind, id and version of every asset, from the generated assets/versions.json:
 * the agent checks these on every start, and rendering the assets (parsing
 * their YAML and hashing them) would cost it ~9 MiB of memory. A unit test keeps
 * the file equal to loadAssets.
 */
export function assetVersions(prefix: string): Pick<Asset, 'kind' | 'id' | 'version'>[] {
  const entries = JSON.parse(readFileSync(VERSIONS_FILE, 'utf8')) as VersionEntry[];
  return entries.map(({ kind, name, version }) => ({ kind, id: name.replaceAll('{{prefix}}', prefix), version }));
}

type Json = Record<string, unknown>;

/**
 * An asset's version: the first 7 hex digits of the sha256 of its content
 * (placeholders unfilled, so every prefix gets the same version; the schema's
 * mappings filled in, so a schema change is a new template version), with bit 28
 * set. Elasticsearch wants an integer (`version` of a template and of a pipeline,
 * `mitra.pipeline_version` is mapped `integer`): this is 2^28 … 2^29-1, below 2^31,
 * and above every hand-written version of earlier releases (1–5), which therefore
 * see it as newer and keep it. Installing compares versions for equality only.
 */
export function contentVersion(content: unknown): number {
  const hex = createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
  return 0x10000000 + parseInt(hex.slice(0, 7), 16);
}

/** JSON with object keys sorted, so the hash does not depend on the order keys were written in. */
function canonicalJson(node: unknown): string {
  if (Array.isArray(node)) return `[${node.map(canonicalJson).join(',')}]`;
  if (node && typeof node === 'object') {
    const entries = Object.keys(node)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((node as Json)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(node);
}

function callsParsers(body: Json): boolean {
  return JSON.stringify(body).includes('{{prefix}}parse-');
}

function yamlFiles(dir: string, kind: string): [string, Json][] {
  const folder = join(dir, kind);
  return readdirSync(folder)
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => [f.replace(/\.yml$/, ''), parseYaml(readFileSync(join(folder, f), 'utf8')) as Json]);
}

/** A hand-written version would be stale the first time someone forgets to bump it: it is derived instead. */
function refuseVersion(raw: Json, name: string): void {
  if ('version' in raw)
    throw new Error(`assets/${name}.yml has a version: remove it, versions are derived from the content (contentVersion)`);
}

type RenderVars = { schemaOnly: true } | { prefix: string; version: number };

function render(node: unknown, vars: RenderVars): unknown {
  if (typeof node === 'string') {
    if (node === '{{schema}}') return buildMappings();
    if ('schemaOnly' in vars) return node;
    if (node === '{{version}}') return vars.version;
    return node.replaceAll('{{prefix}}', vars.prefix);
  }
  if (Array.isArray(node)) return node.map((n) => render(n, vars));
  if (node && typeof node === 'object') {
    const key = (k: string) => ('schemaOnly' in vars ? k : k.replaceAll('{{prefix}}', vars.prefix));
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [key(k), render(v, vars)]));
  }
  return node;
}
