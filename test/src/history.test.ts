import {
  contentAt,
  contentHash,
  diffHosts,
  diffVersions,
  historyId,
  type IndexScope,
  listVersions,
  NotFoundError,
  series,
  type Target,
  UsageError,
} from '@mitra/core';
import { runMitra } from './support/cli';
import { testCluster, type TestCluster } from './support/cluster';

/** Wire documents as an agent sends them: a change goes to current and history in one bulk. */
interface Snapshot {
  host: string;
  path: string;
  at: string;
  content: string;
  target?: Target;
}

async function send(c: TestCluster, snapshots: Snapshot[]): Promise<void> {
  const operations = snapshots.flatMap((s) => [
    { index: { _index: 'incoming' } },
    { '@timestamp': s.at, host: { name: s.host }, file: { path: s.path }, mitra: { content: s.content, target: s.target ?? 'current' } },
  ]);
  const res = await c.client.bulk({ pipeline: c.pipeline, operations, refresh: true });
  if (res.errors) throw new Error(JSON.stringify(res.items.find((i) => i.index?.error)));
}

/** A change: history and current together. */
const change = (host: string, path: string, at: string, content: string): Snapshot[] => [
  { host, path, at, content, target: 'history' },
  { host, path, at, content, target: 'current' },
];

const HOSTS_V1 = '127.0.0.1 localhost\n10.0.0.1 web-01\n10.0.0.2 web-02\n10.0.0.3 db-01\n';
const HOSTS_V2 = '127.0.0.1 localhost\n10.0.0.1 web-01\n10.0.0.2 web-02\n10.0.0.9 db-01\n';
const HOSTS_V3 = HOSTS_V2 + '10.0.0.4 cache-01\n';
const HOSTS_V4 = '127.0.0.1 localhost\n10.0.0.2 web-02\n10.0.0.9 db-01\n10.0.0.4 cache-01\n';
// Spread over three UTC days, so the answer spans several daily history indices.
const T1 = '2026-11-20T10:00:00.000Z';
const T2 = '2026-11-21T09:30:00.000Z';
const T3 = '2026-11-21T17:45:00.000Z';
const T4 = '2026-11-22T08:00:00.000Z';
const LAST_SEEN = '2026-11-23T12:00:00.000Z';

describe('history, content at a time, diff', () => {
  let c: TestCluster;
  let scope: IndexScope;

  beforeAll(async () => {
    c = await testCluster('c2-history');
    await c.setup();
    scope = { client: c.client, prefix: c.prefix };
    await send(c, [
      ...change('web-01', '/etc/hosts', T1, HOSTS_V1),
      ...change('web-01', '/etc/hosts', T2, HOSTS_V2),
      ...change('web-01', '/etc/hosts', T3, HOSTS_V3),
      ...change('web-01', '/etc/hosts', T4, HOSTS_V4),
      ...change('web-02', '/etc/hosts', T1, HOSTS_V1),
    ]);
    // Unchanged since T4: only the current-state document is refreshed (last seen).
    await send(c, [{ host: 'web-01', path: '/etc/hosts', at: LAST_SEEN, content: HOSTS_V4 }]);
  });
  afterAll(() => c.cleanup());

  it('lists versions newest first with their hash, size and id, and says when the file was last seen', async () => {
    const list = await listVersions(scope, { host: 'web-01', path: '/etc/hosts' });
    expect(list.total).toBe(4);
    expect(list.versions.map((v) => v.timestamp)).toEqual([T4, T3, T2, T1]);
    expect(list.versions.map((v) => v.sha256)).toEqual([HOSTS_V4, HOSTS_V3, HOSTS_V2, HOSTS_V1].map(contentHash));
    expect(list.versions[3].id).toBe(historyId('web-01', '/etc/hosts', T1));
    expect(list.versions[3].index).toBe(`${c.prefix}history-2026.11.20`);
    expect(list.asOf).toBe(LAST_SEEN);
    const page1 = await listVersions(scope, { host: 'web-01', path: '/etc/hosts', size: 3 });
    expect([page1.total, page1.size, page1.versions.map((v) => v.timestamp)]).toEqual([4, 3, [T4, T3, T2]]);
    const page2 = await listVersions(scope, { host: 'web-01', path: '/etc/hosts', size: 3, cursor: page1.next });
    expect(page2.versions.map((v) => v.timestamp)).toEqual([T1]);
    expect(page2.next).toBeUndefined();
  });

  it('answers content at a time: exactly at a boundary, between versions, before the first one', async () => {
    const at = (t: string) => contentAt(scope, { host: 'web-01', path: '/etc/hosts', at: t });
    expect((await at(T2)).content).toBe(HOSTS_V2);
    expect((await at('2026-11-21T09:29:59.999Z')).content).toBe(HOSTS_V1);
    expect((await at('2026-11-21T12:00:00.000Z')).version?.timestamp).toBe(T2);
    expect((await at('2026-12-31T00:00:00.000Z')).content).toBe(HOSTS_V4);
    const before = await at('2026-11-19T00:00:00.000Z');
    expect(before.version).toBeNull();
    expect(before.content).toBeNull();
  });

  it('diffs two versions by time with an exact unified diff', async () => {
    const d = await diffVersions(scope, { host: 'web-01', path: '/etc/hosts', from: { at: T1 }, to: { at: '2026-11-21T12:00:00Z' } });
    // V1 -> V2: db-01 moved from 10.0.0.3 to 10.0.0.9 on line 4; lines 1-3 are the context.
    expect(d.diff).toBe(
      [
        `--- web-01:/etc/hosts@${T1}`,
        `+++ web-01:/etc/hosts@${T2}`,
        '@@ -1,4 +1,4 @@',
        ' 127.0.0.1 localhost',
        ' 10.0.0.1 web-01',
        ' 10.0.0.2 web-02',
        '-10.0.0.3 db-01',
        '+10.0.0.9 db-01',
        '',
      ].join('\n'),
    );
    expect(d.identical).toBe(false);
    expect(d.asOf).toBe(LAST_SEEN);
  });

  it('diffs two versions by id (line removed and line added)', async () => {
    const d = await diffVersions(scope, {
      from: { id: historyId('web-01', '/etc/hosts', T3) },
      to: { id: historyId('web-01', '/etc/hosts', T4) },
    });
    // V3 -> V4 removes web-01 (line 2); nothing else changes, context is the whole 5-line file.
    expect(d.diff.split('\n').slice(2)).toEqual([
      '@@ -1,5 +1,4 @@',
      ' 127.0.0.1 localhost',
      '-10.0.0.1 web-01',
      ' 10.0.0.2 web-02',
      ' 10.0.0.9 db-01',
      ' 10.0.0.4 cache-01',
      '',
    ]);
  });

  it("diffs two hosts' current copies, and names what is missing", async () => {
    const d = await diffHosts(scope, { path: '/etc/hosts', hostA: 'web-02', hostB: 'web-01' });
    expect(d.from.timestamp).toBe(T1);
    expect(d.to.timestamp).toBe(LAST_SEEN);
    expect(d.diff).toContain('\n-10.0.0.1 web-01\n');
    expect(d.diff).toContain('\n-10.0.0.3 db-01\n');
    expect(d.diff).toContain('\n+10.0.0.4 cache-01\n');
    await expect(diffHosts(scope, { path: '/etc/hosts', hostA: 'web-01', hostB: 'nope' })).rejects.toThrow(NotFoundError);
    await expect(
      diffVersions(scope, { host: 'web-01', path: '/etc/hosts', from: { at: '2020-01-01T00:00:00Z' }, to: { at: T4 } }),
    ).rejects.toThrow(/no version at or before 2020-01-01/);
  });

  it('mitra history and mitra diff print the same answers (exit 1 when files differ)', async () => {
    const p = ['--prefix', c.prefix];
    const list = await runMitra(['history', 'web-01', '/etc/hosts', ...p]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(historyId('web-01', '/etc/hosts', T1));
    expect(list.stdout.trim().split('\n').pop()).toBe(`4 versions, as of ${LAST_SEEN}`);
    const at = await runMitra(['history', 'web-01', '/etc/hosts', '--at', '2026-11-21T12:00:00Z', ...p]);
    expect(at.stdout).toBe(HOSTS_V2);
    const diff = await runMitra(['diff', 'web-01', '/etc/hosts', T1, T2, ...p]);
    expect(diff.code).toBe(1);
    expect(diff.stdout).toBe((await diffVersions(scope, { host: 'web-01', path: '/etc/hosts', from: { at: T1 }, to: { at: T2 } })).diff);
    expect((await runMitra(['diff', 'web-01', '/etc/hosts', T2, '2026-11-21T12:00:00Z', ...p])).code).toBe(0);
    // The flag spellings: --from/--to give the same diff; --against compares two hosts' current copies.
    const flags = await runMitra(['diff', 'web-01', '/etc/hosts', '--from', T1, '--to', T2, ...p]);
    expect([flags.code, flags.stdout]).toEqual([1, diff.stdout]);
    const against = await runMitra(['diff', 'web-01', '/etc/hosts', '--against', 'web-02', ...p]);
    expect(against.code).toBe(1);
    expect(against.stdout).toBe((await diffHosts(scope, { hostA: 'web-01', hostB: 'web-02', path: '/etc/hosts' })).diff);
    const mixed = await runMitra(['diff', 'web-01', '/etc/hosts', '--against', 'web-02', '--from', T1, ...p]);
    expect([mixed.code, mixed.stderr.trim()]).toEqual([
      2,
      'mitra: diff: --against compares current copies; it does not go with --from/--to',
    ]);
    const bad = await runMitra(['history', 'web-01', '/etc/hosts', '--at', 'yesterday', ...p]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^mitra: --at "yesterday" is not a time/)]);
  });

  it('a prefix without a current-state index is the one-line setup error, not "0 versions"', async () => {
    const none = { client: c.client, prefix: 'no-such-prefix-' };
    const missing = /^index no-such-prefix-current does not exist at .*: run mitra setup \(or check --prefix\)$/;
    await expect(listVersions(none, { host: 'web-01', path: '/etc/hosts' })).rejects.toThrow(missing);
    await expect(contentAt(none, { host: 'web-01', path: '/etc/hosts', at: T4 })).rejects.toThrow(missing);
    const cli = await runMitra(['history', 'web-01', '/etc/hosts', '--prefix', 'no-such-prefix-']);
    expect([cli.code, cli.stdout, cli.stderr.trim().split('\n')]).toEqual([
      3,
      '',
      [expect.stringMatching(/^mitra: index no-such-prefix-current does not exist/)],
    ]);
  });

  it('a time without a zone is UTC, whatever the zone of the machine running mitra', async () => {
    // 17:00 UTC is after T2 and before T3 (version 2); 17:00 in Tokyo is 08:00 UTC, before T2 (version 1).
    const env = { TZ: 'Asia/Tokyo' };
    for (const at of ['2026-11-21T17:00:00', '2026-11-21T17:00', '2026-11-21 17:00:00']) {
      const res = await runMitra(['history', 'web-01', '/etc/hosts', '--at', at, '--prefix', c.prefix], env);
      expect([at, res.code, res.stdout]).toEqual([at, 0, HOSTS_V2]);
    }
  });
});

/**
 * Versions tied on @timestamp: a date keeps milliseconds, so the same instant
 * spelled twice and times a fraction of a millisecond apart are distinct
 * versions (distinct ids) with one sort value. AROUND adds the millisecond
 * after, two tied in the previous day's index, and an older one, so pages
 * cross ties and indices.
 */
const TIED = [
  '2026-11-21T00:00:00Z',
  '2026-11-21T00:00:00.000Z',
  '2026-11-21T00:00:00.0001Z',
  '2026-11-21T00:00:00.0002Z',
  '2026-11-21T00:00:00.000300Z',
  '2026-11-21T00:00:00.000000400Z',
];
const AROUND = ['2026-11-21T00:00:00.001Z', '2026-11-20T23:59:59.999Z', '2026-11-20T23:59:59.9995Z', '2026-11-20T12:00:00Z'];

describe('history versions page by cursor over a sort unique per version', () => {
  let c: TestCluster;
  let scope: IndexScope;
  const FILE = { host: 'tie-01', path: '/etc/hosts' };
  const all = [...TIED, ...AROUND];

  beforeAll(async () => {
    c = await testCluster('c2-history-paging');
    await c.setup();
    scope = { client: c.client, prefix: c.prefix };
    await send(
      c,
      all.map((at, i) => ({ ...FILE, at, content: `127.0.0.1 localhost # ${i}\n`, target: 'history' as const })),
    );
    // One bulk may or may not stamp them all in one millisecond: make the ingest time one value, so nothing but a unique tie-breaker orders them.
    await c.client.updateByQuery({
      index: `${c.prefix}history-*`,
      query: { term: { 'host.name': FILE.host } },
      script: { source: "ctx._source.mitra.ingested_at = '2026-11-21T06:00:00.000Z'" },
      refresh: true,
    });
  });
  afterAll(() => c.cleanup());

  const walk = async (size: number) => {
    const ids: string[] = [];
    const totals = new Set<number>();
    let cursor: string | undefined;
    do {
      const page = await listVersions(scope, { ...FILE, size, cursor });
      expect(page.versions.length).toBeLessThanOrEqual(size);
      ids.push(...page.versions.map((v) => v.id));
      totals.add(page.total);
      cursor = page.next;
    } while (cursor !== undefined);
    return { ids, totals };
  };

  it('the engine keeps them tied: one sort value for the six spellings of one millisecond', async () => {
    const { versions } = await listVersions(scope, { ...FILE, size: 100 });
    const tied = versions.filter((v) => TIED.includes(v.timestamp));
    expect(tied).toHaveLength(TIED.length);
    const res = await c.client.search({
      index: `${c.prefix}history-*`,
      query: { terms: { _id: tied.map((v) => v.id) } },
      sort: [{ '@timestamp': { order: 'desc' } }],
      size: 100,
    });
    expect(new Set(res.hits.hits.map((h) => h.sort![0]))).toEqual(new Set([Date.parse('2026-11-21T00:00:00Z')]));
  });

  it.each([1, 2, 3, 4, 5, 7, 10])(
    'a walk at size %i lists every version exactly once, newest first, with the total on each page',
    async (size) => {
      const { ids, totals } = await walk(size);
      expect([...totals]).toEqual([all.length]);
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(new Set(all.map((at) => historyId(FILE.host, FILE.path, at))));
      const one = await listVersions(scope, { ...FILE, size: 100 });
      expect(ids).toEqual(one.versions.map((v) => v.id));
      const ms = one.versions.map((v) => Date.parse(v.timestamp.replace(/(\.\d{3})\d+/, '$1')));
      expect(ms).toEqual([...ms].sort((a, b) => b - a));
    },
  );

  it('a from/to window pages the same way; a made-up cursor is refused', async () => {
    // to names its milliseconds: Elasticsearch rounds a "to" without them up to the end of its second.
    const window = { ...FILE, from: '2026-11-20T23:59:59.999Z', to: '2026-11-21T00:00:00.000Z', size: 2 };
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listVersions(scope, { ...window, cursor });
      expect(page.total).toBe(TIED.length + 2);
      ids.push(...page.versions.map((v) => v.id));
      cursor = page.next;
    } while (cursor !== undefined);
    expect(ids).toHaveLength(TIED.length + 2);
    expect(new Set(ids).size).toBe(ids.length);
    await expect(listVersions(scope, { ...FILE, cursor: 'not-a-cursor' })).rejects.toThrow(UsageError);
  });

  it('mitra history --size/--cursor walks the same pages; a bad cursor or --page is exit 2 in one line', async () => {
    const p = ['--prefix', c.prefix];
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const res = await runMitra(['history', FILE.host, FILE.path, '--size', '4', ...(cursor ? ['--cursor', cursor] : []), ...p]);
      expect(res.code).toBe(0);
      const lines = res.stdout.trim().split('\n');
      ids.push(...lines.flatMap((l) => l.match(/\b[0-9a-f]{64}\b/g) ?? []));
      const more = lines.at(-1)!.match(/^more: --cursor (\S+)$/);
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${all.length} versions`)));
      cursor = more?.[1];
      if (!cursor) break;
    }
    expect(ids).toEqual((await listVersions(scope, { ...FILE, size: 100 })).versions.map((v) => v.id));
    const bad = await runMitra(['history', FILE.host, FILE.path, '--cursor', 'WzEsMl0', ...p]);
    expect([bad.code, bad.stderr.trim().split('\n')]).toEqual([
      2,
      [expect.stringMatching(/^mitra: cursor "WzEsMl0" is not a cursor of the version list: /)],
    ]);
    const page = await runMitra(['history', FILE.host, FILE.path, '--page', '2', ...p]);
    expect([page.code, page.stderr.trim().split('\n')]).toEqual([2, [expect.stringMatching(/^mitra: .*Unknown option '--page'/)]]);
  });
});

describe('/proc series: a replayed page cache collapse', () => {
  let c: TestCluster;
  let scope: IndexScope;
  const HOST = 'db-07';
  const START = Date.parse('2026-11-25T02:14:00.000Z');
  // kB values as /proc/meminfo prints them: Cached collapses from ~13 GB to ~0.2 GB
  // within seconds while AnonPages stays flat; kswapd scanning jumps at the same time.
  const CACHED_KB = [13_107_200, 13_100_544, 9_437_184, 2_097_152, 262_144, 204_800];
  const ANON_KB = [1_572_864, 1_572_864, 1_573_120, 1_572_992, 1_572_864, 1_572_864];
  const PGSCANK = [1_000, 1_000, 480_000, 2_900_000, 5_100_000, 5_100_200];
  const at = (i: number) => new Date(START + i * 1000).toISOString();

  beforeAll(async () => {
    c = await testCluster('c2-series');
    await c.setup();
    scope = { client: c.client, prefix: c.prefix };
    const snaps = CACHED_KB.flatMap((cached, i) => [
      ...change(
        HOST,
        '/proc/meminfo',
        at(i),
        `MemTotal:       16384000 kB\nCached:         ${cached} kB\nAnonPages:      ${ANON_KB[i]} kB\n`,
      ),
      ...change(HOST, '/proc/vmstat', at(i), `nr_free_pages 12345\npgscank ${PGSCANK[i]}\npgsteal_kswapd ${PGSCANK[i] / 2}\n`),
    ]);
    // Another host's meminfo must not leak into db-07's series.
    snaps.push(...change('db-08', '/proc/meminfo', at(2), 'Cached: 1 kB\n'));
    await send(c, snaps);
  });
  afterAll(() => c.cleanup());

  it('returns raw points with the values exactly as ingested (kB × 1024 for meminfo)', async () => {
    const cached = await series(scope, { host: HOST, field: 'mitra.meminfo.Cached', from: at(0), to: at(5) });
    expect(cached.mode).toBe('raw');
    expect(cached.points).toEqual(CACHED_KB.map((kb, i) => ({ t: at(i), value: kb * 1024 })));
    const anon = await series(scope, { host: HOST, field: 'mitra.meminfo.AnonPages' });
    expect(anon.points.map((p) => p.value)).toEqual(ANON_KB.map((kb) => kb * 1024));
    const scan = await series(scope, { host: HOST, field: 'mitra.vmstat.pgscank' });
    expect(scan.points.map((p) => p.value)).toEqual(PGSCANK);
    expect(scan.asOf).toBe(at(5));
  });

  it('mitra history --series prints one "time value" line per point', async () => {
    const res = await runMitra(['history', HOST, '--series', 'mitra.vmstat.pgscank', '--prefix', c.prefix]);
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n')).toEqual(PGSCANK.map((v, i) => `${at(i)} ${v}`));
  });

  it('restricts to the time range (inclusive)', async () => {
    const mid = await series(scope, { host: HOST, field: 'mitra.meminfo.Cached', from: at(2), to: at(3) });
    expect(mid.points.map((p) => p.t)).toEqual([at(2), at(3)]);
  });

  it('buckets into a date_histogram when there are more observations than maxPoints', async () => {
    const raw = await series(scope, { host: HOST, field: 'mitra.meminfo.Cached' });
    const hist = await series(scope, { host: HOST, field: 'mitra.meminfo.Cached', maxPoints: 2 });
    expect(hist.mode).toBe('histogram');
    // 5 s of data in at most 2 buckets → 3 s buckets (aligned to the epoch).
    expect(hist.interval).toBe('3s');
    expect(hist.points.reduce((n, p) => n + (p.count ?? 0), 0)).toBe(6);
    for (const p of hist.points) {
      const inBucket = raw.points.filter((r) => Date.parse(r.t) >= Date.parse(p.t) && Date.parse(r.t) < Date.parse(p.t) + 3000);
      const values = inBucket.map((r) => r.value);
      expect(p.count).toBe(values.length);
      expect(p.value).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 3);
      expect(p.min).toBe(Math.min(...values));
      expect(p.max).toBe(Math.max(...values));
    }
  });

  it('rejects a field that is not a /proc series, naming it', async () => {
    await expect(series(scope, { host: HOST, field: 'mitra.content' })).rejects.toThrow(UsageError);
    await expect(series(scope, { host: HOST, field: 'mitra.content' })).rejects.toThrow(/field "mitra.content"/);
  });
});
