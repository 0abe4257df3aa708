import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Shipper, toWireDoc, type Snapshot } from '@mitra/beats';
import { historyId, historyIndexAt, OPEN_UNTIL, resolveConnection, searchSnapshots, type WireDoc } from '@mitra/core';
import { historyDocs, memoryLogger, removeTempDirs, tempDir, testAgent } from './agent-helpers';
import { runMitra } from './support/cli';
import { testCluster, type TestCluster } from './support/cluster';

// About 80 searches per answer check: a shared, loaded machine needs more than the default minute.
jest.setTimeout(240_000);

/**
 * `search --at T` against the truth computed here from the change sequence:
 * versions sealed by the agent's shipper (superseded_at, the range filter),
 * the same versions as Filebeat sends them (no superseded_at, the grouping
 * fallback), deletions, versions across a UTC day boundary, and the update
 * closing a version that retention already removed.
 */

interface Version {
  host: string;
  path: string;
  at: string;
  /** null: the file was deleted (mitra.state missing). */
  content: string | null;
}

const D1 = '2026-10-05';
const D2 = '2026-10-06';
// h1 changes across midnight: its D1 23:30 version is replaced by a deletion in D2's index.
const VERSIONS: Version[] = [
  { host: 'h2', path: '/etc/app.conf', at: `${D1}T09:00:00.000Z`, content: 'mode beta\n' },
  { host: 'h1', path: '/etc/app.conf', at: `${D1}T10:00:00.000Z`, content: 'mode alpha\n' },
  { host: 'h1', path: '/etc/other.conf', at: `${D1}T10:00:00.000Z`, content: 'alpha elsewhere\n' },
  { host: 'h1', path: '/etc/app.conf', at: `${D1}T23:30:00.000Z`, content: 'mode beta\n' },
  { host: 'h1', path: '/etc/app.conf', at: `${D2}T01:00:00.000Z`, content: null },
  { host: 'h2', path: '/etc/app.conf', at: `${D2}T02:00:00.000Z`, content: 'mode alpha\n' },
  { host: 'h1', path: '/etc/other.conf', at: `${D2}T03:00:00.000Z`, content: 'gamma elsewhere\n' },
  { host: 'h1', path: '/etc/app.conf', at: `${D2}T05:00:00.000Z`, content: 'mode alpha again\n' },
];

const QUERIES: { query: string; matches: (v: Version) => boolean }[] = [
  { query: 'content:alpha', matches: (v) => v.content?.includes('alpha') ?? false },
  { query: 'content:beta', matches: (v) => v.content?.includes('beta') ?? false },
  { query: 'mitra.state:missing', matches: (v) => v.content === null },
  { query: 'filename:"/etc/app.conf"', matches: (v) => v.path === '/etc/app.conf' },
];

/** Every instant around every change (just before, at, just after), and some far away. */
function instants(): string[] {
  const out = new Set<string>(['2026-10-01T00:00:00.000Z', `${D1}T23:59:59.999Z`, `${D2}T00:00:00.000Z`, '2026-10-20T00:00:00.000Z']);
  for (const v of VERSIONS) {
    const t = Date.parse(v.at);
    for (const d of [-1, 0]) out.add(new Date(t + d).toISOString());
  }
  return [...out].sort();
}

/** The truth: per (host, path), the newest version at or before T; those matching the query. */
function truthAt(at: string, matches: (v: Version) => boolean): string[] {
  const inForce = new Map<string, Version>();
  for (const v of VERSIONS) if (v.at <= at) inForce.set(`${v.host} ${v.path}`, v);
  return [...inForce.values()]
    .filter(matches)
    .map((v) => `${v.host} ${v.path} ${v.at}`)
    .sort();
}

const snapshot = (v: Version): Snapshot =>
  v.content === null ? { path: v.path, state: 'missing', reason: 'ENOENT' } : { path: v.path, state: 'present', content: v.content };

/** The wire documents an agent cycle sends for one change: history (naming the version it replaces) and current. */
function changeDocs(v: Version, previous: Version | undefined): WireDoc[] {
  const ctx = { host: { name: v.host }, timestamp: v.at, tags: [], agentVersion: 'test' };
  return [toWireDoc(snapshot(v), ctx, 'history', v.at, previous?.at), toWireDoc(snapshot(v), ctx, 'current', v.at)];
}

const previousOf = (v: Version): Version | undefined => VERSIONS.filter((x) => x.host === v.host && x.path === v.path && x.at < v.at).pop();

async function expectAnswersAtEveryInstant(c: TestCluster): Promise<number> {
  let checked = 0;
  for (const at of instants()) {
    const answers = await Promise.all(QUERIES.map((q) => searchSnapshots(c.client, c.prefix, { query: q.query, at })));
    answers.forEach((r, i) => {
      const got = r.hits.map((h) => `${h.host} ${h.path} ${h.timestamp}`).sort();
      expect({ at, query: QUERIES[i].query, hits: got }).toEqual({ at, query: QUERIES[i].query, hits: truthAt(at, QUERIES[i].matches) });
      expect(r.total).toBe(got.length);
      checked++;
    });
  }
  return checked;
}

describe('search --at over sealed versions (the agent shipper)', () => {
  let c: TestCluster;
  let shipper: Shipper;
  const { log, lines } = memoryLogger();

  beforeAll(async () => {
    c = await testCluster('history-at-sealed');
    await c.setup();
    shipper = new Shipper(resolveConnection({}, {}, process.env), c.prefix, log);
    // One ship per change, in time order, as agent cycles send them.
    for (const v of VERSIONS) {
      const out = await shipper.ship(changeDocs(v, previousOf(v)));
      expect(out).toMatchObject({ shipped: 2, rejected: 0, unsent: [] });
    }
    await c.refresh();
  });
  afterAll(async () => {
    await shipper.close();
    await c.cleanup();
  });

  it('closes each version with the next one’s time, also across daily indices, and leaves the last one open', async () => {
    const docs = await historyDocs(c, 'h1', '/etc/app.conf');
    const h1 = VERSIONS.filter((v) => v.host === 'h1' && v.path === '/etc/app.conf');
    expect(docs.map((d) => d['@timestamp'])).toEqual(h1.map((v) => v.at));
    const closed = docs.map((d) => (d.mitra as { superseded_at?: string }).superseded_at);
    expect(closed).toEqual([...h1.slice(1).map((v) => v.at), OPEN_UNTIL]);
    // The D1 23:30 version lives in D1's index and was closed by a change that went to D2's.
    const crossing = await c.client.get({ index: historyIndexAt(c.prefix, h1[1].at)!, id: historyId('h1', '/etc/app.conf', h1[1].at) });
    expect(crossing._index).toBe(`${c.prefix}history-2026.10.05`);
    expect(historyIndexAt(c.prefix, h1[2].at)).toBe(`${c.prefix}history-2026.10.06`);
    expect(lines.filter((l) => /could not close/.test(l))).toEqual([]);
  });

  it('answers what was in force at every instant, deletions included', async () => {
    expect(await expectAnswersAtEveryInstant(c)).toBeGreaterThan(60);
  });

  it('pages the range filter: pages add up to the whole answer', async () => {
    const at = '2026-10-20T00:00:00.000Z';
    const all = await searchSnapshots(c.client, c.prefix, { query: 'filename:*', at });
    expect(all.total).toBe(3);
    // Cursor by cursor, each page's next opening the following one.
    const hits: unknown[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 3; i++) {
      const page = await searchSnapshots(c.client, c.prefix, { query: 'filename:*', at, size: 1, cursor });
      hits.push(...page.hits);
      cursor = page.next;
    }
    expect(cursor).toBeUndefined();
    expect(hits).toEqual(all.hits);
  });

  it('closing a version that retention already removed: the new version is kept, nothing retried or rejected', async () => {
    // The previous versions: one in an index retention dropped, one whose document is gone from a live index.
    const pruned = { host: 'h3', path: '/etc/app.conf', at: '2026-07-01T08:00:00.000Z', content: 'mode old\n' };
    const gone = { host: 'h4', path: '/etc/app.conf', at: `${D2}T06:00:00.000Z`, content: 'mode old\n' };
    const next = (v: Version): Version => ({ ...v, at: `${D2}T07:00:00.000Z`, content: 'mode new\n' });
    for (const v of [pruned, gone]) expect(await shipper.ship(changeDocs(v, undefined))).toMatchObject({ shipped: 2, unsent: [] });
    await c.refresh();
    await c.client.indices.delete({ index: historyIndexAt(c.prefix, pruned.at)! });
    await c.client.delete({ index: historyIndexAt(c.prefix, gone.at)!, id: historyId(gone.host, gone.path, gone.at), refresh: true });

    const out = await shipper.ship([...changeDocs(next(pruned), pruned), ...changeDocs(next(gone), gone)]);
    expect(out).toMatchObject({ shipped: 4, rejected: 0, unsent: [] });
    expect(out.error).toBeUndefined();
    await c.refresh();
    for (const v of [pruned, gone]) {
      const docs = await historyDocs(c, v.host, v.path);
      expect(docs.map((d) => [d['@timestamp'], (d.mitra as { superseded_at?: string }).superseded_at])).toEqual([[next(v).at, OPEN_UNTIL]]);
    }
    // Nothing was created in place of the missing versions (an update without upsert). Elasticsearch does
    // auto-create the pruned day's index for the update, empty: the next prune removes it again.
    const recreated = await c.client.count({ index: historyIndexAt(c.prefix, pruned.at)!, ignore_unavailable: true });
    expect(recreated.count).toBe(0);
    expect(lines.filter((l) => /could not close/.test(l))).toEqual([]);
  });
});

describe('search --at over versions without superseded_at (Filebeat, older agents)', () => {
  let c: TestCluster;

  beforeAll(async () => {
    c = await testCluster('history-at-unsealed');
    await c.setup();
    // The agent's spool lines as Filebeat ships them: no open marker, no update closing the previous version.
    const operations = VERSIONS.flatMap((v) => changeDocs(v, previousOf(v))).flatMap((d) => [{ index: { _index: 'incoming' } }, d]);
    const res = await c.client.bulk({ pipeline: c.pipeline, operations, refresh: true });
    expect(res.errors).toBe(false);
  });
  afterAll(async () => c.cleanup());

  it('stores them without superseded_at', async () => {
    const docs = await historyDocs(c, 'h1', '/etc/app.conf');
    expect(docs).toHaveLength(4);
    expect(docs.every((d) => (d.mitra as { superseded_at?: string }).superseded_at === undefined)).toBe(true);
  });

  it('still answers what was in force at every instant', async () => {
    expect(await expectAnswersAtEveryInstant(c)).toBeGreaterThan(60);
  });

  it('mixed with sealed versions of later days (an agent upgraded midway), still right', async () => {
    const shipper = new Shipper(resolveConnection({}, {}, process.env), c.prefix, memoryLogger().log);
    const later = { host: 'h2', path: '/etc/app.conf', at: '2026-10-07T00:00:00.000Z', content: 'mode beta again\n' };
    try {
      expect(await shipper.ship(changeDocs(later, VERSIONS[5]))).toMatchObject({ shipped: 2, unsent: [] });
    } finally {
      await shipper.close();
    }
    await c.refresh();
    const at = (t: string) => searchSnapshots(c.client, c.prefix, { query: 'content:alpha', at: t });
    const hits = async (t: string) => (await at(t)).hits.map((h) => `${h.host} ${h.path} ${h.timestamp}`);
    expect(await hits('2026-10-06T23:00:00.000Z')).toEqual([
      `h1 /etc/app.conf ${D2}T05:00:00.000Z`,
      `h2 /etc/app.conf ${D2}T02:00:00.000Z`,
    ]);
    // h2's alpha version, never closed by Filebeat, was closed by the upgraded agent's first change.
    expect(await hits(later.at)).toEqual([`h1 /etc/app.conf ${D2}T05:00:00.000Z`]);
  });

  it('a @timestamp sent without a zone is UTC, whatever the zone of the machine running mitra', async () => {
    // The pipeline takes such a time as UTC (curl, a hand-made sender); read in Tokyo's zone it was another instant,
    // and the grouped answer dropped the version it had counted: '1 match' with no hit listed.
    const sent = (at: string, content: string, target: 'current' | 'history') => ({
      '@timestamp': at,
      host: { name: 'h-zoneless' },
      file: { path: '/etc/zoneless.conf' },
      mitra: { content, target },
    });
    expect(
      await c.ingest([
        sent('2026-10-08T10:00:00', 'zoneless one\n', 'history'),
        sent('2026-10-08T11:00:00', 'zoneless two\n', 'history'),
        sent('2026-10-08T11:00:00', 'zoneless two\n', 'current'),
      ]),
    ).toEqual([]);
    const args = ['--prefix', c.prefix, '--json'];
    const found = await runMitra(['search', 'content:zoneless', '--at', '2026-10-08T12:00:00Z', ...args], { TZ: 'Asia/Tokyo' });
    expect(found.code).toBe(0);
    const answer = JSON.parse(found.stdout) as { total: number; hits: { host: string; timestamp: string }[] };
    expect([answer.total, answer.hits.map((h) => [h.host, h.timestamp])]).toEqual([1, [['h-zoneless', '2026-10-08T11:00:00.000Z']]]);
    const got = await runMitra(['get', 'h-zoneless', '/etc/zoneless.conf', ...args], { TZ: 'Asia/Tokyo' });
    expect(JSON.parse(got.stdout)).toMatchObject({ doc: { timestamp: '2026-10-08T11:00:00.000Z' } });
  });
});

describe('the agent seals the versions it ships', () => {
  let c: TestCluster;
  afterAll(async () => {
    removeTempDirs();
    await c.cleanup();
  });

  it('each change closes the version before it', async () => {
    c = await testCluster('history-at-agent');
    const dir = tempDir('history-at');
    const file = join(dir, 'watched.conf');
    const agent = testAgent(c, { files: [file] }, join(dir, 'state'));
    const host = hostname();
    try {
      for (const text of ['one\n', 'two\n', 'three\n']) {
        writeFileSync(file, text);
        const summary = await agent.runOnce();
        expect(summary).toMatchObject({ changed: 1, rejected: 0, spooled: 0 });
        // Distinct timestamps: versions a millisecond apart are still versions, but keep the order plain.
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      await agent.stop();
    }
    await c.refresh();
    const docs = await historyDocs(c, host, file);
    expect(docs.map((d) => d.mitra.content)).toEqual(['one\n', 'two\n', 'three\n']);
    const closed = docs.map((d) => (d.mitra as { superseded_at?: string }).superseded_at);
    expect(closed).toEqual([docs[1]['@timestamp'], docs[2]['@timestamp'], OPEN_UNTIL]);
  });

  it('an agent that lost its state (reinstalled) closes the version the cluster holds, and adds none for an unchanged file', async () => {
    // It remembered nothing, so every file went out as a new version closing nothing: the version already
    // in the cluster stayed in force too, and search --at answered each file twice.
    const dir = tempDir('history-at-state-lost');
    const kept = join(dir, 'kept.conf');
    const edited = join(dir, 'edited.conf');
    const host = hostname();
    writeFileSync(kept, 'kept\n');
    writeFileSync(edited, 'before\n');
    const first = testAgent(c, { files: [kept, edited] }, join(dir, 'state'));
    try {
      expect(await first.runOnce()).toMatchObject({ changed: 2, rejected: 0 });
    } finally {
      await first.stop();
    }
    await new Promise((r) => setTimeout(r, 5));
    writeFileSync(edited, 'after\n');
    const reinstalled = testAgent(c, { files: [kept, edited] }, join(dir, 'new-state'));
    try {
      expect(await reinstalled.runOnce()).toMatchObject({ changed: 1, rejected: 0, spooled: 0 });
    } finally {
      await reinstalled.stop();
    }
    await c.refresh();
    const versions = async (file: string) =>
      (await historyDocs(c, host, file)).map((d) => [d.mitra.content, (d.mitra as { superseded_at?: string }).superseded_at]);
    expect(await versions(kept)).toEqual([['kept\n', OPEN_UNTIL]]);
    const [keptVersion] = await historyDocs(c, host, kept);
    const [, after] = await historyDocs(c, host, edited);
    expect(await versions(edited)).toEqual([
      ['before\n', after['@timestamp']],
      ['after\n', OPEN_UNTIL],
    ]);
    const query = `filename:"${kept}" OR filename:"${edited}"`;
    const now = await searchSnapshots(c.client, c.prefix, { query, at: new Date().toISOString() });
    expect(now.hits.map((h) => [h.path, h.timestamp]).sort()).toEqual(
      [
        [edited, after['@timestamp']],
        [kept, keptVersion['@timestamp']],
      ].sort(),
    );
  });

  it('a change collected in the same millisecond as the version it replaces stays in force', async () => {
    // Two cycles can start in the same millisecond (a file event and the periodic cycle): both versions get the
    // same @timestamp, so the same history id, and the newer overwrites the older; it must not then be closed at its own start.
    const dir = tempDir('history-at-same-ms');
    const file = join(dir, 'watched.conf');
    const agent = testAgent(c, { files: [file] }, join(dir, 'state'));
    const host = hostname();
    const at = '2026-10-07T12:00:00.000Z';
    const now = jest.spyOn(Date, 'now').mockReturnValue(Date.parse(at));
    try {
      for (const text of ['first\n', 'second\n']) {
        writeFileSync(file, text);
        expect(await agent.runOnce()).toMatchObject({ changed: 1, rejected: 0, spooled: 0 });
      }
    } finally {
      now.mockRestore();
      await agent.stop();
    }
    await c.refresh();
    const docs = await historyDocs(c, host, file);
    expect(docs.map((d) => [d['@timestamp'], d.mitra.content, (d.mitra as { superseded_at?: string }).superseded_at])).toEqual([
      [at, 'second\n', OPEN_UNTIL],
    ]);
    const found = await searchSnapshots(c.client, c.prefix, { query: `filename:"${file}"`, at: '2026-10-07T13:00:00.000Z' });
    expect(found.hits.map((h) => [h.path, h.timestamp])).toEqual([[file, at]]);
  });
});
