import { UsageError } from '../errors';
import type { IndexScope } from './scope';
import { MAX_SERIES_DOCUMENTS, series, seriesSource } from './series';

test('a declared /proc key is a series from its file', () => {
  expect(seriesSource('mitra.meminfo.Cached')).toBe('/proc/meminfo');
  expect(seriesSource('mitra.zoneinfo.node0.normal.free')).toBe('/proc/zoneinfo');
});

test('an undeclared /proc key is a usage error, not an empty series (it is not mapped, so nothing would match)', () => {
  expect(() => seriesSource('mitra.meminfo.Junk42')).toThrow(UsageError);
  expect(() => seriesSource('mitra.zoneinfo.node9.normal.free')).toThrow(
    /field "mitra.zoneinfo.node9.normal.free" is not a declared \/proc key/,
  );
});

test('a range of more snapshots than MAX_SERIES_DOCUMENTS is refused before any is read (the numbers come from _source)', async () => {
  const calls: string[] = [];
  // The answers Elasticsearch gives for such a range: a count over the cap; the guard must not scroll through it.
  const client = {
    search: async (req: { scroll?: string }) => {
      calls.push(req.scroll ? 'search+scroll' : 'search');
      return { _scroll_id: req.scroll ? 's1' : undefined, hits: { total: { value: MAX_SERIES_DOCUMENTS + 1 }, hits: [] } };
    },
    scroll: async () => {
      calls.push('scroll');
      return { hits: { hits: [] } };
    },
    clearScroll: async () => {
      calls.push('clearScroll');
      return {};
    },
    get: async () => ({ found: false }),
  };
  const scope = { client: client as unknown as IndexScope['client'], prefix: 'mitra-' };
  await expect(series(scope, { host: 'db-07', field: 'mitra.meminfo.Cached' })).rejects.toThrow(UsageError);
  await expect(series(scope, { host: 'db-07', field: 'mitra.meminfo.Cached' })).rejects.toThrow(
    `the window holds ${MAX_SERIES_DOCUMENTS + 1} documents (more than ${MAX_SERIES_DOCUMENTS}): narrow --from/--to`,
  );
  expect(calls).not.toContain('scroll');
  expect(calls).toContain('clearScroll');
});
