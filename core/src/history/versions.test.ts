import type { estypes } from '@elastic/elasticsearch';
import { apiRoutes, handleApi } from '../api/router';
import type { MitraClient } from '../client';
import { QUESTIONS } from '../questions';
import { encodeCursor } from '../sorted-page';
import { listVersions } from './versions';

/** A stored history document as the search sees it: its sort keys and its _source. */
interface Doc {
  index: string;
  seq: number;
  ms: number;
  at: string;
}

/**
 * A stand-in for the version search: sorts by the request's three keys as
 * Elasticsearch does (@timestamp desc as epoch ms, _index desc, _seq_no desc),
 * honours search_after and size, and records each request; the current-state
 * get (last seen) finds nothing.
 */
function fakeHistory(docs: Doc[]) {
  const requests: estypes.SearchRequest[] = [];
  const key = (d: Doc): [number, string, number] => [d.ms, d.index, d.seq];
  const before = (a: [number, string, number], b: [number, string, number]) =>
    a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] > b[2];
  const sorted = [...docs].sort((a, b) => (before(key(a), key(b)) ? -1 : 1));
  const client = {
    get: async () => ({ found: false }),
    search: async (req: estypes.SearchRequest) => {
      requests.push(req);
      const after = req.search_after as [number, string, number] | undefined;
      const rest = sorted.filter((d) => after === undefined || before(after, key(d)));
      return {
        _shards: { total: 1, successful: 1, failed: 0 },
        hits: {
          total: { value: docs.length, relation: 'eq' },
          hits: rest.slice(0, req.size).map((d) => ({
            _id: `${d.index}/${d.seq}`,
            _index: d.index,
            _source: { '@timestamp': d.at, mitra: { state: 'present' } },
            sort: key(d),
          })),
        },
      };
    },
  } as unknown as MitraClient;
  return { client, requests };
}

const MS = Date.parse('2026-11-21T00:00:00Z');
// Five versions on one millisecond (spellings and sub-millisecond times differ, so do their ids), over two daily indices, and two more.
const DOCS: Doc[] = [
  { index: 'mitra-history-2026.11.21', seq: 0, ms: MS, at: '2026-11-21T00:00:00Z' },
  { index: 'mitra-history-2026.11.21', seq: 1, ms: MS, at: '2026-11-21T00:00:00.000Z' },
  { index: 'mitra-history-2026.11.21', seq: 2, ms: MS, at: '2026-11-21T00:00:00.0001Z' },
  { index: 'mitra-history-2026.11.21', seq: 3, ms: MS, at: '2026-11-21T00:00:00.0002Z' },
  { index: 'mitra-history-2026.11.20', seq: 7, ms: MS, at: '2026-11-20T23:59:59.9999999-00:00' },
  { index: 'mitra-history-2026.11.21', seq: 4, ms: MS + 1, at: '2026-11-21T00:00:00.001Z' },
  { index: 'mitra-history-2026.11.20', seq: 0, ms: MS - 3_600_000, at: '2026-11-20T23:00:00Z' },
];
const Q = { host: 'web-01', path: '/etc/hosts' };

describe('listVersions pages by cursor over a sort unique per version', () => {
  it.each([1, 2, 3, 4, 7])('a walk at size %i over versions tied on @timestamp lists each once, newest first', async (size) => {
    const { client, requests } = fakeHistory(DOCS);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listVersions({ client, prefix: 'mitra-' }, { ...Q, size, cursor });
      expect(page.total).toBe(DOCS.length);
      expect(page.versions.length).toBeLessThanOrEqual(size);
      seen.push(...page.versions.map((v) => v.id));
      cursor = page.next;
    } while (cursor !== undefined);
    expect(seen).toEqual([
      'mitra-history-2026.11.21/4',
      'mitra-history-2026.11.21/3',
      'mitra-history-2026.11.21/2',
      'mitra-history-2026.11.21/1',
      'mitra-history-2026.11.21/0',
      'mitra-history-2026.11.20/7',
      'mitra-history-2026.11.20/0',
    ]);
    expect(requests).toHaveLength(Math.ceil(DOCS.length / size));
    // search_after over @timestamp, then index and sequence number; never from.
    for (const r of requests) {
      expect(r.sort).toEqual([{ '@timestamp': { order: 'desc' } }, { _index: { order: 'desc' } }, { _seq_no: { order: 'desc' } }]);
      expect(r.from).toBeUndefined();
    }
  });

  it('the first page says the total, its size and next; versions carry their id and index', async () => {
    const { client } = fakeHistory(DOCS);
    const page = await listVersions({ client, prefix: 'mitra-' }, { ...Q, size: 2 });
    expect(page).toMatchObject({ ...Q, total: 7, size: 2, asOf: '2026-11-21T00:00:00.001Z' });
    expect(page.versions[1]).toEqual({
      id: 'mitra-history-2026.11.21/3',
      index: 'mitra-history-2026.11.21',
      timestamp: '2026-11-21T00:00:00.0002Z',
      sha256: null,
      size: null,
      state: 'present',
    });
    expect(typeof page.next).toBe('string');
  });
});

describe('GET /api/mitra/history takes the paging of every list', () => {
  const { client } = fakeHistory(DOCS);
  const get = (query: Record<string, string>) =>
    handleApi(apiRoutes(QUESTIONS), { client, prefix: 'mitra-' }, 'GET', '/api/mitra/history', {
      query: Object.fromEntries(Object.entries({ ...Q, ...query }).map(([k, v]) => [k, [v]])),
      body: undefined,
    });

  it('answers total and next; the cursor gives the page after', async () => {
    const first = await get({ size: '5' });
    expect(first.status).toBe(200);
    const body = first.body as { total: number; versions: unknown[]; next?: string };
    expect([body.total, body.versions.length]).toEqual([7, 5]);
    const second = await get({ size: '5', cursor: body.next! });
    expect((second.body as { versions: unknown[] }).versions).toHaveLength(2);
    expect(second.body).not.toHaveProperty('next');
  });

  it('a bad cursor or size, or the old page parameter, is a one-line 400', async () => {
    for (const [query, message] of [
      [{ cursor: 'nope' }, /^cursor "nope" is not a cursor of the version list: pass the next of the previous answer/],
      // A cursor of another list (a saved search's name) is not one of this list.
      [{ cursor: encodeCursor(['lacking-zsh']) }, /is not a cursor of the version list/],
      [{ cursor: encodeCursor([MS, 'mitra-history-2026.11.21', 'x']) }, /is not a cursor of the version list/],
      [{ size: '0' }, /^parameter size "0" is out of range: use a whole number from 1 to 10000$/],
      [{ size: '10001' }, /^parameter size "10001" is out of range/],
      [{ page: '2' }, /^parameter page is not known: use host, path, from, to, size, cursor$/],
    ] as const) {
      const res = await get(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect((res.body as { message: string }).message).toMatch(message);
      expect((res.body as { message: string }).message).not.toContain('\n');
    }
  });
});
