import { allHosts, findHosts } from '@mitra/core';
import { testCluster, type TestCluster } from './support/cluster';

/**
 * Host questions list hosts by reading the names out of the engine's answer
 * text (core/src/fleet/host-names.ts), not through JSON.parse. Names a careless
 * or hostile host could carry must come back exactly, in the engine's order,
 * and an answer that is an error must still be the usual one-line error.
 */
const AT = '2026-11-30T11:55:00.000Z';
const HOSTILE = ['plain-01', 'q"uote', 'back\\slash', '","key":{"host":"forged', '{"after_key":{"host":"x"}}', 'ünï-ホスト', 'emoji-🛰️'];
// keywords sort by their UTF-8 bytes
const inEngineOrder = (names: string[]) => [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

const snap = (host: string, path: string, content: string) => ({
  '@timestamp': AT,
  host: { name: host },
  file: { path, size: Buffer.byteLength(content) },
  mitra: { content },
});
const hostDocs = (host: string, i: number) => [
  snap(host, '/etc/os-release', 'ID=ubuntu\nVERSION_ID="22.04"\n'),
  snap(host, 'mitra:packages', `bash\t5.0-6\tamd64\n${i % 2 ? 'zsh\t5.8-3\tamd64\n' : ''}`),
];

let c: TestCluster;

beforeAll(async () => {
  c = await testCluster('hosts-names');
  await c.setup();
  expect(await c.ingest(HOSTILE.flatMap(hostDocs))).toEqual([]);
}, 120_000);
afterAll(() => c?.cleanup());

test('hostile host names come back exactly, in the engine order, through a listed combination', async () => {
  const withZsh = HOSTILE.filter((_, i) => i % 2);
  const all = await allHosts(c.client, c.prefix, { os: 'ubuntu', package: 'zsh' });
  expect(all.hosts).toEqual(inEngineOrder(withZsh));
  const page = await findHosts(c.client, c.prefix, { os: 'ubuntu', package: 'zsh', size: 2 });
  expect(page.total).toBe(withZsh.length);
  expect(page.hosts.map((h) => h.host)).toEqual(inEngineOrder(withZsh).slice(0, 2));
});

test('the stale question lists every old host by name', async () => {
  const stale = await allHosts(c.client, c.prefix, { stale: '1h', now: new Date(Date.parse(AT) + 2 * 3_600_000) });
  expect(stale.hosts).toEqual(inEngineOrder(HOSTILE));
});

test('a listing of an index that does not exist is the one-line setup error', async () => {
  await expect(allHosts(c.client, 'no-such-prefix-', { stale: '1h' })).rejects.toThrow(
    /index no-such-prefix-current does not exist .*run mitra setup/,
  );
});
