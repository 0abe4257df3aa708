import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  alertsIndex,
  buildMappings,
  currentIndex,
  historyIndex,
  historyIndices,
  rulesIndex,
  samplePipeline,
  samplesIndices,
  savedIndex,
  snapshotPipeline,
  stateIndex,
} from '@mitra/core';
import { FIXTURES_DIR, loadAssets, type Asset, type PipelineAsset } from './assets';

type Json = Record<string, unknown>;
type Processor = Record<string, Json>;

const PREFIX = 'acme-';
const assets = loadAssets(PREFIX);
const pipelines = assets.filter((a): a is PipelineAsset => a.kind === 'pipeline');
const snapshot = pipelines.find((p) => p.id === snapshotPipeline(PREFIX))!;
const parsers = pipelines.filter((p) => p.id.startsWith(`${PREFIX}parse-`));
const formatOf = (p: PipelineAsset) => p.id.slice(`${PREFIX}parse-`.length);

/** Every string in an asset body, keys included. */
function strings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

/** Every processor of a pipeline, including on_failure handlers at every level. */
function allProcessors(list: unknown): Processor[] {
  if (!Array.isArray(list)) return [];
  return (list as Processor[]).flatMap((p) => {
    const config = Object.values(p)[0];
    return [p, ...allProcessors(config.on_failure)];
  });
}

const processorsOf = (p: PipelineAsset) => [...allProcessors(p.body.processors), ...allProcessors(p.body.on_failure)];
const processorType = (p: Processor) => Object.keys(p)[0];
const config = (p: Processor) => Object.values(p)[0];

function scriptSource(pipeline: PipelineAsset, tag: string): { source: string; params: Json } {
  const script = processorsOf(pipeline).find((p) => config(p).tag === tag);
  if (!script) throw new Error(`${pipeline.id} has no processor tagged ${tag}`);
  return config(script) as { source: string; params: Json };
}

/** The formats the entry pipeline can choose: its exact-path table plus the literals its rules assign. */
function chosenFormats(): Set<string> {
  const { source, params } = scriptSource(snapshot, 'choose_format');
  const formats = new Set(Object.values(params.exact as Record<string, string>));
  for (const line of source.split('\n').filter((l) => l.includes('ctx.mitra.format ='))) {
    for (const [, literal] of line.matchAll(/'([a-z_]+)'/g)) formats.add(literal);
  }
  return formats;
}

describe('rendering for a prefix', () => {
  test('every asset name, index pattern and alias carries the prefix', () => {
    for (const a of assets) expect(a.id.startsWith(PREFIX)).toBe(true);
    const templates = assets.filter((a) => a.kind === 'index_template');
    expect(templates.length).toBeGreaterThan(0);
    for (const t of templates) {
      for (const pattern of t.body.index_patterns as string[]) expect(pattern.startsWith(PREFIX)).toBe(true);
      const aliases = Object.keys(((t.body.template as Json | undefined)?.aliases as Json | undefined) ?? {});
      for (const alias of aliases) expect(alias.startsWith(PREFIX)).toBe(true);
    }
  });

  test('no Mitra placeholder survives; Elasticsearch mustache templates pass through', () => {
    const all = assets.flatMap((a: Asset) => strings(a.body));
    expect(all.filter((s) => /\{\{(prefix|version|schema)\}\}/.test(s))).toEqual([]);
    expect(all).toContain('{{_ingest.timestamp}}');
    const parse = processorsOf(snapshot).find((p) => processorType(p) === 'pipeline')!;
    expect(config(parse).name).toBe(`${PREFIX}parse-{{mitra.format}}`);
    expect(scriptSource(snapshot, 'route').params.prefix).toBe(PREFIX);
  });

  test('the snapshot pipeline stamps its own version, as a number', () => {
    expect(typeof snapshot.version).toBe('number');
    expect(snapshot.body.version).toBe(snapshot.version);
    expect(scriptSource(snapshot, 'normalise').params.version).toBe(snapshot.version);
  });

  test('index templates get the mappings built from the field schema', () => {
    for (const t of assets.filter((a) => a.kind === 'index_template')) {
      const mappings = (t.body.template as Json).mappings;
      // Templates for other concerns (saved searches, alerts) may carry their own mappings.
      if (/(current|history)$/.test(t.id)) expect(mappings).toEqual(buildMappings());
    }
  });

  test('two prefixes share no asset name', () => {
    const other = new Set(loadAssets('other-').map((a) => a.id));
    expect(assets.filter((a) => other.has(a.id))).toEqual([]);
  });

  test('parsers come before the entry pipeline, which calls them', () => {
    const order = pipelines.map((p) => p.id);
    expect(order[order.length - 1]).toBe(snapshot.id);
  });
});

describe('parsers', () => {
  test('every format the entry pipeline can choose has a parser, and every parser can be chosen', () => {
    const chosen = [...chosenFormats()].sort();
    expect(chosen.length).toBeGreaterThan(10);
    expect(parsers.map(formatOf).sort()).toEqual(chosen);
  });

  test('every parser has fixtures (input and expected output side by side)', () => {
    for (const format of parsers.map(formatOf)) {
      const dir = join(FIXTURES_DIR, format);
      const inputs = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.input.json')) : [];
      expect({ format, inputs: inputs.length > 0 }).toEqual({ format, inputs: true });
      for (const input of inputs) expect(existsSync(join(dir, input.replace('.input.json', '.expected.json')))).toBe(true);
    }
  });

  test('a parser failure keeps the document and records processor, tag and message', () => {
    for (const p of parsers) {
      const recorded = allProcessors(p.body.on_failure).map((s) => config(s).field);
      expect({ id: p.id, recorded }).toEqual({ id: p.id, recorded: ['mitra.error.processor', 'mitra.error.tag', 'mitra.error.message'] });
    }
  });
});

test('every processor of every pipeline has a tag, unique within its pipeline', () => {
  for (const p of pipelines) {
    const tags = processorsOf(p).map((proc) => config(proc).tag);
    const untagged = processorsOf(p).filter((proc) => typeof config(proc).tag !== 'string' || config(proc).tag === '');
    expect({ id: p.id, untagged: untagged.map(processorType) }).toEqual({ id: p.id, untagged: [] });
    expect({ id: p.id, duplicates: tags.filter((t, i) => tags.indexOf(t) !== i) }).toEqual({ id: p.id, duplicates: [] });
  }
});

test('the assets spell the names core owns (core/src/names.ts)', () => {
  const patterns = assets.flatMap((a) => (a.kind === 'index_template' ? (a.body.index_patterns as string[]) : []));
  for (const index of [
    historyIndices(PREFIX),
    samplesIndices(PREFIX),
    savedIndex(PREFIX),
    rulesIndex(PREFIX),
    stateIndex(PREFIX),
    alertsIndex(PREFIX),
  ]) {
    expect(patterns).toContain(index);
  }
  expect(patterns).toContain(`${currentIndex(PREFIX)}*`);
  expect(pipelines.map((p) => p.id)).toEqual(expect.arrayContaining([snapshotPipeline(PREFIX), samplePipeline(PREFIX)]));
  // The pipeline routes with params.prefix + the same words: current, history-<day>.
  const routing = strings(snapshot.body).join('\n');
  expect(routing).toContain(`params.prefix + '${currentIndex('')}'`);
  expect(routing).toContain(`params.prefix + '${historyIndex('', '')}'`);
});
