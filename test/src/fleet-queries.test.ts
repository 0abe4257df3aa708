import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import {
  allDriftedHosts,
  allHosts,
  fileDrift,
  findHosts,
  getSnapshot,
  historyIndex,
  searchSnapshots,
  settingHosts,
  settingValues,
  UsageError,
  valueHosts,
  type HostRow,
} from '@mitra/core';
import { loadFleet } from './fleet/load';
import { hostName, RESOLV_VARIANTS, type SimHost } from './fleet/simulator';
import {
  byKernelMajorMinor,
  containsWord,
  driftFromMajority,
  fileAt,
  fileLargerThan,
  missingPackage,
  names,
  settingDistribution,
} from './fleet/truth';
import { reportsByHostPages, reportsInOneRequest } from '../../core/src/fleet/values';
import { testCluster, type TestCluster } from './support/cluster';

/**
 * Every fleet query against a simulated 300-host fleet loaded through the real
 * ingest pipeline, compared with ground truth computed from the simulator.
 * Edge hosts (see simulator.ts): 0 kernel 4.4, 1 kernel 4.40, 2 kernel 4.14,
 * 3 no inventory, 4/5/6 /etc/hosts of 4096/4097/4095 bytes, 7 stale,
 * 8 resolv.conf went missing, 9 zsh-common only, 11 live swappiness beats sysctl.conf.
 */
const HOSTS = 300;
const now = new Date();
let cluster: TestCluster;
const fleet: SimHost[] = [];
const hostsNamed = (...idx: number[]) => idx.map(hostName);

beforeAll(async () => {
  cluster = await testCluster('fleet-queries');
  await cluster.setup();
  await loadFleet(cluster.client, cluster.prefix, { hosts: HOSTS, seed: 7, days: 3, now, onHost: (h) => fleet.push(h) });
}, 240_000);

afterAll(async () => {
  await cluster?.cleanup();
});

const PAGE = 64;

type Paged<H> = { total: number; hosts: H[]; next?: string };

/**
 * Every host of a paged answer, walked a page of 64 at a time: each page has
 * the same exact total, the pages add up to it, and every name is what the
 * all-names call (what alert rules compare) gives.
 */
async function everyPage<H extends { host: string }, R extends Paged<H>>(
  ask: (page: { size: number; after?: string }) => Promise<R>,
  allNames: () => Promise<{ count: number; hosts: string[] }>,
): Promise<{ first: R; hosts: H[] }> {
  const first = await ask({ size: PAGE });
  const hosts = [...first.hosts];
  for (let next = first.next; next;) {
    const p = await ask({ size: PAGE, after: next });
    expect(p.total).toBe(first.total);
    hosts.push(...p.hosts);
    next = p.next;
  }
  expect(hosts.length).toBe(first.total);
  expect(await allNames()).toEqual({ count: first.total, hosts: hosts.map((h) => h.host) });
  return { first, hosts };
}

/** A host question's every host (everyPage), also checked against the default page (the first 100); one answer of them all. */
async function run(q: Parameters<typeof findHosts>[2]) {
  if (q.size !== undefined) return findHosts(cluster.client, cluster.prefix, q);
  const { first, hosts } = await everyPage(
    (page) => findHosts(cluster.client, cluster.prefix, { ...q, ...page }),
    () => allHosts(cluster.client, cluster.prefix, q),
  );
  const byDefault = await findHosts(cluster.client, cluster.prefix, q);
  expect(byDefault.hosts).toEqual(hosts.slice(0, 100));
  expect(byDefault.next).toBe(first.total > 100 ? hosts[99].host : undefined);
  return { ...first, hosts, next: undefined };
}

/** Every drifted host (everyPage), also checked against the default page. */
async function drift(q: Parameters<typeof fileDrift>[2]) {
  const { first, hosts } = await everyPage(
    (page) => fileDrift(cluster.client, cluster.prefix, { ...q, ...page }),
    () => allDriftedHosts(cluster.client, cluster.prefix, q),
  );
  expect((await fileDrift(cluster.client, cluster.prefix, q)).hosts).toEqual(hosts.slice(0, 100));
  return { ...first, hosts };
}

const hostSet = (r: { hosts: { host: string }[] }) => r.hosts.map((h) => h.host).sort();

describe('hosts by kernel and OS', () => {
  test('"4.4" is major.minor 4.4 exactly: never 4.40 or 4.14', async () => {
    const r = await run({ kernel: '4.4' });
    expect(hostSet(r)).toEqual(byKernelMajorMinor(fleet, '4.4'));
    expect(r.total).toBe(r.hosts.length);
    expect(hostSet(r)).toContain(hostName(0));
    expect(hostSet(r)).not.toContain(hostName(1));
    expect(hostSet(r)).not.toContain(hostName(2));
    expect(hostSet(await run({ kernel: '4.40' }))).toEqual(byKernelMajorMinor(fleet, '4.40'));
    expect(hostSet(await run({ kernel: '4.14' }))).toEqual(byKernelMajorMinor(fleet, '4.14'));
    expect(r.asOf).toBe(
      fleet
        .map((h) => h.lastSeen)
        .sort()
        .pop(),
    );
  });

  test('a full release matches that release only', async () => {
    const release = fleet[1].kernel.release;
    expect(hostSet(await run({ kernel: release }))).toEqual(names(fleet.filter((h) => h.kernel.release === release)));
  });

  test('by OS id, id:version and pretty name', async () => {
    expect(hostSet(await run({ os: 'ubuntu:20.04' }))).toEqual(
      names(fleet.filter((h) => h.distro.os.id === 'ubuntu' && h.distro.os.versionId === '20.04')),
    );
    expect(hostSet(await run({ os: 'centos' }))).toEqual(names(fleet.filter((h) => h.distro.os.id === 'centos')));
    expect(hostSet(await run({ os: 'Debian GNU/Linux 12 (bookworm)' }))).toEqual(names(fleet.filter((h) => h.distro.key === 'debian12')));
  });

  test('pages with size/after cover the same hosts as one answer', async () => {
    const all = hostSet(await run({ kernel: '4.4' }));
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const p = await run({ kernel: '4.4', size: 7, after });
      expect(p.total).toBe(all.length);
      seen.push(...p.hosts.map((h) => h.host));
      after = p.next;
    } while (after);
    expect(seen).toEqual(all);
  });

  test('an answer longer than the default page: 100 hosts, the exact total, a cursor to the rest', async () => {
    const truth = missingPackage(fleet, 'zsh');
    expect(truth.missing.length).toBeGreaterThan(100);
    const first = await findHosts(cluster.client, cluster.prefix, { missingPackage: 'zsh' });
    expect(first.total).toBe(truth.missing.length);
    expect(first.hosts.map((h) => h.host)).toEqual(truth.missing.slice(0, 100));
    expect(first.next).toBe(truth.missing[99]);
    const last = await findHosts(cluster.client, cluster.prefix, { missingPackage: 'zsh', after: first.next });
    expect(last.hosts.map((h) => h.host)).toEqual(truth.missing.slice(100, 200));
  });
});

describe('packages', () => {
  test('missing zsh: exact name (zsh-common is not zsh), hosts without inventory are unknown', async () => {
    const truth = missingPackage(fleet, 'zsh');
    const r = await run({ missingPackage: 'zsh' });
    expect(hostSet(r)).toEqual(truth.missing);
    expect(r.unknown!.map((h) => h.host).sort()).toEqual(truth.unknown);
    expect(hostSet(r)).toContain(hostName(9)); // has zsh-common only
    expect(hostSet(r)).not.toContain(hostName(3)); // no inventory
    expect(r.unknown!.map((h) => h.host)).toContain(hostName(3));
    expect(hostSet(await run({ missingPackage: 'zsh-common' }))).toEqual(missingPackage(fleet, 'zsh-common').missing);
  });

  test('having a package, with a version range compared as package versions', async () => {
    const withZsh = names(fleet.filter((h) => h.packages?.has('zsh')));
    expect(hostSet(await run({ package: 'zsh' }))).toEqual(withZsh);
    const openssl3 = names(fleet.filter((h) => h.packages && h.distro.opensslSeries >= 3));
    const r = await run({ package: 'openssl', versionRange: '>=3.0' });
    expect(hostSet(r)).toEqual(openssl3);
    expect(r.total).toBe(openssl3.length);
    const old = names(fleet.filter((h) => h.packages && h.distro.opensslSeries < 1.1));
    expect(hostSet(await run({ package: 'openssl', versionRange: '<1.1' }))).toEqual(old);
    // combined with another condition: the intersection
    expect(hostSet(await run({ package: 'openssl', versionRange: '>=3.0', os: 'debian' }))).toEqual(
      names(fleet.filter((h) => h.packages && h.distro.key === 'debian12')),
    );
  });
});

describe('file size', () => {
  test('larger than 4k is strictly more than 4096 bytes', async () => {
    const r = await run({ file: '/etc/hosts', largerThan: '4k' });
    expect(hostSet(r)).toEqual(fileLargerThan(fleet, '/etc/hosts', 4096));
    expect(hostSet(r)).not.toContain(hostName(4)); // exactly 4096
    expect(hostSet(r)).toContain(hostName(5)); // 4097
    expect(hostSet(await run({ file: '/etc/hosts', largerThan: '4K' }))).toEqual(hostSet(r));
    const over4095 = hostSet(await run({ file: '/etc/hosts', largerThan: 4095 }));
    expect(over4095).toContain(hostName(4));
    expect(over4095).not.toContain(hostName(6));
  });

  test('smaller than; a missing file is neither larger nor smaller', async () => {
    const r = await run({ file: '/etc/resolv.conf', smallerThan: '1M' });
    expect(hostSet(r)).toEqual(names(fleet.filter((h) => typeof fileAt(h, '/etc/resolv.conf') === 'string')));
    expect(hostSet(r)).not.toContain(hostName(8));
  });
});

test('stale hosts: last seen longer ago than the threshold', async () => {
  const r = await run({ stale: '3d', now });
  const truth = names(fleet.filter((h) => Date.parse(h.lastSeen) < now.getTime() - 3 * 86_400_000));
  expect(truth).toEqual(hostsNamed(7));
  expect(hostSet(r)).toEqual(truth);
  expect((r.hosts[0] as HostRow).lastSeen).toBe(fleet[7].lastSeen);
  expect(hostSet(await run({ stale: '90m', now }))).toEqual(
    names(fleet.filter((h) => Date.parse(h.lastSeen) < now.getTime() - 90 * 60_000)),
  );
});

test('setting distribution: live value wins over sysctl.conf, counts first, the hosts behind each value on request', async () => {
  const r = await settingValues(cluster.client, cluster.prefix, { key: 'vm.swappiness' });
  const truth = settingDistribution(fleet, 'vm.swappiness');
  expect(new Map(r.values.map((v) => [v.value, v.count]))).toEqual(new Map([...truth].map(([v, hosts]) => [v, hosts.length])));
  expect(r.total).toBe([...truth.values()].flat().length);
  expect(r.source).toBe('mixed');
  expect([...r.values].sort((a, b) => b.count - a.count)).toEqual(r.values);
  // The hosts of each value, walked page by page with the cursor: exactly the truth, in host-name order.
  for (const [value, hosts] of truth) {
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = await valueHosts(cluster.client, cluster.prefix, { key: 'vm.swappiness', value, size: 7, after });
      expect(page.valueTotal).toBe(hosts.length);
      expect(page.hosts.length).toBeLessThanOrEqual(7);
      seen.push(...page.hosts.map((h) => h.host));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual(hosts);
  }
  const all = await settingHosts(cluster.client, cluster.prefix, { key: 'vm.swappiness' });
  const host11 = all.find((h) => h.host === hostName(11))!;
  expect(host11).toMatchObject({ value: '60', source: 'live', path: 'mitra:sysctl' });
  const top = await valueHosts(cluster.client, cluster.prefix, { key: 'vm.swappiness', from: 5, size: 5 });
  expect(top.value).toBe(r.values[0].value);
  expect(top.hosts.map((h) => h.host)).toEqual(truth.get(r.values[0].value)!.slice(5, 10));
  expect((await valueHosts(cluster.client, cluster.prefix, { key: 'vm.swappiness', value: '12345' })).hosts).toEqual([]);
});

test('setting distribution: the one-request and the per-host-page strategies report the same', async () => {
  // settingValues takes the one-request path while the fleet fits the bucket limit, the paged one past it.
  const keyFilter = { term: { 'mitra.settings.key': 'vm.swappiness' } };
  const query = { bool: { filter: [{ term: { 'mitra.state': 'present' } }, { nested: { path: 'mitra.settings', query: keyFilter } }] } };
  const one = await reportsInOneRequest(cluster.client, cluster.prefix, keyFilter, query);
  const paged = await reportsByHostPages(cluster.client, cluster.prefix, keyFilter, query);
  type Reports = NonNullable<typeof one>;
  const byPath = (xs: { path: string }[]) => [...xs].sort((a, b) => a.path.localeCompare(b.path));
  const normal = (r: Reports) =>
    [...r.hosts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([h, x]) => [h, byPath(x.live), byPath(x.file), x.lastSeen]);
  expect(one).toBeDefined();
  expect(normal(one!)).toEqual(normal(paged));
  expect(one!.hosts.size).toBeGreaterThan(100);
  expect(one!.asOf).toBe(paged.asOf);
});

describe('drift', () => {
  test('hosts whose copy differs from the majority, including the host where it went missing', async () => {
    const truth = driftFromMajority(fleet, '/etc/resolv.conf');
    const r = await drift({ path: '/etc/resolv.conf' });
    expect(r.reference.hash).toBe(createHash('sha256').update(truth.majority).digest('hex'));
    expect(r.hosts.map((h) => h.host).sort()).toEqual(truth.drifted);
    expect(r.hosts.find((h) => h.host === hostName(8))).toMatchObject({ state: 'missing', hash: null });
    expect(r.reporting).toBe(HOSTS);
  });

  test('against a golden host', async () => {
    const golden = fleet.find((h) => fileAt(h, '/etc/resolv.conf') === RESOLV_VARIANTS[2])!;
    const r = await drift({ path: '/etc/resolv.conf', golden: golden.name });
    expect(r.reference).toMatchObject({ source: 'golden', host: golden.name });
    expect(r.hosts.map((h) => h.host).sort()).toEqual(names(fleet.filter((h) => fileAt(h, '/etc/resolv.conf') !== RESOLV_VARIANTS[2])));
    await expect(fileDrift(cluster.client, cluster.prefix, { path: '/etc/resolv.conf', golden: hostName(8) })).rejects.toThrow(
      /no readable copy/,
    );
    await expect(fileDrift(cluster.client, cluster.prefix, { path: '/etc/resolv.conf', golden: 'nosuchhost' })).rejects.toThrow(UsageError);
  });
});

describe('search', () => {
  const FSTAB = 'filename:"/etc/fstab" AND content:ext4';

  test('the original Lucene query runs verbatim over the current state', async () => {
    const r = await searchSnapshots(cluster.client, cluster.prefix, { query: FSTAB, size: 1000 });
    const truth = names(fleet.filter((h) => containsWord(fileAt(h, '/etc/fstab'), 'ext4')));
    expect(r.hits.map((h) => h.host).sort()).toEqual(truth);
    expect(r.total).toBe(truth.length);
    expect(r.hits.every((h) => h.path === '/etc/fstab')).toBe(true);
    // Paging by cursor: each page's next is the cursor of the one after it, the last page has none.
    const first = await searchSnapshots(cluster.client, cluster.prefix, { query: FSTAB, size: 10 });
    expect(first.next).toBe(truth.length > 10 ? '10' : undefined);
    const second = await searchSnapshots(cluster.client, cluster.prefix, { query: FSTAB, size: 10, cursor: first.next });
    expect(second.hits.map((h) => h.host)).toEqual(r.hits.slice(10, 20).map((h) => h.host));
    expect(r.next).toBeUndefined();
  });

  test('--at: the state as it was then, the latest version at or before T per host and path', async () => {
    const at = new Date(now.getTime() - 1.5 * 86_400_000).toISOString();
    const query = 'filename:"/etc/fstab" AND content:xfs';
    const truthAt = names(fleet.filter((h) => containsWord(fileAt(h, '/etc/fstab', at), 'xfs')));
    const truthNow = names(fleet.filter((h) => containsWord(fileAt(h, '/etc/fstab'), 'xfs')));
    expect(truthAt).not.toEqual(truthNow); // fstab changed in between on some hosts, so the answer depends on T
    const r = await searchSnapshots(cluster.client, cluster.prefix, { query, at, size: 1000 });
    expect(r.hits.map((h) => h.host).sort()).toEqual(truthAt);
    expect(r.hits.every((h) => h.timestamp <= at && h.index.startsWith(historyIndex(cluster.prefix, '')))).toBe(true);
    // the missing resolv.conf: present before it went missing, absent after
    const before = fleet[8].files.find((f) => f.path === '/etc/resolv.conf')!.versions[0].at;
    const q8 = `hostname:"${hostName(8)}" AND filename:"/etc/resolv.conf"`;
    expect((await searchSnapshots(cluster.client, cluster.prefix, { query: q8, at: before })).total).toBe(1);
    expect(
      (await searchSnapshots(cluster.client, cluster.prefix, { query: `${q8} AND mitra.state:present`, at: now.toISOString() })).total,
    ).toBe(0);
  });

  test('a malformed query is a UsageError naming the query', async () => {
    for (const at of [undefined, '-1d']) {
      const e = await searchSnapshots(cluster.client, cluster.prefix, { query: 'content:(ext4', at }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UsageError);
      expect((e as Error).message).toMatch(/^query "content:\(ext4" does not parse: .*/);
      expect((e as Error).message).not.toContain('\n');
    }
  });
});

test('get: a current document by id, including a missing file', async () => {
  const r = await getSnapshot(cluster.client, cluster.prefix, { host: hostName(4), path: '/etc/hosts' });
  expect(r.doc?.content).toBe(fileAt(fleet[4], '/etc/hosts'));
  expect(r.doc?.size).toBe(4096);
  expect((await getSnapshot(cluster.client, cluster.prefix, { host: hostName(8), path: '/etc/resolv.conf' })).doc).toMatchObject({
    state: 'missing',
  });
  expect((await getSnapshot(cluster.client, cluster.prefix, { host: 'nosuchhost', path: '/etc/hosts' })).doc).toBeNull();
});

test('get: a prefix with no current-state index is the one-line setup error, not "no such snapshot"', async () => {
  await expect(getSnapshot(cluster.client, 'no-such-prefix-', { host: hostName(4), path: '/etc/hosts' })).rejects.toThrow(
    /^index no-such-prefix-current does not exist at .*: run mitra setup \(or check --prefix\)$/,
  );
});

describe('mitra CLI against the loaded fleet', () => {
  const BIN = resolve(__dirname, '..', '..', 'cli', 'bin', 'mitra.js');
  const exec = promisify(execFile);
  const mitra = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await exec(
        process.execPath,
        [BIN, ...args, ...(args.includes('--es') ? [] : ['--prefix', cluster.prefix])],
        {
          env: { ...process.env, MITRA_ES_URL: cluster.url },
        },
      );
      return { code: 0, stdout, stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, stdout: x.stdout, stderr: x.stderr };
    }
  };

  beforeAll(() => {
    if (!existsSync(resolve(BIN, '..', '..', 'dist', 'main.js'))) throw new Error('the CLI is not built: run npx tsc -b first');
  });

  test('hosts: table, --json equal to the library, exit 1 on no match, 2 on bad input', async () => {
    const human = await mitra('hosts', '--kernel', '4.4');
    const truth = byKernelMajorMinor(fleet, '4.4');
    expect(human.code).toBe(0);
    for (const h of truth) expect(human.stdout).toContain(h);
    expect(human.stdout).not.toContain(`${hostName(1)} `);
    expect(human.stdout).toMatch(new RegExp(`${truth.length} hosts, as of `));
    const json = await mitra('hosts', '--missing-package', 'zsh', '--json');
    expect(JSON.parse(json.stdout)).toEqual(await findHosts(cluster.client, cluster.prefix, { missingPackage: 'zsh' }));
    // a page of 3 names its cursor; the cursor continues after that host
    const three = await mitra('hosts', '--kernel', '4.4', '--size', '3');
    expect(three.stdout).toContain(`more: --cursor ${truth[2]}`);
    expect(three.stdout).toMatch(new RegExp(`${truth.length} hosts, as of `));
    const after = await mitra('hosts', '--kernel', '4.4', '--size', '3', '--cursor', truth[2], '--json');
    expect(JSON.parse(after.stdout).hosts.map((h: { host: string }) => h.host)).toEqual(truth.slice(3, 6));
    expect((await mitra('hosts', '--kernel', '9.99')).code).toBe(1);
    const bad = await mitra('hosts', '--file', '/etc/hosts', '--larger-than', '4q');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/larger-than "4q" is not a size/);
  });

  test('search: matches, --at with a relative time, malformed query exit 2, cluster down exit 3', async () => {
    const r = await mitra('search', 'filename:"/etc/fstab" AND content:ext4', '--size', '1000');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${hostName(0)}  /etc/fstab`);
    const json = await mitra('search', 'filename:"/etc/fstab" AND content:xfs', '--at', '-36h', '--json');
    expect(JSON.parse(json.stdout).total).toBeGreaterThan(0);
    expect((await mitra('search', 'filename:"/nonexistent"')).code).toBe(1);
    const bad = await mitra('search', 'content:(ext4');
    expect([bad.code, bad.stderr.trim().split('\n').length]).toEqual([2, 1]);
    expect(bad.stderr).toContain('query "content:(ext4" does not parse');
    const down = await mitra('search', 'x', '--es', 'http://127.0.0.1:1');
    expect([down.code, down.stderr.trim().split('\n').length]).toEqual([3, 1]);
    expect(down.stderr).toContain('cannot reach Elasticsearch at http://127.0.0.1:1');
  });

  test('values, drift, get, id', async () => {
    const values = await mitra('values', 'vm.swappiness', '--json');
    expect(JSON.parse(values.stdout)).toEqual(await valueHosts(cluster.client, cluster.prefix, { key: 'vm.swappiness' }));
    const human = await mitra('values', 'vm.swappiness');
    for (const v of settingDistribution(fleet, 'vm.swappiness').keys()) expect(human.stdout).toMatch(new RegExp(`^${v}\\s+\\d+`, 'm'));
    expect((await mitra('values', 'no.such.key')).code).toBe(1);
    const [value, hostsOfValue] = [...settingDistribution(fleet, 'vm.swappiness')][0];
    const firstPage = JSON.parse((await mitra('values', 'vm.swappiness', '--value', value, '--size', '2', '--json')).stdout);
    expect(firstPage.hosts.map((h: { host: string }) => h.host)).toEqual(hostsOfValue.slice(0, 2));
    const second = await mitra('values', 'vm.swappiness', '--value', value, '--size', '2', '--cursor', firstPage.next);
    expect(second.stdout).toContain(hostsOfValue[2]);
    const mostCommon = JSON.parse((await mitra('values', 'vm.swappiness', '--size', '2', '--json')).stdout);
    expect(mostCommon.hosts.length).toBeLessThanOrEqual(2);
    expect(mostCommon.value).toBe(mostCommon.values[0].value);

    const drift = await mitra('drift', '/etc/resolv.conf');
    expect(drift.code).toBe(0);
    expect(drift.stdout).toMatch(new RegExp(`${hostName(8)}\\s+missing`));
    expect(JSON.parse((await mitra('drift', '/etc/resolv.conf', '--json')).stdout)).toEqual(
      await fileDrift(cluster.client, cluster.prefix, { path: '/etc/resolv.conf' }),
    );
    expect((await mitra('drift', '/etc/resolv.conf', '--golden', 'nosuchhost')).code).toBe(2);

    const get = await mitra('get', hostName(4), '/etc/hosts');
    expect(get.stdout).toBe(fileAt(fleet[4], '/etc/hosts'));
    expect((await mitra('get', hostName(8), '/etc/resolv.conf')).code).toBe(1);
    const first = fleet[8].files.find((f) => f.path === '/etc/resolv.conf')!.versions[0];
    expect((await mitra('get', hostName(8), '/etc/resolv.conf', '--at', first.at)).stdout).toBe(first.content);

    const id = await mitra('id', 'web-01', '/etc/hosts', '--es', 'http://127.0.0.1:1');
    expect(id.stdout.trim()).toBe(createHash('sha256').update('web-01_/etc/hosts').digest('hex'));
    expect((await mitra('id', 'only-host')).code).toBe(2);
  }, 180_000);
});
