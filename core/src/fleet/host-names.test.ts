import { scanPage } from './host-names';

/**
 * The names scanned from a composite answer's text must be exactly the names
 * JSON.parse would give, whatever a host calls itself: the scan is what
 * host questions list hosts with (host-names.ts).
 */
const HOSTILE = [
  'web-01',
  'q"uote',
  'back\\slash',
  '","key":{"host":"forged',
  '"key":{"host":"x"}',
  'after_key',
  'brace}{[]',
  'tab\tnew\nline',
  'ünï-cödé-ホスト',
  'emoji-🛰️',
  '\u0000nul',
  ' ',
];

const answer = (names: string[], extra: object = {}) => ({
  took: 3,
  timed_out: false,
  _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
  hits: { max_score: null, hits: [] },
  aggregations: {
    groups: { after_key: { host: names[names.length - 1] }, buckets: names.map((host) => ({ key: { host }, doc_count: 2 })) },
  },
  ...extra,
});

test('every hostile name comes back as JSON.parse reads it, in order, with the cursor', () => {
  const page = scanPage(JSON.stringify(answer(HOSTILE)));
  expect(page.names).toEqual(HOSTILE);
  expect(page.after).toBe(HOSTILE[HOSTILE.length - 1]);
  expect(page.failedShards).toBe(0);
});

test('pretty-printed JSON (a proxy that reformats) reads the same', () => {
  expect(scanPage(JSON.stringify(answer(HOSTILE), null, 2)).names).toEqual(HOSTILE);
});

test('a name that looks like a cursor or a bucket is never read as one', () => {
  const page = scanPage(JSON.stringify(answer(['"after_key":{"host":"evil"}', 'b'])));
  expect(page.names).toEqual(['"after_key":{"host":"evil"}', 'b']);
  expect(page.after).toBe('b');
});

test('no buckets and no cursor: an empty last page', () => {
  const empty = { ...answer([]), aggregations: { groups: { buckets: [] } } };
  expect(scanPage(JSON.stringify(empty))).toEqual({ names: [], failedShards: 0, totalShards: 1 });
});

test('failed shards are read, failures and all', () => {
  const failures = [{ shard: 0, index: 'x', node: 'n', reason: { type: 'node_closed', reason: '{"failed":0}' } }];
  const text = JSON.stringify(answer(['a'], { _shards: { total: 3, successful: 2, skipped: 0, failed: 1, failures } }));
  expect(scanPage(text)).toMatchObject({ failedShards: 1, totalShards: 3 });
});
