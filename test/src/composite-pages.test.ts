import { allCompositeBuckets } from '../../core/src/fleet/common';
import { countingSearches, testCluster, type TestCluster } from './support/cluster';

/**
 * Host lists are built from composite pages. Without a selector a short page
 * is the last one (asking again would read every matching document once
 * more); with a bucket_selector a page can come back short — even empty —
 * while more groups remain, so only a missing after_key ends the list. Page
 * size 3 over 7 hosts exercises both boundaries on the real engine.
 */
let c: TestCluster;
const HOSTS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'];
// h4, h5, h6 (one whole page of 3) have no inventory: a selector keeping inventory hosts empties that page.
const WITH_INVENTORY = new Set(['h1', 'h2', 'h3', 'h7']);

beforeAll(async () => {
  c = await testCluster('composite-pages');
  const index = `${c.prefix}pages`;
  await c.client.indices.create({
    index,
    mappings: { properties: { host: { properties: { name: { type: 'keyword' } } }, kind: { type: 'keyword' } } },
  });
  const docs = HOSTS.flatMap((name) => [
    { host: { name }, kind: 'file' },
    ...(WITH_INVENTORY.has(name) ? [{ host: { name }, kind: 'inventory' }] : []),
  ]);
  await c.client.bulk({ index, refresh: true, operations: docs.flatMap((d) => [{ index: {} }, d]) });
});
afterAll(() => c.cleanup());

const hostSource = [{ host: { terms: { field: 'host.name' } } }];
const names = (buckets: { key: Record<string, unknown> }[]) => buckets.map((b) => String(b.key.host));

test('without a selector, a short page ends the list: 7 hosts in pages of 3 take 3 requests', async () => {
  const { client, searches } = countingSearches(c.client);
  const { buckets } = await allCompositeBuckets(
    client,
    { index: `${c.prefix}pages`, query: { match_all: {} }, sources: hostSource, aggs: {} },
    { pageSize: 3 },
  );
  expect(names(buckets)).toEqual(HOSTS);
  expect(searches()).toBe(3);
});

test('without a selector, a full last page is followed by one empty answer: 6 hosts in pages of 3 take 3 requests', async () => {
  const { client, searches } = countingSearches(c.client);
  const query = { bool: { must_not: [{ term: { 'host.name': 'h7' } }] } };
  const { buckets } = await allCompositeBuckets(
    client,
    { index: `${c.prefix}pages`, query, sources: hostSource, aggs: {} },
    { pageSize: 3 },
  );
  expect(names(buckets)).toEqual(HOSTS.slice(0, 6));
  expect(searches()).toBe(3);
});

test('with a selector, an emptied page does not end the list: the host after it is still found', async () => {
  const aggs = {
    inventory: { filter: { term: { kind: 'inventory' } } },
    keep: { bucket_selector: { buckets_path: { n: 'inventory>_count' }, script: 'params.n > 0' } },
  };
  const { buckets } = await allCompositeBuckets(
    c.client,
    { index: `${c.prefix}pages`, query: { match_all: {} }, sources: hostSource, aggs },
    { pageSize: 3 },
  );
  expect(names(buckets)).toEqual([...WITH_INVENTORY]);
});
