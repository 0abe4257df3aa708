import { findHosts, type HostQuery } from '@mitra/core';
import { packageVersions } from '../../core/src/fleet/hosts';
import { countingSearches, testCluster, type TestCluster } from './support/cluster';

/**
 * Host questions as filters over the documents that carry the answer (the
 * /proc/version, os-release, inventory and file documents of the current state,
 * intersected by host name, smallest condition first): the cases where that
 * design could go wrong, each against a small fleet written by hand through
 * the real pipeline.
 */
const NOW = new Date('2026-11-30T12:00:00.000Z');
const FRESH = '2026-11-30T11:55:00.000Z';
const OLD = '2026-11-25T08:00:00.000Z';
const HOUR = 3_600_000;

type Wire = Record<string, unknown>;
const snap = (host: string, path: string, content: string | undefined, at = FRESH, extra: Record<string, unknown> = {}): Wire => ({
  '@timestamp': at,
  host: { name: host },
  file: { path, ...(content === undefined ? {} : { size: Buffer.byteLength(content) }) },
  mitra: { ...(content === undefined ? { state: 'missing' } : { content }), ...extra },
});
const kernel = (release: string) => `Linux version ${release} (buildd@lcy01) (gcc version 5.4.0) #1 SMP Fri Jan 1 00:00:00 UTC 2021\n`;
const osRelease = (id: string, version: string, pretty: string) =>
  `NAME="${id}"\nID=${id}\nVERSION_ID="${version}"\nPRETTY_NAME="${pretty}"\n`;
const dpkg = (pkgs: Record<string, string>) =>
  Object.entries(pkgs)
    .map(([n, v]) => `${n}\t${v}\tamd64\n`)
    .join('');

const UBUNTU = osRelease('ubuntu', '16.04', 'Ubuntu 16.04.7 LTS');
const DEBIAN = osRelease('debian', '12', 'Debian GNU/Linux 12 (bookworm)');

/** 25 "web" hosts on 4.4 / ubuntu with openssl, for paging; their names sort before every other host's. */
// A package installed at a different long version on every web host: more than one regular expression could exclude (1000 characters).
const manyVersions = (i: number) => `1:2.${i}.0-0ubuntu0.16.04.${i}+esm${i}~build${i}.deb10u${i}+really2.${i}`;
const WEB = Array.from({ length: 25 }, (_, i) => `a-web-${String(i).padStart(2, '0')}`);

const docs: Wire[] = [
  // kernel major.minor: 4.4 is neither 4.40 nor 4.14
  snap('k-440', '/proc/version', kernel('4.40.1-generic')),
  snap('k-414', '/proc/version', kernel('4.14.200-155.322.amzn2.x86_64')),
  snap('k-44', '/proc/version', kernel('4.4.0-210-generic')),
  snap('k-44', '/etc/os-release', DEBIAN),
  // an inventory from an older cycle still in the current state, and a newer history copy: only the current one counts
  snap('pkg-old', '/proc/version', kernel('4.4.0-21-generic')),
  snap('pkg-old', '/etc/os-release', UBUNTU),
  snap('pkg-old', 'mitra:packages', dpkg({ bash: '4.3-14', openssl: '1.0.2g-1' }), OLD),
  snap('pkg-old', 'mitra:packages', dpkg({ bash: '4.3-14', zsh: '5.1.1-1' }), OLD, { target: 'history' }),
  // zsh removed: the history copy of the day before still lists it, the current inventory does not
  snap('pkg-removed', 'mitra:packages', dpkg({ bash: '5.0-6', zsh: '5.8-3' }), OLD, { target: 'history' }),
  snap('pkg-removed', 'mitra:packages', dpkg({ bash: '5.0-6' })),
  snap('pkg-removed', '/proc/version', kernel('4.4.0-210-generic')),
  // no inventory at all: unknown, never "missing"
  snap('no-inv', '/proc/version', kernel('4.4.0-210-generic')),
  snap('no-inv', '/etc/os-release', UBUNTU),
  // an inventory that is an HTML error page: kept with mitra.error, lists no package
  snap('bad-inv', 'mitra:packages', '<html><body>502 Bad Gateway</body></html>\n', FRESH, { format: 'dpkg' }),
  // a sender planting the flat lists: the parser's output replaces them; on another document they are removed
  snap('planted', 'mitra:packages', dpkg({ bash: '5.1-6' }), FRESH, { package_names: ['zsh'], package_versions: ['zsh=9.9'] }),
  snap('planted', '/etc/hosts', '127.0.0.1 localhost\n', FRESH, { package_names: ['zsh'] }),
  // regex characters in package names match literally: "g++" is not "gxx", "a.c" is not "abc"
  snap('regex', 'mitra:packages', dpkg({ 'g++': '4:12.2.0-3', gxx: '1.0', abc: '2.0', 'libstdc++6': '12.2.0-14' })),
  // both os-release paths on one host: one host in the answer
  snap('two-os', '/etc/os-release', UBUNTU),
  snap('two-os', '/usr/lib/os-release', UBUNTU),
  // two versions of one package side by side (kernels), one of them on other hosts too
  snap('kv-1', 'mitra:packages', dpkg({ kpkg: '5.14.0-1' })),
  snap('kv-12', 'mitra:packages', 'kpkg\t5.14.0-1\tamd64\nkpkg\t5.14.0-2\tamd64\n'),
  snap('kv-1b', 'mitra:packages', dpkg({ kpkg: '5.14.0-1' })),
  snap('kv-3', 'mitra:packages', dpkg({ kpkg: '5.14.0-3' })),
  // two inventories (the agent's and the original runner's /tmp/pkgs): one host, counted once
  snap('two-inv', 'mitra:packages', dpkg({ bash: '5.2-1', gxx: '2.0' })),
  snap('two-inv', '/tmp/pkgs', dpkg({ bash: '5.2-1', gxx: '2.0' })),
  // stale: every document old; a host with one forgotten old document and fresh others is not stale
  snap('z-stale', '/proc/version', kernel('4.4.0-210-generic'), OLD),
  snap('z-stale', '/etc/hosts', '127.0.0.1 localhost\n', '2026-11-25T09:00:00.000Z'),
  snap('z-forgot', '/tmp/old-report', 'x\n', OLD),
  snap('z-forgot', '/etc/hosts', '127.0.0.1 localhost\n'),
  ...WEB.flatMap((h, i) => [
    snap(h, '/proc/version', kernel(i % 5 === 0 ? '4.15.0-20-generic' : '4.4.0-210-generic')),
    snap(h, '/etc/os-release', i % 7 === 0 ? DEBIAN : UBUNTU),
    snap(
      h,
      'mitra:packages',
      dpkg({ bash: '4.3-14', openssl: i % 3 === 0 ? '1.0.2g-1' : '1.1.1f-1', ...(i % 4 === 0 ? { zsh: '5.1' } : {}), mv: manyVersions(i) }),
    ),
    snap(h, '/etc/hosts', `${'#'.repeat(i * 200)}\n127.0.0.1 localhost\n`),
  ]),
];

let c: TestCluster;
const run = (q: HostQuery) => findHosts(c.client, c.prefix, { now: NOW, ...q });
const names = (r: { hosts: { host: string }[] }) => r.hosts.map((h) => h.host);

beforeAll(async () => {
  c = await testCluster('hosts-filters');
  await c.setup();
  expect(await c.ingest(docs)).toEqual([]);
}, 120_000);
afterAll(() => c?.cleanup());

test('kernel 4.4 is major.minor 4.4: never 4.40 or 4.14, and each host once with its release', async () => {
  const r = await run({ kernel: '4.4' });
  const webOn44 = WEB.filter((_, i) => i % 5 !== 0);
  expect(names(r)).toEqual([...webOn44, 'k-44', 'no-inv', 'pkg-old', 'pkg-removed', 'z-stale']);
  expect(r.total).toBe(r.hosts.length);
  expect(r.hosts.find((h) => h.host === 'pkg-old')).toMatchObject({ kernel: '4.4.0-21-generic', lastSeen: FRESH });
  expect(names(await run({ kernel: '4.40' }))).toEqual(['k-440']);
  expect(names(await run({ kernel: '4.14' }))).toEqual(['k-414']);
  expect(names(await run({ kernel: '4.1' }))).toEqual([]);
});

test('missing package: the current inventory only (not history, not the sender), no inventory is unknown', async () => {
  const r = await run({ missingPackage: 'zsh' });
  const webWithout = WEB.filter((_, i) => i % 4 !== 0);
  // bad-inv reports an inventory that lists nothing: as before, it does not list zsh
  expect(names(r)).toEqual([
    ...webWithout,
    'bad-inv',
    'kv-1',
    'kv-12',
    'kv-1b',
    'kv-3',
    'pkg-old',
    'pkg-removed',
    'planted',
    'regex',
    'two-inv',
  ]);
  expect(r.unknown!.map((h) => h.host)).toEqual(['k-414', 'k-44', 'k-440', 'no-inv', 'two-os', 'z-forgot', 'z-stale']);
  expect(r.unknown!.find((h) => h.host === 'z-stale')!.lastSeen).toBe('2026-11-25T09:00:00.000Z');
  expect(r.total).toBe(r.hosts.length);
  // combined: unknown only among the hosts meeting the other conditions
  const ubuntu = await run({ missingPackage: 'zsh', os: 'ubuntu' });
  expect(names(ubuntu)).toEqual([...webWithout.filter((h) => WEB.indexOf(h) % 7 !== 0), 'pkg-old']);
  expect(ubuntu.unknown!.map((h) => h.host)).toEqual(['no-inv', 'two-os']);
});

test('an inventory parsed before the flat package fields existed is unknown, never "missing"', async () => {
  // As an older pipeline stored it: the entry list only (indexed straight into the current state, no pipeline).
  const doc = { '@timestamp': FRESH, host: { name: 'pre-upgrade' }, file: { path: 'mitra:packages' } };
  const mitra = { state: 'present', format: 'dpkg', content: 'bash\t5.1\tamd64\n', packages: [{ name: 'bash', version: '5.1' }] };
  await c.client.index({ index: `${c.prefix}current`, id: 'pre-upgrade', document: { ...doc, mitra }, refresh: true });
  try {
    const r = await run({ missingPackage: 'zsh' });
    expect(names(r)).not.toContain('pre-upgrade');
    expect(r.unknown!.map((h) => h.host)).toContain('pre-upgrade');
    expect(names(await run({ package: 'bash' }))).not.toContain('pre-upgrade');
  } finally {
    await c.client.delete({ index: `${c.prefix}current`, id: 'pre-upgrade', refresh: true });
  }
});

test('with a package: planted lists never count, versions come back per host, regex characters are literal', async () => {
  expect(names(await run({ package: 'zsh' }))).toEqual(WEB.filter((_, i) => i % 4 === 0));
  const regex = await run({ package: 'g++' });
  expect(regex.hosts).toEqual([{ host: 'regex', lastSeen: FRESH, package: { name: 'g++', versions: ['4:12.2.0-3'] } }]);
  expect((await run({ package: 'libstdc++6' })).hosts[0].package).toEqual({ name: 'libstdc++6', versions: ['12.2.0-14'] });
  expect(names(await run({ package: 'a.c' }))).toEqual([]);
  expect(names(await run({ package: 'abc' }))).toEqual(['regex']);
  // a range no version satisfies matches no host (an empty list of allowed versions, not "any version")
  expect(await run({ package: 'openssl', versionRange: '>=9' })).toMatchObject({ total: 0, hosts: [] });
  expect((await run({ package: 'openssl', versionRange: '<1.1' })).total).toBe(WEB.filter((_, i) => i % 3 === 0).length + 1);
  // two inventories listing it: the host once, and the total counts it once, on every page
  const gxx = await run({ package: 'gxx' });
  expect([names(gxx), gxx.total]).toEqual([['regex', 'two-inv'], 2]);
  const firstOfOne = await run({ package: 'gxx', size: 1 });
  expect([names(firstOfOne), firstOfOne.total, firstOfOne.next]).toEqual([['regex'], 2, 'regex']);
  const secondOfOne = await run({ package: 'gxx', size: 1, after: 'regex' });
  expect([names(secondOfOne), secondOfOne.total, secondOfOne.next]).toEqual([['two-inv'], 2, undefined]);
  const planted = await c.client.search({ index: `${c.prefix}current`, query: { term: { 'mitra.package_names': 'zsh' } }, size: 100 });
  expect(planted.hits.hits.map((h) => (h._source as { host: { name: string } }).host.name)).not.toContain('planted');
});

test('a version range sees every version, also one only installed beside another (sampled one inventory a round)', async () => {
  const filter = { bool: { filter: [{ term: { 'mitra.package_names': 'kpkg' } }] } };
  for (const sample of [1, 2, 2000]) {
    const { client, searches } = countingSearches(c.client);
    const found = await packageVersions(client, `${c.prefix}current`, filter, 'kpkg', sample);
    expect(found.sort()).toEqual(['kpkg=5.14.0-1', 'kpkg=5.14.0-2', 'kpkg=5.14.0-3']);
    // every inventory fits one sample: the first round read them all, no second round is asked
    if (sample === 2000) expect(searches()).toBe(1);
  }
  expect(names(await run({ package: 'kpkg', versionRange: '>=5.14.0-2,<5.14.0-3' }))).toEqual(['kv-12']);
  // 25 long versions found five a round: the ranges between found entries have no length limit
  const mv = { bool: { filter: [{ term: { 'mitra.package_names': 'mv' } }] } };
  const many = await packageVersions(c.client, `${c.prefix}current`, mv, 'mv', 5);
  expect(many.sort()).toEqual(WEB.map((_, i) => `mv=${manyVersions(i)}`).sort());
  expect(names(await run({ package: 'mv', versionRange: '>=1:2.20' }))).toEqual(WEB.slice(20));
  expect(names(await run({ package: 'kpkg', versionRange: '<5.14.0-2' }))).toEqual(['kv-1', 'kv-12', 'kv-1b']);
});

test('os: a host with both os-release paths is one host', async () => {
  const r = await run({ os: 'ubuntu' });
  expect(names(r).filter((h) => h === 'two-os')).toEqual(['two-os']);
  expect(r.total).toBe(new Set(names(r)).size);
  expect(r.hosts.find((h) => h.host === 'two-os')!.os).toBe('Ubuntu 16.04.7 LTS');
});

test('three conditions combine to the exact intersection, with each condition’s detail', async () => {
  const r = await run({ kernel: '4.4', os: 'ubuntu', package: 'openssl', versionRange: '>=1.1' });
  const truth = WEB.filter((_, i) => i % 5 !== 0 && i % 7 !== 0 && i % 3 !== 0);
  expect(names(r)).toEqual(truth);
  expect(r.total).toBe(truth.length);
  expect(r.hosts[0]).toEqual({
    host: truth[0],
    lastSeen: FRESH,
    kernel: '4.4.0-210-generic',
    os: 'Ubuntu 16.04.7 LTS',
    package: { name: 'openssl', versions: ['1.1.1f-1'] },
  });
  expect(r.conditions).toEqual(['kernel 4.4', 'os ubuntu', 'with package openssl', 'version >=1.1']);
  // with a file size and a missing package on top
  const five = await run({ kernel: '4.4', os: 'ubuntu', file: '/etc/hosts', largerThan: 2000, missingPackage: 'zsh' });
  const hostsSize = (i: number) => i * 200 + '\n127.0.0.1 localhost\n'.length;
  expect(five.conditions).toEqual(['kernel 4.4', 'os ubuntu', 'without package zsh', '/etc/hosts larger than 2000 bytes']);
  expect(names(five)).toEqual(WEB.filter((_, i) => i % 5 !== 0 && i % 7 !== 0 && i % 4 !== 0 && hostsSize(i) > 2000));
  expect(five.hosts[0].file).toEqual({ path: '/etc/hosts', size: hostsSize(WEB.indexOf(five.hosts[0].host)) });
  // a condition nothing meets empties the answer whatever the others say
  expect(await run({ kernel: '4.4', os: 'ubuntu', package: 'no-such-package' })).toMatchObject({ total: 0, hosts: [] });
});

test('pages: size/after walk every host once, each page with the exact total', async () => {
  const all = names(await run({ os: 'ubuntu' }));
  const pages: string[][] = [];
  let after: string | undefined;
  do {
    const p = await run({ os: 'ubuntu', size: 10, after });
    expect(p.total).toBe(all.length);
    pages.push(names(p));
    after = p.next;
  } while (after);
  expect(pages.map((p) => p.length)).toEqual([10, 10, 4]);
  expect(pages.flat()).toEqual(all);
  // a missing package alone pages the same way, with the same unknown hosts on every page
  const lacking = await run({ missingPackage: 'zsh' });
  const walked: string[] = [];
  for (let next: string | undefined, first = true; first || next; first = false) {
    const p = await run({ missingPackage: 'zsh', size: 4, after: next });
    expect([p.total, p.unknown]).toEqual([lacking.total, lacking.unknown]);
    walked.push(...names(p));
    next = p.next;
  }
  expect(walked).toEqual(names(lacking));
  // a cursor between two names continues after it
  expect(names(await run({ os: 'ubuntu', size: 2, after: 'a-web-05x' }))).toEqual(all.filter((h) => h > 'a-web-05x').slice(0, 2));
});

test('stale: every document old; one forgotten old document does not make a live host stale', async () => {
  const r = await run({ stale: '1d' });
  expect(r.hosts).toEqual([{ host: 'z-stale', lastSeen: '2026-11-25T09:00:00.000Z' }]);
  expect(r.total).toBe(1);
  expect(names(await run({ stale: '1d', kernel: '4.4' }))).toEqual(['z-stale']);
  expect(names(await run({ stale: '1d', kernel: '4.14' }))).toEqual([]);
  expect(names(await run({ stale: '1h', now: new Date(Date.parse(FRESH) + 2 * HOUR) })).length).toBe(
    new Set(docs.map((d) => (d.host as { name: string }).name)).size,
  );
});

test('stale longer than the time since 1970 (5200w, within the 100 years allowed): no host, not the engine refusing a negative time', async () => {
  // The engine (7.10) refuses a negative epoch_millis with a millisecond part: now as a clock gives one.
  const now = new Date('2026-11-30T12:00:00.507Z');
  expect(await run({ stale: '5200w', now })).toMatchObject({ total: 0, hosts: [] });
  expect(await run({ stale: '5200w', kernel: '4.4', now })).toMatchObject({ total: 0, hosts: [] });
});

test('a prefix with no index is one ClusterError naming mitra setup, for one condition and for several', async () => {
  for (const q of [{ kernel: '4.4' }, { kernel: '4.4', os: 'ubuntu' }, { missingPackage: 'zsh' }, { stale: '1d' }]) {
    await expect(findHosts(c.client, 'no-such-prefix-', q)).rejects.toThrow(/index no-such-prefix-current does not exist .*mitra setup/);
  }
});
