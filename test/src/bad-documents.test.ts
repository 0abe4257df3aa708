import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR } from '@mitra/ingest-pipelines';
import { classifyItem } from '@mitra/beats';
import { testCluster, type TestCluster } from './support/cluster';
import { currentIndex, currentStateId, historyIndex, historyIndices } from '@mitra/core';

/**
 * The bad-document corpus (ingest-pipelines/fixtures/bad/*.json) through the
 * real pipeline with real `_bulk` requests into the real indices. Every case is
 * either rejected with one readable line naming the field, or stored with
 * mitra.error and none of the parser's output, or clamped (a timestamp outside
 * the window), or stored with exactly the values the case states. Nothing is
 * ever stored with a silently wrong value, and no document grows the mapping.
 */

type Json = Record<string, unknown>;
interface Case {
  name: string;
  why: string;
  doc: Json;
  expect: 'reject' | 'error' | 'clamped' | 'stored';
  /** reject: the field the reason must name. */
  field?: string;
  /** reject: pattern of the reason; error/clamped: pattern of mitra.error.message. */
  reason?: string;
  message?: string;
  /** error: mitra.error.tag. */
  tag?: string;
  /** error/stored: fields that must not be in _source. */
  absent?: string[];
  /** stored: exact values in _source. */
  values?: Record<string, unknown>;
}
interface Outcome {
  /** The bulk item's HTTP status. */
  status: number;
  /** The stored document's routing, if any. */
  routing?: string;
  error?: { type: string; reason: string };
  index?: string;
  id?: string;
  source?: Json;
}

const BAD_DIR = join(FIXTURES_DIR, 'bad');
/** What leaks from the JVM when a message is not written for people. */
const JAVA_INTERNALS =
  /java\.|Exception|Cannot (cast|invoke)|For input string|could not be parsed at index|NullPointer|out of bounds|painless/i;
const RAW = '__RAW_NUMBER__';

const cases: Case[] = readdirSync(BAD_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => JSON.parse(readFileSync(join(BAD_DIR, f), 'utf8')) as Case[]);

let c: TestCluster;
let mappingBefore: Json;
let outcomes: Outcome[];
const sent: Json[] = cases.map((k) => expand(k.doc) as Json);

beforeAll(async () => {
  c = await testCluster('bad-documents');
  await c.setup();
  mappingBefore = await currentMapping();
  outcomes = await bulk(sent);
  await c.refresh();
}, 120_000);
afterAll(() => c.cleanup());

test('the corpus has the cases the issue names and more than 60 in all', () => {
  expect(cases.length).toBeGreaterThanOrEqual(60);
  expect(new Set(cases.map((k) => k.name)).size).toBe(cases.length);
  for (const name of [
    'meminfo-overflow-long',
    'fstab-html',
    'resolv_conf-garbage',
    'state-bogus',
    'path-relative',
    'path-dotdot',
    'timestamp-year-0001',
    'timestamp-year-1970-epoch-zero',
    'timestamp-year-9999',
    'host-40kb',
  ]) {
    expect(cases.map((k) => k.name)).toContain(name);
  }
});

describe.each(['reject', 'error', 'clamped', 'stored'] as const)('%s cases', (kind) => {
  const mine = cases.map((k, i) => [k.name, i] as const).filter(([, i]) => cases[i].expect === kind);
  if (mine.length === 0) return;
  test.each(mine)('%s', async (_name, i) => check(cases[i], sent[i], outcomes[i]));
});

test('nothing stored carries a wrong value: every stored document is an error, a clamp or a stated value', async () => {
  const res = await c.client.search<Json>({ index: `${c.prefix}*`, size: 1000, query: { match_all: {} } });
  const stored = res.hits.hits;
  const expectedStored = outcomes.filter((o) => !o.error).length;
  expect(stored).toHaveLength(expectedStored);
  for (const hit of stored) {
    const i = outcomes.findIndex((o) => o.id === hit._id && o.index === hit._index);
    expect({ id: hit._id, known: i >= 0 }).toEqual({ id: hit._id, known: true });
    expect(['error', 'clamped', 'stored']).toContain(cases[i].expect);
  }
});

test('no history index exists for a day before 2000 or after tomorrow (0001, 1970, 9999 created none)', async () => {
  const indices = Object.keys(await c.client.indices.get({ index: historyIndices(c.prefix), allow_no_indices: true }));
  expect(indices.length).toBeGreaterThan(0);
  const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  for (const index of indices) {
    const day = index.slice(historyIndex(c.prefix, '').length).replaceAll('.', '-');
    expect({ index, sane: day >= '2000-01-01' && day <= tomorrow }).toEqual({ index, sane: true });
  }
});

test('the corpus (10,000-key meminfo, vmstat, sysctl; node 9999) added no field to any index', async () => {
  expect(await currentMapping()).toEqual(mappingBefore);
  const all = await c.client.indices.getMapping({ index: historyIndices(c.prefix) });
  for (const [index, m] of Object.entries(all)) expect({ index, mappings: m.mappings }).toEqual({ index, mappings: mappingBefore });
});

test('after 10,000 junk keys, a normal host still indexes and its meminfo is read back as stored', async () => {
  const meminfo = readFileSync(join(FIXTURES_DIR, 'meminfo', 'local.input.json'), 'utf8');
  const normal = JSON.parse(meminfo) as Json;
  const host = 'normal-after-junk';
  const docs = [
    { ...normal, host: { name: host } },
    { ...normal, host: { name: host }, mitra: { ...(normal.mitra as Json), target: 'history' } },
  ];
  const res = await bulk(docs);
  expect(res.map((o) => o.error)).toEqual([undefined, undefined]);
  await c.refresh();
  const memTotal = Number(/^MemTotal:\s+(\d+) kB/m.exec(String((normal.mitra as Json).content))![1]) * 1024;
  // The /proc maps are kept in _source only (core/FIELDS.md): their readers find the host's documents, then read the numbers there.
  for (const index of [currentIndex(c.prefix), historyIndices(c.prefix)]) {
    const found = await c.client.search<Json>({
      index,
      query: { bool: { filter: [{ term: { 'host.name': host } }, { term: { 'file.path': '/proc/meminfo' } }] } },
    });
    expect({ index, memTotal: found.hits.hits.map((h) => pick(h._source!, 'mitra.meminfo.MemTotal')) }).toEqual({
      index,
      memTotal: [memTotal],
    });
  }
  // The junk is data, not fields: in _source, but no query on it matches.
  const junk = await c.client.count({ index: currentIndex(c.prefix), query: { exists: { field: 'mitra.meminfo.Junk42' } } });
  expect(junk.count).toBe(0);
  const junkDoc = await c.client.get<Json>({ index: currentIndex(c.prefix), id: currentStateId('junk-meminfo', '/proc/meminfo') });
  expect(Object.keys(pick(junkDoc._source!, 'mitra.meminfo') as Json)).toHaveLength(10_001);
  expect(await currentMapping()).toEqual(mappingBefore);
});

async function check(k: Case, doc: Json, o: Outcome): Promise<void> {
  if (k.expect === 'reject') {
    expect(o.error).toBeDefined();
    // Refused for good, as the agent reads the answer: not a failure it resends forever
    // (Elasticsearch 7 and OpenSearch answer the pipeline's own refusal with 500 fail_processor_exception).
    expect({ verdict: classifyItem({ status: o.status, error: o.error }).kind, reason: o.error!.reason }).toEqual({
      verdict: 'rejected',
      reason: o.error!.reason,
    });
    expect(o.error!.reason).toMatch(new RegExp(k.reason!));
    expect(o.error!.reason).toContain(k.field!);
    expect(o.error!.reason).not.toMatch(JAVA_INTERNALS);
    expect(o.error!.reason.split('\n')).toHaveLength(1);
    const host = (doc.host as Json | undefined)?.name;
    if (typeof host === 'string' && host.trim() && host.length <= 255) {
      const n = await c.client.count({ index: `${c.prefix}*`, query: { term: { 'host.name': host } } });
      expect(n.count).toBe(0);
    }
    return;
  }
  expect(o.error).toBeUndefined();
  const src = o.source!;
  // Whatever the sender planted (_id, _index, _routing), a current snapshot has the id rule's id in the current index,
  // routed by its host (the host join), and a history version has no routing (it is fetched by id alone).
  const host = String(pick(src, 'host.name'));
  if (pick(src, 'mitra.target') === 'current') {
    const id = currentStateId(host, String(pick(src, 'file.path')));
    expect({ id: o.id, index: o.index, routing: o.routing }).toEqual({ id, index: currentIndex(c.prefix), routing: host });
  } else {
    expect({ id: o.id, routing: o.routing }).toEqual({ id: o.id, routing: undefined });
  }
  const error = pick(src, 'mitra.error') as Json | undefined;
  for (const f of k.absent ?? []) expect({ field: f, value: pick(src, f) }).toEqual({ field: f, value: undefined });
  if (k.expect === 'stored') {
    expect(error).toBeUndefined();
    for (const [f, v] of Object.entries(k.values ?? {})) expect({ field: f, value: pick(src, f) }).toEqual({ field: f, value: v });
    return;
  }
  expect(error).toBeDefined();
  expect(String(error!.message)).not.toMatch(JAVA_INTERNALS);
  if (k.expect === 'error') {
    expect(error!.tag).toBe(k.tag);
    expect(String(error!.message)).toMatch(new RegExp(k.message!));
    // The document keeps what was sent: the content, so nothing collected is lost.
    const content = pick(doc, 'mitra.content');
    if (typeof content === 'string') expect(pick(src, 'mitra.content')).toBe(content);
    return;
  }
  // clamped: kept at the ingest time, the sent value beside it, routed to the ingest day.
  expect(error!.tag).toBe('timestamp_window');
  expect(String(error!.message)).toMatch(new RegExp(k.message!));
  expect(src['@timestamp']).toBe(pick(src, 'mitra.ingested_at'));
  expect(pick(src, 'mitra.sent_timestamp')).toEqual(doc['@timestamp']);
  const day = String(src['@timestamp']).slice(0, 10).replaceAll('-', '.');
  const target = pick(src, 'mitra.target');
  expect(o.index).toBe(target === 'history' ? historyIndex(c.prefix, day) : currentIndex(c.prefix));
}

/** Real _bulk into the real indices; each item read back from where the pipeline routed it. */
async function bulk(docs: Json[]): Promise<Outcome[]> {
  const lines = docs.flatMap((d) => [JSON.stringify({ index: { _index: `${c.prefix}incoming` } }), rawNumbers(JSON.stringify(d))]);
  const res = (await c.client.transport.request({
    method: 'POST',
    path: '/_bulk',
    querystring: { pipeline: c.pipeline, refresh: 'true' },
    bulkBody: `${lines.join('\n')}\n`,
  })) as { items: { index: { _index: string; _id: string; status: number; error?: { type: string; reason: string } } }[] };
  return Promise.all(
    res.items.map(async ({ index: item }): Promise<Outcome> => {
      if (item.error) return { status: item.status, error: { type: item.error.type, reason: item.error.reason } };
      const got = await c.client.get<Json>({ index: item._index, id: item._id });
      return { status: item.status, index: item._index, id: item._id, source: got._source!, routing: got._routing };
    }),
  );
}

async function currentMapping(): Promise<Json> {
  const m = await c.client.indices.getMapping({ index: currentIndex(c.prefix) });
  return Object.values(m)[0].mappings as Json;
}

/**
 * Generators keep huge inputs readable in the corpus: {$repeat, times},
 * {$lines, count} ({i} is the line number from 0), {$concat: [...]},
 * {$now: offset ms} (an ISO time relative to now), {$raw: digits} (a JSON
 * number no JavaScript number can hold, written verbatim).
 */
function expand(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(expand);
  if (!v || typeof v !== 'object') return v;
  const o = v as Json;
  if ('$repeat' in o) return String(o.$repeat).repeat(Number(o.times));
  if ('$lines' in o)
    return Array.from({ length: Number(o.count) }, (_, i) => String(o.$lines).replaceAll('{i}', String(i))).join('\n') + '\n';
  if ('$concat' in o) return (o.$concat as unknown[]).map(expand).join('');
  if ('$now' in o) return new Date(Date.now() + Number(o.$now)).toISOString();
  if ('$raw' in o) return `${RAW}${String(o.$raw)}`;
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, expand(x)]));
}

function rawNumbers(json: string): string {
  return json.replace(new RegExp(`"${RAW}(-?\\d+)"`, 'g'), '$1');
}

/** A dotted path into a document; keys may themselves hold dots only at the leaf (mitra.meminfo.Junk9999). */
function pick(doc: Json, path: string): unknown {
  let node: unknown = doc;
  for (const part of path.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Json)[part];
  }
  return node;
}
