import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyIndex, incidentReport, type IndexScope, series } from '@mitra/core';
import { testCluster, type TestCluster } from './support/cluster';

/**
 * Issue 13 took the /proc maps, loadavg and the fstab/hosts/limits/resolv lists
 * out of the mapping (they stay in _source). An index made before keeps them
 * mapped: `mitra setup` must put the new mapping on it without a conflict (a
 * conflict would leave every other mapping change unapplied too), and the
 * readers of those numbers must answer the same from an old index and a new one.
 * The old mapping is the real one: buildMappings() of the schema before the change.
 */
const BEFORE = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'mappings', 'before-issue-13.json'), 'utf8')) as Record<
  string,
  unknown
>;
const HOST = 'db-07';
// Day 1 lands in the history index made with the old mapping, day 2 in one the new template makes.
const TIMES = ['2026-11-24T23:59:58.000Z', '2026-11-24T23:59:59.000Z', '2026-11-25T00:00:00.000Z', '2026-11-25T00:00:01.000Z'];
const CACHED_KB = [13_107_200, 9_437_184, 2_097_152, 262_144];

type Mapping = { properties?: Record<string, Mapping>; type?: string };
const mappingOf = (m: Mapping, path: string): Mapping | undefined =>
  path.split('.').reduce<Mapping | undefined>((node, part) => node?.properties?.[part], m);

describe('an index made with the mapping before issue 13', () => {
  let c: TestCluster;
  let scope: IndexScope;
  let reasons: string[];

  beforeAll(async () => {
    c = await testCluster('schema-upgrade');
    scope = { client: c.client, prefix: c.prefix };
    const settings = { number_of_shards: 1, number_of_replicas: 0, 'mapping.total_fields.limit': 5000 };
    for (const index of [`${c.prefix}current`, historyIndex(c.prefix, '2026.11.24')])
      await c.client.indices.create({ index, settings, mappings: BEFORE as never });
    const results = await (await import('@mitra/ingest-pipelines')).installAssets(c.client, c.prefix);
    reasons = results.filter((r) => r.reason).map((r) => `${r.id}: ${r.reason}`);
    const operations = TIMES.flatMap((at, i) =>
      ['history', 'current'].flatMap((target) => [
        { index: { _index: 'incoming' } },
        {
          '@timestamp': at,
          host: { name: HOST },
          file: { path: '/proc/meminfo' },
          mitra: {
            target,
            content: `MemTotal:       16384000 kB\nCached:         ${CACHED_KB[i]} kB\nAnonPages:      1572864 kB\nNotAKernelKey:  7 kB\n`,
          },
        },
      ]),
    );
    const res = await c.client.bulk({ pipeline: c.pipeline, operations, refresh: true });
    if (res.errors) throw new Error(JSON.stringify(res.items.find((i) => i.index?.error)));
  });
  afterAll(() => c.cleanup());

  it('setup upgrades it without a mapping conflict; the old fields stay, a new daily index has none', async () => {
    expect(reasons).toEqual([]);
    const old = (await c.client.indices.getMapping({ index: historyIndex(c.prefix, '2026.11.24') }))[historyIndex(c.prefix, '2026.11.24')];
    const fresh = (await c.client.indices.getMapping({ index: historyIndex(c.prefix, '2026.11.25') }))[
      historyIndex(c.prefix, '2026.11.25')
    ];
    expect(mappingOf(old.mappings as Mapping, 'mitra.meminfo.Cached')?.type).toBe('long');
    expect(mappingOf(fresh.mappings as Mapping, 'mitra.meminfo')).toBeUndefined();
    expect(mappingOf(fresh.mappings as Mapping, 'mitra.hosts')).toBeUndefined();
    // What the questions filter on is indexed in both.
    for (const m of [old, fresh]) expect(mappingOf(m.mappings as Mapping, 'mitra.package_names')?.type).toBe('keyword');
  });

  it('history --series reads both indices the same way, in time order', async () => {
    const s = await series(scope, { host: HOST, field: 'mitra.meminfo.Cached' });
    expect(s.points).toEqual(TIMES.map((t, i) => ({ t, value: CACHED_KB[i] * 1024 })));
    // More snapshots than max-points: every document of the range read from _source, bucketed (2 s, epoch-aligned).
    const h = await series(scope, { host: HOST, field: 'mitra.meminfo.Cached', maxPoints: 2 });
    expect(h.mode).toBe('histogram');
    expect(h.points.map((p) => [p.t, p.count, p.min, p.max])).toEqual([
      [TIMES[0], 2, CACHED_KB[1] * 1024, CACHED_KB[0] * 1024],
      [TIMES[2], 2, CACHED_KB[3] * 1024, CACHED_KB[2] * 1024],
    ]);
  });

  it('the incident replay reads the meminfo of both indices', async () => {
    const r = await incidentReport(scope, { host: HOST, from: TIMES[0], to: TIMES[3] });
    expect(r.memory.observations).toBe(4);
    expect(r.sources.history).toBe(4);
  });
});
