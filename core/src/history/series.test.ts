import { UsageError } from '../errors';
import { seriesSource } from './series';

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
