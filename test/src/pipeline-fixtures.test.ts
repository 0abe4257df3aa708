import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR, loadAssets } from '@mitra/ingest-pipelines';
import { testCluster, type TestCluster } from './support/cluster';
import { contentHash, currentIndex, currentStateId, historyId, historyIndex, snapshotPipeline } from '@mitra/core';

/**
 * Pipeline tests as data: every ingest-pipelines/fixtures/<folder>/<case>.input.json
 * (a wire-format snapshot) goes through the real installed pipeline, both with
 * `_simulate` and with a real `_bulk` + get by id, and must come out exactly as
 * <case>.expected.json says. See ingest-pipelines/README.md ("Fixtures").
 *
 * UPDATE_FIXTURES=1 writes the pipeline's current output as the expected files.
 * Those are drafts: review every value against the input before keeping them.
 */

type Json = Record<string, unknown>;
interface ExpectedDocument {
  _index: string;
  _id: string;
  _source: Json;
}
interface ExpectedRejection {
  error: { type: string; reason: string };
}
type Expected = ExpectedDocument | ExpectedRejection;

interface Fixture {
  name: string;
  input: Json;
  expectedPath: string;
}

interface PipelineOutcome {
  doc?: { _index: string; _id: string; _source: Json };
  error?: { type: string; reason: string };
}

const UPDATE = process.env.UPDATE_FIXTURES === '1';
/** Fixtures are written for the default prefix; the test's own prefix is mapped back to it. */
const FIXTURE_PREFIX = 'mitra-';

const fixtures = loadFixtures();
let cluster: TestCluster;
let snapshotVersion: number;
let simulated: PipelineOutcome[];
let bulked: PipelineOutcome[];

beforeAll(async () => {
  // The pid keeps two concurrent runs of this file (two developers, one engine) from deleting each other's pipelines.
  cluster = await testCluster(`pipeline-fixtures-${process.pid}`);
  await cluster.setup();
  snapshotVersion = loadAssets(cluster.prefix).find((a) => a.id === snapshotPipeline(cluster.prefix))!.version;
  const installed = await cluster.client.ingest.getPipeline({ id: snapshotPipeline(cluster.prefix) });
  expect(installed[snapshotPipeline(cluster.prefix)].version).toBe(snapshotVersion);
  simulated = await simulate(fixtures);
  bulked = await bulkIndex(fixtures);
});
afterAll(() => cluster.cleanup());

test('no two fixtures land on the same document (each is read back by its id)', () => {
  expect(fixtures.length).toBeGreaterThan(0);
  const targets = bulked.filter((o) => o.doc).map((o) => `${o.doc!._index}/${o.doc!._id}`);
  expect(new Set(targets).size).toBe(targets.length);
});

test.each(fixtures.map((f, i) => [f.name, i] as const))('%s', async (_name, i) => {
  const fixture = fixtures[i];
  if (UPDATE) writeDraft(fixture, simulated[i]);
  if (!existsSync(fixture.expectedPath)) {
    throw new Error(`${fixture.expectedPath} is missing: write a draft with UPDATE_FIXTURES=1, then review every value`);
  }
  const expected = JSON.parse(readFileSync(fixture.expectedPath, 'utf8')) as Expected;

  if ('error' in expected) {
    expect(simulated[i].error).toEqual(expected.error);
    expect(bulked[i].error).toEqual(expected.error);
    return;
  }
  // The fixture's own routing is checked against the rules, computed here independently.
  expect(expected._id).toBe(expectedId(fixture.input));
  expect(expected._index).toBe(expectedIndex(fixture.input));
  const content = (fixture.input.mitra as Json | undefined)?.content;
  const state = (expected._source.mitra as Json).state;
  if (typeof content === 'string' && state === 'present') {
    expect(((expected._source.file as Json).hash as Json).sha256).toBe(contentHash(content));
  }

  expect(normalise(simulated[i].doc!)).toEqual(expected);

  // Really indexed: the bulk item names the routed index and id, and the stored document is the expected one.
  expect(bulked[i].error).toBeUndefined();
  expect({ _index: toFixturePrefix(bulked[i].doc!._index), _id: bulked[i].doc!._id }).toEqual({
    _index: expected._index,
    _id: expected._id,
  });
  const stored = await cluster.client.get<Json>({ index: fromFixturePrefix(expected._index), id: expected._id });
  expect(normalise({ _index: stored._index, _id: stored._id, _source: stored._source! })).toEqual(expected);
});

test('parsers upgraded centrally are re-applied to stored snapshots with _update_by_query', async () => {
  const unknown = fixtures.findIndex((f) => f.name === 'snapshot/unknown-format');
  const { _index, _id } = bulked[unknown].doc!;
  // Stands in for a parser release: the format that had no parser gets one.
  await cluster.client.ingest.putPipeline({
    id: `${cluster.prefix}parse-nginx`,
    processors: [{ set: { tag: 'parse_nginx', field: 'mitra.nginx.parsed', value: true } }],
  });
  const res = await cluster.client.updateByQuery({
    index: `${cluster.prefix}*`,
    pipeline: cluster.pipeline,
    refresh: true,
    conflicts: 'proceed',
  });
  expect(res.failures).toEqual([]);
  expect(res.updated).toBe(bulked.filter((o) => o.doc).length);

  const upgraded = (await cluster.client.get<Json>({ index: _index, id: _id }))._source!;
  expect((upgraded.mitra as Json).nginx).toEqual({ parsed: true });
  expect((upgraded.mitra as Json).error).toBeUndefined();
  // Every other document is re-parsed to exactly what it was: re-applying is idempotent.
  for (const [i, f] of fixtures.entries()) {
    if (i === unknown || !bulked[i].doc) continue;
    const stored = await cluster.client.get<Json>({ index: bulked[i].doc!._index, id: bulked[i].doc!._id });
    const expected = JSON.parse(readFileSync(f.expectedPath, 'utf8')) as ExpectedDocument;
    expect({ name: f.name, doc: normalise({ _index: stored._index, _id: stored._id, _source: stored._source! }) }).toEqual({
      name: f.name,
      doc: expected,
    });
  }
});

function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((dir) =>
      readdirSync(join(FIXTURES_DIR, dir.name))
        .filter((f) => f.endsWith('.input.json'))
        .sort()
        .map((file): Fixture => {
          const base = join(FIXTURES_DIR, dir.name, file.replace(/\.input\.json$/, ''));
          const input = JSON.parse(readFileSync(`${base}.input.json`, 'utf8')) as Json;
          return { name: `${dir.name}/${file.replace(/\.input\.json$/, '')}`, input, expectedPath: `${base}.expected.json` };
        }),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function simulate(all: Fixture[]): Promise<PipelineOutcome[]> {
  const res = await cluster.client.ingest.simulate({
    id: cluster.pipeline,
    docs: all.map((f) => ({ _index: `${cluster.prefix}incoming`, _source: f.input })),
  });
  return (res.docs as unknown as { doc?: PipelineOutcome['doc']; error?: Json }[]).map((d) =>
    d.error ? { error: rejection(d.error) } : { doc: d.doc },
  );
}

/** Sends every fixture in one bulk, as a sender would; a document that is not routed lands in `<prefix>incoming`. */
async function bulkIndex(all: Fixture[]): Promise<PipelineOutcome[]> {
  const operations = all.flatMap((f) => [{ index: { _index: `${cluster.prefix}incoming` } }, f.input]);
  const res = await cluster.client.bulk({ pipeline: cluster.pipeline, operations, refresh: true });
  return res.items.map((item) => {
    const r = item.index!;
    if (r.error) return { error: rejection(r.error as unknown as Json) };
    return { doc: { _index: r._index, _id: r._id!, _source: {} } };
  });
}

const rejection = (e: Json) => ({ type: String(e.type), reason: toFixturePrefix(String(e.reason)) });

/** The original Mitra id rule (current) and the idempotent history id, from the input alone. */
function expectedId(input: Json): string {
  const host = (input.host as Json).name as string;
  const path = (input.file as Json).path as string;
  const mitra = input.mitra as Json;
  return mitra.target === 'history' ? historyId(host, path, input['@timestamp'] as string) : currentStateId(host, path);
}

/** current → mitra-current; history → mitra-history-<UTC date of @timestamp>. */
function expectedIndex(input: Json): string {
  if ((input.mitra as Json).target !== 'history') return currentIndex(FIXTURE_PREFIX);
  const day = new Date(input['@timestamp'] as string).toISOString().slice(0, 10).replaceAll('-', '.');
  return historyIndex(FIXTURE_PREFIX, day);
}

const toFixturePrefix = (text: string) => text.replaceAll(cluster.prefix, FIXTURE_PREFIX);
const fromFixturePrefix = (index: string) => cluster.prefix + index.slice(FIXTURE_PREFIX.length);

/** Pipeline output in fixture terms: default prefix (index names, error messages) and no ingest time. */
function normalise(doc: NonNullable<PipelineOutcome['doc']>): ExpectedDocument {
  return {
    _index: toFixturePrefix(doc._index),
    _id: doc._id,
    _source: replaceStrings(withoutIngestedAt(doc._source), toFixturePrefix) as Json,
  };
}

/**
 * The snapshot pipeline's version is a hash of its content (contentVersion), so
 * fixtures name it instead of copying it: only the installed pipeline's own
 * version becomes the placeholder, any other number stays and fails the comparison.
 */
const VERSION_PLACEHOLDER = '{{snapshot version}}';

function withoutIngestedAt(source: Json): Json {
  const mitra = { ...(source.mitra as Json) };
  delete mitra.ingested_at;
  if (mitra.pipeline_version === snapshotVersion) mitra.pipeline_version = VERSION_PLACEHOLDER;
  return { ...source, mitra };
}

function replaceStrings(node: unknown, fn: (s: string) => string): unknown {
  if (typeof node === 'string') return fn(node);
  if (Array.isArray(node)) return node.map((n) => replaceStrings(n, fn));
  if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, replaceStrings(v, fn)]));
  return node;
}

/** Sorted keys keep drafts diffable; array order is meaningful and kept. */
function sortKeys(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(sortKeys);
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.keys(node)
        .sort()
        .map((k) => [k, sortKeys((node as Json)[k])]),
    );
  }
  return node;
}

function writeDraft(fixture: Fixture, outcome: PipelineOutcome): void {
  const draft: Expected = outcome.error ? { error: outcome.error } : normalise(outcome.doc!);
  writeFileSync(fixture.expectedPath, JSON.stringify(sortKeys(draft), null, 2) + '\n');
}
