import { allHosts, currentIndex } from '@mitra/core';
import { testCluster, type TestCluster } from './support/cluster';

/**
 * A host list longer than the call stack can spread (about 150,000 names on
 * Node 20): every list a host question builds must still come back whole.
 * 200,000 hosts, one stale document each, written straight to the current
 * index (the pipeline is not what this is about).
 */
const HOSTS = 200_000;
const AT = '2026-11-30T00:00:00.000Z';
const name = (i: number) => `h${String(i).padStart(6, '0')}`;

let c: TestCluster;

beforeAll(async () => {
  c = await testCluster('hosts-many');
  await c.setup();
  for (let from = 0; from < HOSTS; from += 25_000) {
    const operations = Array.from({ length: 25_000 }, (_, k) => [
      { index: {} },
      { '@timestamp': AT, host: { name: name(from + k) }, file: { path: '/etc/hosts' }, mitra: { state: 'present' } },
    ]).flat();
    const res = await c.client.bulk({ index: currentIndex(c.prefix), operations });
    expect(res.errors).toBe(false);
  }
  await c.refresh();
}, 180_000);
afterAll(() => c?.cleanup());

test('200,000 stale hosts come back, every one, in order', async () => {
  const stale = await allHosts(c.client, c.prefix, { stale: '1h', now: new Date(Date.parse(AT) + 2 * 3_600_000) });
  expect(stale.count).toBe(HOSTS);
  expect(stale.hosts[0]).toBe(name(0));
  expect(stale.hosts[HOSTS - 1]).toBe(name(HOSTS - 1));
  expect(new Set(stale.hosts).size).toBe(HOSTS);
  expect(stale.hosts.every((h, i) => i === 0 || stale.hosts[i - 1] < h)).toBe(true);
}, 120_000);
