import { allHosts, findHosts } from '@mitra/core';
import { countingSearches, testCluster, type TestCluster } from './support/cluster';

/**
 * How a combination is joined (core/src/fleet/hosts.ts, intersect): a
 * smallest condition that still lists thousands of hosts is narrowed in two
 * halves side by side, and conditions about as broad as the smallest are
 * listed in full beside it instead of asked about its hosts. Either way the
 * answer must be exactly the hosts meeting every condition, and pages must
 * run across the halves' seam. kernel 4.4 lists 4,200 hosts (so the halves
 * are taken), OS and package more than twice that (so they are narrowed),
 * and OS and package are within twice each other (so, asked together, both
 * are listed).
 */
const AT = '2026-11-30T11:55:00.000Z';
const HOSTS = 10_000;
const name = (i: number) => `h${String(i).padStart(5, '0')}`;
const onKernel44 = (i: number) => i < 4_200;
const onUbuntu = (i: number) => i % 7 !== 0;
const hasZsh = (i: number) => i % 11 !== 0;

const snap = (host: string, path: string, content: string) => ({
  '@timestamp': AT,
  host: { name: host },
  file: { path, size: Buffer.byteLength(content) },
  mitra: { content },
});
const hostDocs = (i: number) => [
  snap(name(i), '/proc/version', `Linux version ${onKernel44(i) ? '4.4.0-210-generic' : '5.4.0-42-generic'} (buildd@lcy01) #1 SMP\n`),
  snap(name(i), '/etc/os-release', onUbuntu(i) ? 'ID=ubuntu\nVERSION_ID="16.04"\n' : 'ID=debian\nVERSION_ID="12"\n'),
  snap(name(i), 'mitra:packages', `bash\t5.0-6\tamd64\n${hasZsh(i) ? 'zsh\t5.8-3\tamd64\n' : ''}`),
];
const hostsWhere = (meets: (i: number) => boolean) =>
  Array.from({ length: HOSTS }, (_, i) => i)
    .filter(meets)
    .map(name);
const expected = hostsWhere((i) => onKernel44(i) && onUbuntu(i) && hasZsh(i));
const QUESTION = { kernel: '4.4', os: 'ubuntu', package: 'zsh' };

let c: TestCluster;

beforeAll(async () => {
  c = await testCluster('hosts-halves');
  await c.setup();
  const ids = Array.from({ length: HOSTS }, (_, i) => i);
  for (let from = 0; from < HOSTS; from += 1_000) expect(await c.ingest(ids.slice(from, from + 1_000).flatMap(hostDocs))).toEqual([]);
}, 180_000);
afterAll(() => c?.cleanup());

/** The host-name lists a request narrowed to, longest first. */
const narrowedTo = (requests: unknown[]): number[] =>
  requests
    .map(
      (r) =>
        JSON.stringify(r)
          .match(/"host\.name":\[([^\]]*)\]/)?.[1]
          .split(',').length ?? 0,
    )
    .filter((n) => n > 0)
    .sort((a, b) => b - a);

test('every host meeting the three conditions, from halves asked side by side', async () => {
  const { client, requests } = countingSearches(c.client);
  const all = await allHosts(client, c.prefix, QUESTION);
  expect(all.hosts).toEqual(expected);
  // kernel 4.4 is the smallest condition (4,200 hosts): each later condition is asked about each half once
  expect(narrowedTo(requests())).toEqual([2_100, 2_100, expect.any(Number), expect.any(Number)]);
});

test('two conditions of about the same breadth are both listed, and only the hosts in both lists answer', async () => {
  const { client, requests } = countingSearches(c.client);
  const all = await allHosts(client, c.prefix, { os: 'ubuntu', package: 'zsh' });
  expect(all.hosts).toEqual(hostsWhere((i) => onUbuntu(i) && hasZsh(i)));
  // 8,571 and 9,091 hosts: neither is asked about the other's hosts
  expect(narrowedTo(requests())).toEqual([]);
});

test('pages run across the seam between the halves and add up to the total', async () => {
  const seen: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await findHosts(c.client, c.prefix, { ...QUESTION, size: 1_000, after });
    expect(page.total).toBe(expected.length);
    seen.push(...page.hosts.map((h) => h.host));
    if (!page.next) break;
    after = page.next;
  }
  expect(seen).toEqual(expected);
});
