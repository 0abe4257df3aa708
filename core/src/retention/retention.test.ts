import { UsageError } from '../errors';
import { DEFAULT_RETENTION_DAYS, expired, historyIndexDay, inUrlSizedGroups, parseRetention, resolveRetention } from './retention';

test('retention is days or off; anything else is a usage error', () => {
  expect(parseRetention('90d')).toBe(90);
  expect(parseRetention(' 7D ')).toBe(7);
  expect(parseRetention('off')).toBeUndefined();
  for (const bad of ['90', '0d', '-1d', '1.5d', '90 days', '1e3d', '10000d', '']) expect(() => parseRetention(bad)).toThrow(UsageError);
});

test('flag, then MITRA_RETENTION, then the config file, then 90 days', () => {
  expect(resolveRetention(undefined, {}, {})).toBe(DEFAULT_RETENTION_DAYS);
  expect(resolveRetention(undefined, { retention: '30d' }, {})).toBe(30);
  expect(resolveRetention(undefined, { retention: false }, {})).toBeUndefined();
  expect(resolveRetention(undefined, { retention: '30d' }, { MITRA_RETENTION: '10d' })).toBe(10);
  expect(resolveRetention('5d', { retention: '30d' }, { MITRA_RETENTION: '10d' })).toBe(5);
  expect(() => resolveRetention(undefined, { retention: 30 }, {})).toThrow(/config retention: "30"/);
});

test('only the exact daily names of this prefix are dated', () => {
  expect(historyIndexDay('mitra-', 'mitra-history-2026.01.31')?.toISOString()).toBe('2026-01-31T00:00:00.000Z');
  expect(historyIndexDay('mitra-', 'mitra-x-history-2026.01.31')).toBeUndefined();
  expect(historyIndexDay('mitra-', 'mitra-current')).toBeUndefined();
  expect(historyIndexDay('mitra-', 'mitra-history-2026.02.30')).toBeUndefined();
  expect(historyIndexDay('mitra-', 'mitra-history-2026.01.31-000001')).toBeUndefined();
  expect(historyIndexDay('mitra-', 'xmitra-history-2026.01.31')).toBeUndefined();
  // A prefix's regex characters are literal: "a.b-" does not match "axb-".
  expect(historyIndexDay('a.b-', 'axb-history-2026.01.31')).toBeUndefined();
  expect(historyIndexDay('a.b-', 'a.b-history-2026.01.31')).toBeDefined();
});

test('a day expires once all of it is older than the retention', () => {
  const day = new Date('2026-01-01T00:00:00Z');
  expect(expired(day, 90, new Date('2026-04-01T23:59:59Z'))).toBe(false);
  expect(expired(day, 90, new Date('2026-04-02T00:00:00Z'))).toBe(true);
});

test('index names go in groups of at most 50, in order, none lost', () => {
  const names = Array.from({ length: 120 }, (_, i) => `mitra-history-${i}`);
  const groups = inUrlSizedGroups(names);
  expect(groups.map((g) => g.length)).toEqual([50, 50, 20]);
  expect(groups.flat()).toEqual(names);
  expect(inUrlSizedGroups(names.slice(0, 50))).toHaveLength(1);
  expect(inUrlSizedGroups([])).toEqual([]);
});
