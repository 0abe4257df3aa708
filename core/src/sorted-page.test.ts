import type { estypes } from '@elastic/elasticsearch';
import { apiRoutes, handleApi } from './api/router';
import type { MitraClient } from './client';
import { UsageError } from './errors';
import { QUESTIONS } from './questions';
import { encodeCursor, sortedPage } from './sorted-page';

/**
 * A stand-in for the one call sortedPage makes: a search sorted by name over
 * `names`, honouring search_after and size as Elasticsearch does (a hit's
 * `sort` holds its sort values). It records each request.
 */
function fakeClient(names: string[]) {
  const requests: estypes.SearchRequest[] = [];
  const client = {
    search: async (req: estypes.SearchRequest) => {
      requests.push(req);
      const after = (req.search_after as string[] | undefined)?.[0];
      const rest = names.filter((n) => after === undefined || n > after);
      return {
        _shards: { total: 1, successful: 1, failed: 0 },
        hits: {
          total: { value: names.length, relation: 'eq' },
          hits: rest.slice(0, req.size).map((n) => ({ _source: { name: n }, sort: [n] })),
        },
      };
    },
  } as unknown as MitraClient;
  return { client, requests };
}

const NAMES = Array.from({ length: 7 }, (_, i) => `s-${i}`);
const LIST = { what: 'saved search list', kinds: ['string'] as const, defaultSize: 100 };
const page = (client: MitraClient, p: { size?: number; cursor?: string }) =>
  sortedPage<{ name: string }>(client, { index: 'x', sort: [{ name: { order: 'asc' } }] }, p, LIST);

describe('sorted pages (saved searches, alert rules, alert history)', () => {
  it('walks the whole list by cursor with search_after, never from: every item once, the total on each page, no next on the last', async () => {
    const { client, requests } = fakeClient(NAMES);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const p = await page(client, { size: 3, cursor });
      expect(p.total).toBe(7);
      seen.push(...p.items.map((i) => i.name));
      cursor = p.next;
      pages++;
    } while (cursor !== undefined);
    expect(seen).toEqual(NAMES);
    expect(pages).toBe(3);
    expect(requests.every((r) => r.from === undefined && r.track_total_hits === true)).toBe(true);
    expect(requests.map((r) => r.search_after)).toEqual([undefined, ['s-2'], ['s-5']]);
  });

  it('a list that fills its last page exactly has no next (no empty page after it)', async () => {
    const { client } = fakeClient(NAMES.slice(0, 6));
    const first = await page(client, { size: 3 });
    const second = await page(client, { size: 3, cursor: first.next });
    expect(second.items.map((i) => i.name)).toEqual(['s-3', 's-4', 's-5']);
    expect(second.next).toBeUndefined();
  });

  it('refuses a cursor it did not make, or made for another list, with one line naming it', async () => {
    const { client, requests } = fakeClient(NAMES);
    const other = encodeCursor([1_700_000_000_000, 'rule', 'firing']);
    for (const bad of ['s-3', '!!', 'e30', other, encodeCursor([]), encodeCursor([3])]) {
      const err = await page(client, { cursor: bad }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(/^cursor ".*" is not a cursor of the saved search list: pass the next of the previous answer/);
      expect((err as Error).message).not.toContain('\n');
    }
    expect(requests).toHaveLength(0);
    await expect(page(client, { size: 0 })).rejects.toThrow(/^size 0 is out of range: use a whole number from 1 to 10000$/);
  });
});

describe("the list routes take the questions' paging (size + cursor)", () => {
  const { client } = fakeClient(NAMES);
  const routes = apiRoutes(QUESTIONS);
  const get = (path: string, query: Record<string, string>) =>
    handleApi(routes, { client, prefix: 'mitra-' }, 'GET', path, {
      query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])),
      body: undefined,
    });

  it('answers total and next; the next page starts after it', async () => {
    const first = await get('/api/mitra/saved', { size: '4' });
    expect(first.status).toBe(200);
    const body = first.body as { total: number; searches: { name: string }[]; next?: string };
    expect(body).toMatchObject({ total: 7, size: 4 });
    expect(body.searches.map((s) => s.name)).toEqual(NAMES.slice(0, 4));
    const second = await get('/api/mitra/saved', { size: '4', cursor: body.next! });
    expect((second.body as { searches: { name: string }[] }).searches.map((s) => s.name)).toEqual(NAMES.slice(4));
    expect(second.body).not.toHaveProperty('next');
  });

  it('a bad cursor or size, or the old page parameter, is a one-line 400', async () => {
    for (const [path, query, message] of [
      ['/api/mitra/saved', { cursor: 'nope' }, /^cursor "nope" is not a cursor of the saved search list/],
      ['/api/mitra/alerts/rules', { cursor: 'nope' }, /^cursor "nope" is not a cursor of the alert rule list/],
      ['/api/mitra/alerts/history', { cursor: encodeCursor(['s-1']) }, /is not a cursor of the alert history/],
      ['/api/mitra/saved', { size: '0' }, /^parameter size "0" is out of range: use a whole number from 1 to 10000$/],
      ['/api/mitra/alerts/history', { size: '10001' }, /^parameter size "10001" is out of range/],
      ['/api/mitra/saved', { page: '2' }, /^parameter page is not known: use size, cursor$/],
    ] as const) {
      const res = await get(path, query);
      expect({ path, query, status: res.status }).toEqual({ path, query, status: 400 });
      expect((res.body as { message: string }).message).toMatch(message);
    }
  });
});
