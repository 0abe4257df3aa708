import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { testCluster, type TestCluster } from './support/cluster';
import { currentIndex, currentStateId, historyIndices, samplePipeline, type WireInput } from '@mitra/core';

/**
 * The snapshot pipeline end to end on the real engine: real bulk requests,
 * documents read back by the ids the original Mitra rule gives.
 */
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const T1 = '2026-11-20T10:00:00.000Z';
const T2 = '2026-11-21T11:30:00.000Z';

let c: TestCluster;

beforeAll(async () => {
  c = await testCluster('pipeline');
  await c.setup();
});
afterAll(() => c.cleanup());

function snapshot(host: string, path: string, content: string | undefined, at: string, extra: Partial<WireInput['mitra']> = {}): WireInput {
  return { '@timestamp': at, host: { name: host }, file: { path }, mitra: { ...(content === undefined ? {} : { content }), ...extra } };
}

/** Sends each snapshot as the agent does for a change: once for current state, once for history. */
async function ship(docs: WireInput[]): Promise<void> {
  const operations = docs.flatMap((d) => [
    { index: { _index: 'anything' } },
    d,
    { index: { _index: 'anything' } },
    { ...d, mitra: { ...d.mitra, target: 'history' } },
  ]);
  const res = await c.client.bulk({ pipeline: c.pipeline, operations, refresh: true });
  expect(res.errors).toBe(false);
}

/** Parsed snapshot documents are deep, schema-shaped JSON; the tests walk them freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Snapshot = Record<string, any>;

async function getCurrent(host: string, path: string) {
  return c.client.get<Snapshot>({ index: currentIndex(c.prefix), id: currentStateId(host, path) });
}

test('current-state id is sha256(host + "_" + path), computed independently', async () => {
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  await ship([snapshot('db-01', '/proc/meminfo', meminfo, T1)]);
  const doc = await getCurrent('db-01', '/proc/meminfo');
  expect(doc._id).toBe(sha256('db-01_/proc/meminfo'));
  expect(doc._source!.file.hash.sha256).toBe(sha256(meminfo));
  const memTotalKb = Number(/^MemTotal:\s+(\d+) kB/m.exec(meminfo)![1]);
  expect(doc._source!.mitra.meminfo.MemTotal).toBe(memTotalKb * 1024);
  expect(doc._source!.mitra.format).toBe('meminfo');
});

test('re-sending a snapshot leaves exactly one current and one history document', async () => {
  const hosts = '127.0.0.1 localhost\n10.0.0.5 db-02\n';
  const doc = snapshot('db-02', '/etc/hosts', hosts, T2);
  await ship([doc]);
  await ship([doc]);
  await ship([doc]);
  await c.refresh();
  const current = await c.client.count({
    index: currentIndex(c.prefix),
    query: { bool: { filter: [{ term: { 'host.name': 'db-02' } }, { term: { 'file.path': '/etc/hosts' } }] } },
  });
  const history = await c.client.search({
    index: historyIndices(c.prefix),
    query: { bool: { filter: [{ term: { 'host.name': 'db-02' } }, { term: { 'file.path': '/etc/hosts' } }] } },
  });
  expect(current.count).toBe(1);
  expect(history.hits.hits).toHaveLength(1);
  expect(history.hits.hits[0]._index).toBe(`${c.prefix}history-2026.11.21`);
  expect(history.hits.hits[0]._id).toBe(sha256(`db-02_/etc/hosts_${T2}`));
});

test('a vanished file becomes an explicit missing state without stale content', async () => {
  await ship([snapshot('web-01', '/etc/ntp.conf', 'server 0.pool.ntp.org iburst\n', T1)]);
  await ship([snapshot('web-01', '/etc/ntp.conf', undefined, T2, { state: 'missing' })]);
  const doc = await getCurrent('web-01', '/etc/ntp.conf');
  expect(doc._source!.mitra.state).toBe('missing');
  expect(doc._source!.mitra.content).toBeUndefined();
  expect(doc._source!.file.hash).toBeUndefined();
  expect(doc._source!['@timestamp']).toBe(T2);
});

test('a garbage /proc/meminfo is kept with its content and an error field', async () => {
  const garbage = 'this is not meminfo\n\u0001\u0002 at all\n';
  await ship([snapshot('web-02', '/proc/meminfo', garbage, T1)]);
  const doc = await getCurrent('web-02', '/proc/meminfo');
  expect(doc._source!.mitra.content).toBe(garbage);
  expect(doc._source!.mitra.meminfo).toBeUndefined();
  expect(doc._source!.mitra.error.tag).toBe('parse_meminfo');
  expect(doc._source!.mitra.error.processor).toBe('script');
  expect(doc._source!.mitra.error.message).toBe('meminfo line 2 has a character that is not text (code 1): this is not a meminfo file');
});

test('the original fstab query runs verbatim and returns the right hosts', async () => {
  const ext4 = 'UUID=0a1b /  ext4 errors=remount-ro 0 1\n/dev/sdb1 /data ext4 defaults,noatime 0 2\n';
  const xfs = '/dev/mapper/centos-root / xfs defaults 0 0\n';
  await ship([
    snapshot('fs-ext4-a', '/etc/fstab', ext4, T1),
    snapshot('fs-ext4-b', '/etc/fstab', ext4, T1),
    snapshot('fs-xfs', '/etc/fstab', xfs, T1),
    // content mentions ext4 but it is not /etc/fstab: must not match
    snapshot('fs-other', '/etc/motd', 'we love ext4\n', T1),
  ]);
  const res = await c.client.search<{ host: { name: string } }>({
    index: currentIndex(c.prefix),
    q: 'filename:"/etc/fstab" AND content:ext4',
    size: 100,
  });
  const hosts = res.hits.hits.map((h) => h._source!.host.name).sort();
  expect(hosts).toEqual(['fs-ext4-a', 'fs-ext4-b']);
  const parsed = (await getCurrent('fs-ext4-a', '/etc/fstab'))._source!.mitra.fstab;
  expect(parsed).toEqual([
    { device: 'UUID=0a1b', mount_point: '/', fstype: 'ext4', options: ['errors=remount-ro'], dump: 0, pass: 1 },
    { device: '/dev/sdb1', mount_point: '/data', fstype: 'ext4', options: ['defaults', 'noatime'], dump: 0, pass: 2 },
  ]);
});

test('a memory sample stores only what its parsers made: numbers a sender put beside the contents are dropped', async () => {
  const sample = { meminfo: '<html>502</html>\n', vmstat: 'pgfault 7\n' };
  const planted = { meminfo: { MemTotal: 999 }, zoneinfo: { node0: { normal: { free: 1 } } }, error: { tag: 'none' } };
  const res = await c.client.bulk({
    pipeline: samplePipeline(c.prefix),
    operations: [{ index: { _index: 'anything' } }, { '@timestamp': T1, host: { name: 'sample-planted' }, mitra: { sample, ...planted } }],
    refresh: true,
  });
  expect(res.errors).toBe(false);
  const doc = await c.client.get<Snapshot>({ index: res.items[0].index!._index, id: res.items[0].index!._id! });
  expect(doc._source!.mitra).toEqual({
    vmstat: { pgfault: 7 },
    error: { processor: 'script', tag: 'parse_meminfo', message: 'meminfo line 1 is not Key: value [<html>502</html>]' },
  });
});

test('a memory sample takes @timestamp as a snapshot does: without a zone it is UTC, a bad one is one line naming the field', async () => {
  const sample = { vmstat: 'pgfault 7\n' };
  const res = await c.client.bulk({
    pipeline: samplePipeline(c.prefix),
    operations: ['2026-11-20T23:30:00', '2026-11-20t10:00:00z', 'not a date'].flatMap((at) => [
      { index: { _index: 'anything' } },
      { '@timestamp': at, host: { name: 'sample-time' }, mitra: { sample } },
    ]),
  });
  expect(res.items[0].index?.error).toBeUndefined();
  expect(res.items[0].index?._index).toBe(`${c.prefix}samples-2026.11.20`);
  for (const [i, at] of [
    [1, '2026-11-20t10:00:00z'],
    [2, 'not a date'],
  ] as const) {
    expect(res.items[i].index?.error?.reason).toBe(
      `sample rejected by script [route]: @timestamp must be an ISO-8601 date-time such as 2026-11-27T03:00:00.000Z (or epoch milliseconds), not [${at}]`,
    );
  }
});

test('a snapshot without host.name is rejected with a message naming the field', async () => {
  const res = await c.client.bulk({
    pipeline: c.pipeline,
    operations: [{ index: { _index: 'anything' } }, { '@timestamp': T1, file: { path: '/etc/hosts' }, mitra: { content: 'x' } }],
  });
  expect(res.errors).toBe(true);
  expect(JSON.stringify(res.items[0].index?.error)).toMatch(/host\.name is missing/);
});
