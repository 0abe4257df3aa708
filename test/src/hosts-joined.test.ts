import { allHosts, currentStateId, findHosts, HOST_DOC_PATH, HOST_JOIN, type HostQuery, type HostsResult } from '@mitra/core';
import { loadFleet } from './fleet/load';
import type { SimHost } from './fleet/simulator';
import { countingSearches, testCluster, type TestCluster } from './support/cluster';

/**
 * The host join (HOST_JOIN): the pipeline makes every current snapshot a child
 * of its host's host document, and a host question is then one has_child
 * filter over the host documents. The other way (list each condition's hosts
 * by name and intersect them) answers every fleet, and is checked against
 * ground truth in fleet-queries and hosts-filters; here the two are asked the
 * same questions on the same simulated fleet and must agree to the last
 * host, total, cursor, unknown host and detail.
 */
const HOSTS = 120;
const NOW = new Date();

let cluster: TestCluster;
const fleet: SimHost[] = [];
beforeAll(async () => {
  cluster = await testCluster('hosts-joined');
  await cluster.setup();
  await loadFleet(cluster.client, cluster.prefix, { hosts: HOSTS, seed: 11, days: 2, now: NOW, onHost: (h) => fleet.push(h) });
}, 240_000);
afterAll(() => cluster?.cleanup());

interface Stored {
  _routing?: string;
  _source?: Record<string, unknown>;
}
const read = async (host: string, path: string, index = `${cluster.prefix}current`) =>
  (await cluster.client.get({ index, id: currentStateId(host, path) }, { ignore: [404] })) as unknown as Stored & { found: boolean };

describe('the pipeline writes the join HOST_JOIN declares', () => {
  const AT = new Date(NOW.getTime() - 60_000).toISOString();
  const snap = (host: string, path: string, extra: Record<string, unknown> = {}) => ({
    '@timestamp': AT,
    host: { name: host },
    file: { path },
    mitra: { content: 'x\n' },
    ...extra,
  });

  test('the host document is the parent; every other current snapshot is its child, routed by host name', async () => {
    expect(await cluster.ingest([snap('join-a', HOST_DOC_PATH), snap('join-a', '/etc/motd')])).toEqual([]);
    const parent = await read('join-a', HOST_DOC_PATH);
    const child = await read('join-a', '/etc/motd');
    expect(parent._source?.[HOST_JOIN.field]).toBe(HOST_JOIN.parent);
    expect(child._source?.[HOST_JOIN.field]).toEqual({ name: HOST_JOIN.child, parent: currentStateId('join-a', HOST_DOC_PATH) });
    expect([parent._routing, child._routing]).toEqual(['join-a', 'join-a']);
  });

  test('a join the sender planted is replaced in the current state and dropped from history (where it would be refused)', async () => {
    const planted = { [HOST_JOIN.field]: { name: HOST_JOIN.child, parent: 'someone-else' } };
    const history = snap('join-b', '/etc/motd', { ...planted, mitra: { content: 'x\n', target: 'history' } });
    expect(await cluster.ingest([snap('join-b', '/etc/motd', planted), history])).toEqual([]);
    expect((await read('join-b', '/etc/motd'))._source?.[HOST_JOIN.field]).toEqual({
      name: HOST_JOIN.child,
      parent: currentStateId('join-b', HOST_DOC_PATH),
    });
    const res = await cluster.client.search<Record<string, unknown>>({
      index: `${cluster.prefix}history-*`,
      query: { term: { 'host.name': 'join-b' } },
    });
    expect(res.hits.hits.map((h) => h._source?.[HOST_JOIN.field])).toEqual([undefined]);
  });

  afterAll(async () => {
    await cluster.client.deleteByQuery({
      index: `${cluster.prefix}*`,
      query: { terms: { 'host.name': ['join-a', 'join-b'] } },
      refresh: true,
    });
  });
});

/**
 * Questions whose answers differ in every way a joined plan can: two and three conditions, a version range, sizes, stale,
 * missing with unknown hosts, paging. A question that is one filter, or stale alone, takes its own faster path (`single`).
 */
const QUESTIONS: HostQuery[] = [
  { os: 'ubuntu', package: 'zsh' },
  { os: 'ubuntu', kernel: '4.4', package: 'zsh' },
  { os: 'ubuntu', package: 'openssl', versionRange: '>=1.1' },
  { file: '/etc/hosts', largerThan: '4k', kernel: '4.4' },
  { file: '/etc/hosts', smallerThan: '4k', os: 'ubuntu' },
  { missingPackage: 'zsh', kernel: '4.4' },
  { missingPackage: 'zsh', os: 'ubuntu' },
  // The simulator's hosts were last seen 0-10 minutes before NOW: 5m splits them.
  { stale: '5m', os: 'ubuntu' },
  { stale: '5m', missingPackage: 'zsh', kernel: '4.4' },
];
const SINGLE: HostQuery[] = [{ kernel: '4.4' }, { missingPackage: 'zsh' }, { stale: '5m' }, { stale: '5m', missingPackage: 'zsh' }];

const hasChild = (requests: unknown[]) => requests.some((r) => JSON.stringify(r).includes('"has_child"'));

/** Every page of a question (size 7), and the same question through allHosts. */
async function askAll(q: HostQuery): Promise<{ pages: HostsResult[]; all: string[]; requests: unknown[] }> {
  const counted = countingSearches(cluster.client);
  const pages: HostsResult[] = [];
  let after: string | undefined;
  do {
    const res = await findHosts(counted.client, cluster.prefix, { ...q, now: NOW, size: 7, ...(after ? { after } : {}) });
    pages.push({ ...res, asOf: null });
    after = res.next;
  } while (after);
  const all = (await allHosts(counted.client, cluster.prefix, { ...q, now: NOW })).hosts;
  return { pages, all, requests: counted.requests() };
}

test('the joined filter and the host lists give the same answers, page by page', async () => {
  // An inotify cycle sends the changed file and no host document: a host last seen 5-10 minutes ago that has just sent one
  // is not stale, though its host document is.
  const quiet = fleet.find((h) => Date.parse(h.lastSeen) < NOW.getTime() - 6 * 60_000 && h.distro.key.startsWith('ubuntu'))!;
  const changed = {
    '@timestamp': new Date(NOW.getTime() - 1_000).toISOString(),
    host: { name: quiet.name },
    file: { path: '/etc/hosts' },
    mitra: { content: '127.0.0.1 localhost\n', agent: { version: '1.0.0', host_doc: true } },
  };
  // A second inventory (the original tool's /tmp/pkgs, left from before the agent) that lacks zsh, beside one that has it.
  const withZsh = (await findHosts(cluster.client, cluster.prefix, { package: 'zsh', size: 1 })).hosts[0].host;
  const second = {
    ...changed,
    host: { name: withZsh },
    file: { path: '/tmp/pkgs' },
    mitra: { content: 'bash\t5.0-6\tamd64\n', agent: { version: '1.0.0', host_doc: true } },
  };
  expect(await cluster.ingest([changed, second])).toEqual([]);
  const staleUbuntu = await findHosts(cluster.client, cluster.prefix, { stale: '5m', os: 'ubuntu', now: NOW, size: 1000 });
  expect(staleUbuntu.hosts.map((h) => h.host)).not.toContain(quiet.name);

  for (const q of SINGLE) expect({ q, joined: hasChild((await askAll(q)).requests) }).toEqual({ q, joined: false });
  const joined = [];
  for (const q of QUESTIONS) {
    const answer = await askAll(q);
    expect({ q, joined: hasChild(answer.requests) }).toEqual({ q, joined: true });
    joined.push(answer);
  }
  // Every question has hosts to find, so agreement means something.
  expect(joined.map((a) => a.all.length).every((n) => n > 0)).toBe(true);
  expect(joined.some((a) => a.pages[0].unknown?.length)).toBe(true);

  // One document from a sender without the host document (the original tool) turns the join off for the whole index. It
  // belongs to a fleet host, at a path no question asks about, from long ago: no answer changes.
  const legacy = {
    '@timestamp': '2020-01-01T00:00:00Z',
    host: { name: 'host-00001' },
    file: { path: '/etc/motd' },
    mitra: { content: 'x\n' },
  };
  expect(await cluster.ingest([legacy])).toEqual([]);
  for (const [i, q] of QUESTIONS.entries()) {
    const listed = await askAll(q);
    expect({ q, joined: hasChild(listed.requests) }).toEqual({ q, joined: false });
    expect({ q, pages: listed.pages, all: listed.all }).toEqual({ q, pages: joined[i].pages, all: joined[i].all });
  }
}, 120_000);

test('a stamped document written before the join (an agent of that era, an index set up again since) is not lost: the host lists answer', async () => {
  await cluster.client.deleteByQuery({ index: `${cluster.prefix}current`, query: { term: { 'file.path': '/etc/motd' } }, refresh: true });
  const q: HostQuery = { os: 'ubuntu', kernel: '4.4' };
  const before = await askAll(q);
  expect(hasChild(before.requests)).toBe(true);

  // What the pipeline made of a new host's cycle before the join existed: its output, less the join, indexed as it was.
  const host = 'pre-join-host';
  const agent = { version: '1.0.0', host_doc: true };
  const at = new Date(NOW.getTime() - 60_000).toISOString();
  const cycle = [
    ['/proc/version', 'Linux version 4.4.0-210-generic (buildd@lgw01) (gcc 5.4.0) #242-Ubuntu SMP Fri Apr 16 09:57:56 UTC 2021\n'],
    ['/etc/os-release', 'NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="16.04"\nPRETTY_NAME="Ubuntu 16.04.7 LTS"\n'],
    [HOST_DOC_PATH, '/proc/version\n/etc/os-release\n'],
  ].map(([path, content]) => ({ '@timestamp': at, host: { name: host }, file: { path }, mitra: { content, agent } }));
  const simulated = await cluster.client.ingest.simulate({ id: cluster.pipeline, docs: cycle.map((d) => ({ _source: d })) });
  const operations = simulated.docs.flatMap((r) => {
    const { [HOST_JOIN.field]: join, ...source } = r.doc!._source as Record<string, unknown>;
    expect(join).toBeDefined();
    return [{ index: { _index: r.doc!._index, _id: r.doc!._id } }, source];
  });
  expect((await cluster.client.bulk({ operations, refresh: true })).errors).toBe(false);

  const after = await askAll(q);
  expect(hasChild(after.requests)).toBe(false);
  expect(after.all).toEqual([...before.all, host].sort());
});
