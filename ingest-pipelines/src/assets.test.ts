import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  alertsIndex,
  buildMappings,
  FIELDS,
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
import {
  ASSETS_DIR,
  assetVersions,
  contentVersion,
  FIXTURES_DIR,
  loadAssets,
  renderVersionsFile,
  type Asset,
  type PipelineAsset,
  VERSIONS_FILE,
} from './assets';
import { declaredFunctions, renderParser, type ParserShared } from './parsers';

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
  const { source, params } = scriptSource(snapshot, 'validate');
  const formats = new Set(Object.values(params.exact as Record<string, string>));
  for (const line of source.split('\n').filter((l) => l.includes('m.format ='))) {
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
    expect(scriptSource(snapshot, 'validate').params.prefix).toBe(PREFIX);
  });

  test('the snapshot pipeline stamps its own version, as a number', () => {
    expect(typeof snapshot.version).toBe('number');
    expect(snapshot.body.version).toBe(snapshot.version);
    expect(scriptSource(snapshot, 'validate').params.version).toBe(snapshot.version);
  });

  test("the aliases validate refuses in a document are the schema's aliases (the original field names)", () => {
    const aliases = Object.fromEntries(FIELDS.flatMap((f) => (f.type === 'alias' ? [[f.name, f.path]] : [])));
    expect(Object.keys(aliases)).toEqual(['hostname', 'filename', 'content']);
    expect(scriptSource(snapshot, 'validate').params.aliases).toEqual(aliases);
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

describe('generated parser boilerplate (assets/shared/parser.yml)', () => {
  const shared = parseYaml(readFileSync(join(ASSETS_DIR, 'shared', 'parser.yml'), 'utf8')) as ParserShared;
  const sharedNames = declaredFunctions(shared.helpers);
  const count = (text: string, part: string) => text.split(part).length - 1;

  test('every rendered parser holds the shared helpers, try/catch and on_failure exactly once', () => {
    expect(sharedNames).toEqual(expect.arrayContaining(['textOnly', 'num', 'nameChars', 'words', 'shown', 'capEntries']));
    expect(parsers).toHaveLength(15);
    for (const p of parsers) {
      const { source } = scriptSource(p, `parse_${formatOf(p)}`);
      const functions = declaredFunctions(source);
      for (const name of sharedNames)
        expect({ id: p.id, name, n: functions.filter((f) => f === name).length }).toEqual({ id: p.id, name, n: 1 });
      expect(count(source, shared.helpers)).toBe(1);
      expect(source.startsWith(shared.helpers)).toBe(true);
      expect(count(source, shared.catch.replaceAll('{{format}}', formatOf(p)))).toBe(1);
      expect(source.endsWith(shared.catch.replaceAll('{{format}}', formatOf(p)))).toBe(true);
      expect(p.body.on_failure).toEqual(shared.on_failure);
      expect(processorsOf(p).filter((x) => config(x).tag === 'record_error_message')).toHaveLength(1);
    }
  });

  test('a parser file holds only what is its own: no copy of a shared part in any asset file', () => {
    const dir = join(ASSETS_DIR, 'pipelines');
    for (const f of readdirSync(dir).filter((n) => n.startsWith('parse-'))) {
      const raw = readFileSync(join(dir, f), 'utf8');
      const file = parseYaml(raw) as Json;
      expect({ f, keys: Object.keys(file).filter((k) => !['description', 'helpers', 'parse'].includes(k)) }).toEqual({ f, keys: [] });
      expect({ f, copied: declaredFunctions(String(file.helpers ?? '')).filter((n) => sharedNames.includes(n)) }).toEqual({
        f,
        copied: [],
      });
      expect(raw).not.toContain('record_error_');
    }
  });

  const loadavg = parseYaml(readFileSync(join(ASSETS_DIR, 'pipelines', 'parse-loadavg.yml'), 'utf8')) as Json;

  test('a parser file that carries its own on_failure or processors is refused, naming the file and the fix', () => {
    expect(() => renderParser('loadavg', { ...loadavg, on_failure: shared.on_failure }, shared)).toThrow(
      /^assets\/pipelines\/parse-loadavg\.yml has on_failure: .*the renderer adds .* shared on_failure \(assets\/shared\/parser\.yml\)/,
    );
    expect(() => renderParser('loadavg', { ...loadavg, processors: [] }, shared)).toThrow(/has processors:/);
    expect(() => renderParser('loadavg', { ...loadavg, version: 3 }, shared)).toThrow(/has version:/);
  });

  test('a parser file that still carries a copy of a shared helper is refused', () => {
    const copy = { ...loadavg, helpers: `${String(loadavg.helpers)}long num(String s, String where) {\n  return 0L;\n}\n` };
    expect(() => renderParser('loadavg', copy, shared)).toThrow(/parse-loadavg\.yml declares num again: that helper is shared/);
    expect(() => renderParser('loadavg', { description: 'x' }, shared)).toThrow(/needs a description and a parse body/);
  });

  test('the rendered script is the shared helpers, then the own helpers, then parse inside the shared try/catch', () => {
    const out = renderParser(
      'demo',
      { description: 'd', helpers: 'int two() { return 2; }\n', parse: 'ctx.mitra.demo = two();\n\nint x = 1;\n' },
      shared,
    );
    const source = (out.processors as Processor[])[0].script.source;
    expect(source).toBe(
      `${shared.helpers}int two() { return 2; }\ntry {\n  ctx.mitra.demo = two();\n\n  int x = 1;\n${shared.catch.replaceAll('{{format}}', 'demo')}`,
    );
    expect(source).toContain("'demo content is not in the demo format'");
    expect((out.processors as Processor[])[0].script.tag).toBe('parse_demo');
  });
});

describe('versions derived from the content', () => {
  test('every version is an integer Elasticsearch accepts (2^28 … 2^29-1), the same for every prefix', () => {
    const other = new Map(loadAssets('other-').map((a) => [a.id.slice('other-'.length), a.version]));
    for (const a of assets) {
      expect(Number.isInteger(a.version)).toBe(true);
      expect(a.version).toBeGreaterThanOrEqual(2 ** 28);
      expect(a.version).toBeLessThan(2 ** 29);
      expect(a.body.version).toBe(a.version);
      expect(other.get(a.id.slice(PREFIX.length))).toBe(a.version);
    }
    for (const t of assets.filter((a) => a.kind === 'index_template')) expect((t.body._meta as Json).version).toBe(t.version);
  });

  test('one changed property changes the version; key order and unchanged content do not', () => {
    const body = { processors: [{ set: { tag: 't', field: 'a', value: 1 } }] };
    const v = contentVersion(body);
    expect(contentVersion(structuredClone(body))).toBe(v);
    expect(contentVersion({ processors: [{ set: { value: 1, field: 'a', tag: 't' } }] })).toBe(v);
    expect(contentVersion({ processors: [{ set: { tag: 't', field: 'a', value: 2 } }] })).not.toBe(v);
    expect(contentVersion({ mappings: { properties: { a: { type: 'keyword' } } } })).not.toBe(
      contentVersion({ mappings: { properties: { a: { type: 'long' } } } }),
    );
    // The sha256 of the canonical JSON, first 7 hex digits, with bit 28 set.
    const hex = createHash('sha256').update('{"a":1,"b":[true,null]}').digest('hex');
    expect(contentVersion({ b: [true, null], a: 1 })).toBe(0x10000000 + parseInt(hex.slice(0, 7), 16));
  });

  test('changing one parser property changes that parser and the pipelines that call it, nothing else', () => {
    const copy = mkdtempSync(join(tmpdir(), 'mitra-assets-'));
    try {
      cpSync(ASSETS_DIR, copy, { recursive: true });
      const file = join(copy, 'pipelines', 'parse-loadavg.yml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('last_pid > 4194304L', 'last_pid > 4194305L'));
      const before = new Map(assets.map((a) => [a.id, a.version]));
      const changed = loadAssets(PREFIX, copy)
        .filter((a) => before.get(a.id) !== a.version)
        .map((a) => a.id);
      expect(changed.sort()).toEqual([`${PREFIX}parse-loadavg`, samplePipeline(PREFIX), snapshotPipeline(PREFIX)].sort());

      cpSync(ASSETS_DIR, copy, { recursive: true });
      const template = join(copy, 'templates', 'alerts.yml');
      writeFileSync(template, readFileSync(template, 'utf8').replace('priority: 200', 'priority: 201'));
      expect(
        loadAssets(PREFIX, copy)
          .filter((a) => before.get(a.id) !== a.version)
          .map((a) => a.id),
      ).toEqual([`${PREFIX}alerts`]);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  test('an asset file with a hand-written version is refused', () => {
    expect(() => renderParser('x', { description: 'd', parse: 'p', version: 1 }, { helpers: '', catch: '', on_failure: [] })).toThrow(
      /version/,
    );
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

describe('assetVersions (what the agent checks on start, without rendering the YAML)', () => {
  test('assets/versions.json is generated from the current assets', () => {
    const stale = readFileSync(VERSIONS_FILE, 'utf8') !== renderVersionsFile();
    if (stale)
      throw new Error(
        'ingest-pipelines/assets/versions.json is stale: run `npm run build && npm run versions -w ingest-pipelines` and commit it',
      );
  });
  it.each(['mitra-', 'mitra_', 'x.y-'])('equals loadAssets for prefix %s', (prefix) => {
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    const expected = loadAssets(prefix)
      .map(({ kind, id, version }) => ({ kind, id, version }))
      .sort(byId);
    expect([...assetVersions(prefix)].sort(byId)).toEqual(expected);
  });
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
