import { classifyItem } from '@mitra/beats';
import { currentIndex, currentStateId, FIELDS, historyId, historyIndex } from '@mitra/core';
import { loadAssets } from '@mitra/ingest-pipelines';
import { testCluster, type TestCluster } from './support/cluster';

/**
 * The snapshot pipeline against generated hostile documents: a valid wire
 * document with one key replaced or added at each level the pipeline reads
 * (the top, host, file, file.hash, mitra, mitra.agent), by every hostile value
 * below. The keys come from the field schema (each declared field's name at
 * that level, and its remaining path as one dotted key), plus the names the
 * engine owns. What must hold for every one, through a real _bulk:
 * - the answer is final as the agent reads it (beats' classifyItem): nothing
 *   it would resend forever, and no Java class in any message;
 * - an accepted document has no dotted key at those levels, keeps no value
 *   the sender put in a field the pipeline or a parser owns, and is stored
 *   under the id rule's id in the current-state index.
 * The bad-document corpus (bad-documents.test.ts) states exact outcomes; this
 * states properties over many more inputs.
 */

type Json = Record<string, unknown>;

const LEVELS: string[][] = [[], ['host'], ['file'], ['file', 'hash'], ['mitra'], ['mitra', 'agent']];
const ENGINE_KEYS = ['_id', '_index', '_routing', '_if_seq_no', '_if_primary_term', '_version', '_version_type'];
const VALUES: unknown[] = [
  '',
  'x',
  '1',
  -1,
  0,
  1.5,
  1e300,
  true,
  null,
  [],
  [1, 'a'],
  {},
  { a: 1 },
  { a: { b: { c: 1 } } },
  '\u0000',
  'é'.repeat(3000),
  ['x', ['y']],
];
const JAVA_INTERNALS = /java\.|Exception|Cannot (cast|invoke)|For input string|NullPointer|out of bounds|painless/i;

/** Each level's keys: the schema's names at that level, their rest as one dotted key, and the engine's names at the top. */
function keysAt(level: string[]): string[] {
  const keys = new Set<string>(level.length === 0 ? ENGINE_KEYS : ['x.y']);
  for (const { name } of FIELDS) {
    const parts = name.split('.');
    if (parts.length <= level.length || level.some((p, i) => parts[i] !== p)) continue;
    const rest = parts.slice(level.length);
    keys.add(rest[0]);
    if (rest.length > 1) keys.add(rest.join('.'));
  }
  return [...keys];
}

/** The mitra fields no sender may set: the parsers' outputs (the validate script's own list) and the pipeline's stamps. */
function ownedFields(prefix: string): string[] {
  const snapshot = loadAssets(prefix).find((a) => a.id === `${prefix}snapshot`)!;
  const processors = snapshot.body.processors as Json[];
  const validate = processors.map((p) => Object.values(p)[0] as Json).find((p) => p.tag === 'validate')!;
  return [...((validate.params as Json).parsed as string[]), 'pipeline_version', 'ingested_at', 'error'];
}

interface Case {
  label: string;
  level: string[];
  key: string;
  value: unknown;
  doc: Json;
}

/** Valid documents to start from: a file of each parser family, an inventory and a host document. */
const BASES: [path: string, content: string][] = [
  ['/etc/hosts', '127.0.0.1 localhost\n'],
  ['/etc/fstab', '/dev/sda1 / ext4 defaults 0 1\n'],
  ['/etc/sysctl.conf', 'vm.swappiness = 10\n'],
  ['/proc/meminfo', 'MemTotal: 100 kB\nMemFree: 50 kB\n'],
  ['/proc/vmstat', 'pgfault 12\n'],
  ['mitra:packages', 'ii  zsh  5.8-3ubuntu1  amd64\n'],
  ['mitra:host', '/etc/hosts\n'],
];

/** Every key at every level with every value, on a current-state and a history document of each base. */
function cases(): Case[] {
  const out: Case[] = [];
  for (const [path, content] of BASES)
    for (const target of ['current', 'history']) {
      for (const level of LEVELS) {
        for (const key of keysAt(level)) {
          for (const value of VALUES) {
            const doc: Json = {
              '@timestamp': SENT_AT,
              host: { name: `fuzz-${out.length}` },
              file: { path },
              mitra: { content, target },
            };
            let node = doc;
            for (const part of level) node = (node[part] ??= {}) as Json;
            node[key] = value;
            out.push({
              label: `${path} ${target}: ${[...level, key].join(' > ')} = ${JSON.stringify(value)?.slice(0, 40)}`,
              level,
              key,
              value,
              doc,
            });
          }
        }
      }
    }
  return out;
}

const SENT_AT = '2026-12-03T10:00:00.000Z';

interface Answer {
  status: number;
  _index: string;
  _id: string;
  error?: { type?: string; reason?: string };
}

let c: TestCluster;
const all = cases();
const answers: Answer[] = [];
const stored = new Map<number, Json>();

beforeAll(async () => {
  c = await testCluster('pipeline-fuzz');
  await c.setup();
  for (let i = 0; i < all.length; i += 250) {
    const slice = all.slice(i, i + 250);
    const res = await c.client.bulk({
      pipeline: c.pipeline,
      refresh: true,
      operations: slice.flatMap((k) => [{ index: { _index: `${c.prefix}incoming` } }, k.doc]),
    });
    for (const item of res.items) answers.push(item.index as Answer);
  }
  const accepted = answers.flatMap((a, i) => (a.error ? [] : [i]));
  for (let i = 0; i < accepted.length; i += 500) {
    const chunk = accepted.slice(i, i + 500);
    const res = await c.client.mget<Json>({ docs: chunk.map((n) => ({ _index: answers[n]._index, _id: answers[n]._id })) });
    res.docs.forEach((d, j) => {
      if ('_source' in d && d._source) stored.set(chunk[j], d._source);
    });
  }
}, 180_000);
afterAll(() => c.cleanup());

test('the generator covers every level, the schema keys and the engine keys, with both outcomes', () => {
  expect(all.length).toBeGreaterThan(40_000);
  expect(new Set([...stored.values()].map((d) => (d.file as Json).path))).toEqual(new Set(BASES.map(([path]) => path)));
  expect(new Set(all.map((k) => k.level.join('.')))).toEqual(new Set(LEVELS.map((l) => l.join('.'))));
  expect(keysAt(['mitra'])).toEqual(expect.arrayContaining(['content', 'kernel', 'kernel.release', 'agent.version']));
  expect(keysAt([])).toEqual(expect.arrayContaining(['host.name', '_if_seq_no', 'content']));
  expect(answers).toHaveLength(all.length);
  expect(stored.size).toBeGreaterThan(100);
  expect(all.length - stored.size).toBeGreaterThan(100);
});

test('every answer is final as the agent reads it, and no message carries a Java class', () => {
  const wrong = answers.flatMap((a, i) => {
    const verdict = classifyItem({ status: a.status, error: a.error }).kind;
    const reasons = [a.error?.reason ?? '', String((stored.get(i)?.mitra as Json | undefined)?.error ?? '')];
    const java = reasons.some((r) => JAVA_INTERNALS.test(typeof r === 'string' ? r : JSON.stringify(r)));
    return verdict === 'retry' || java
      ? [`${all[i].label}: ${a.status} ${a.error?.type ?? ''} ${a.error?.reason?.slice(0, 120) ?? ''}`]
      : [];
  });
  expect(wrong).toEqual([]);
});

test('an accepted document has no dotted key where the pipeline reads, and no sender value in an owned field', () => {
  const owned = ownedFields(c.prefix);
  const wrong: string[] = [];
  for (const [i, source] of stored) {
    for (const level of LEVELS) {
      let node: unknown = source;
      for (const part of level) node = node && typeof node === 'object' ? (node as Json)[part] : undefined;
      if (!node || typeof node !== 'object' || Array.isArray(node)) continue;
      for (const key of Object.keys(node)) if (key.includes('.')) wrong.push(`${all[i].label}: stored key ${[...level, key].join(' > ')}`);
    }
    const { level, key, value } = all[i];
    const mitra = source.mitra as Json;
    if (level.join('.') === 'mitra' && owned.includes(key) && value !== null && JSON.stringify(mitra[key]) === JSON.stringify(value)) {
      wrong.push(`${all[i].label}: the sender's value stayed in mitra.${key}`);
    }
  }
  expect(wrong).toEqual([]);
});

test('an accepted document is stored under the id rule in its index, whatever _id, _index or _routing it planted', () => {
  const wrong: string[] = [];
  const targets = new Set<unknown>();
  for (const [i, source] of stored) {
    const host = (source.host as Json).name as string;
    const path = (source.file as Json).path as string;
    const target = (source.mitra as Json).target;
    targets.add(target);
    // A history version keeps the time it was sent in its id; its day comes from the stored (sane) @timestamp.
    const sent = ((source.mitra as Json).sent_timestamp ?? source['@timestamp']) as string;
    const expected =
      target === 'current'
        ? { _index: currentIndex(c.prefix), _id: currentStateId(host, path) }
        : {
            _index: historyIndex(c.prefix, String(source['@timestamp']).slice(0, 10).replaceAll('-', '.')),
            _id: historyId(host, path, sent),
          };
    const { _index, _id } = answers[i];
    if (_index !== expected._index || _id !== expected._id) wrong.push(`${all[i].label}: ${_index}/${_id}`);
  }
  expect(targets).toEqual(new Set(['current', 'history']));
  expect(wrong).toEqual([]);
});
