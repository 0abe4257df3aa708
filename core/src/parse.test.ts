import { UsageError } from './errors';
import { parseDuration, parseSize, parseTime } from './parse';

describe('parseSize', () => {
  test.each([
    ['4096', 4096],
    ['4k', 4096],
    ['4K', 4096],
    ['4KiB', 4096],
    ['10M', 10 * 1024 * 1024],
    ['1G', 1024 ** 3],
    ['0.5k', 512],
  ])('%s = %d bytes', (text, bytes) => expect(parseSize(text)).toBe(bytes));

  test.each(['', '4q', 'k', '-4k', '4 kilobytes'])('"%s" is a UsageError naming the parameter', (text) => {
    expect(() => parseSize(text, 'larger-than')).toThrow(UsageError);
    expect(() => parseSize(text, 'larger-than')).toThrow(/^larger-than ".*" is not a size/);
  });
});

describe('parseDuration', () => {
  test.each([
    ['90m', 90 * 60_000],
    ['2h', 7_200_000],
    ['3d', 3 * 86_400_000],
    ['30s', 30_000],
    ['1w', 604_800_000],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each(['3', '3 days', 'h', '-2h'])('"%s" is rejected', (text) =>
    expect(() => parseDuration(text, 'stale')).toThrow(/^stale ".*" is not a duration/),
  );
});

describe('parseTime', () => {
  const now = new Date('2026-11-27T03:00:00.000Z');
  test('relative times count back from now', () => {
    expect(parseTime('-2h', 'at', now).toISOString()).toBe('2026-11-27T01:00:00.000Z');
    expect(parseTime('now-3d', 'at', now).toISOString()).toBe('2026-11-24T03:00:00.000Z');
    expect(parseTime('now', 'at', now).toISOString()).toBe(now.toISOString());
  });
  test('ISO dates', () => {
    expect(parseTime('2026-11-27T03:00:00Z', 'at').toISOString()).toBe('2026-11-27T03:00:00.000Z');
    expect(parseTime('2026-11-26', 'at').toISOString()).toBe('2026-11-26T00:00:00.000Z');
    expect(parseTime('2026-11-27T03:00:00', 'at').toISOString()).toBe('2026-11-27T03:00:00.000Z');
    expect(parseTime('2026-11-27 03:00', 'at').toISOString()).toBe('2026-11-27T03:00:00.000Z');
  });
  test.each(['yesterday', '27/11/2026', '-2x', '2026-13-45'])('"%s" is a UsageError naming the parameter', (text) =>
    expect(() => parseTime(text, 'at', now)).toThrow(/^at ".*" is not a (time|duration)/),
  );
  // Date.parse rolls a day past the month's end over into the next month: 2026-02-30 would be read as 2 March.
  test.each(['2026-02-30T00:00:00Z', '2026-02-29', '2026-04-31', '2026-11-31T03:00:00Z', '2026-11-00'])(
    '"%s", a day the month does not have, is a UsageError, not a day of the next month',
    (text) => expect(() => parseTime(text, 'at', now)).toThrow(/^at ".*" is not a time/),
  );
  test('the last day of a month and 29 February of a leap year are days', () => {
    expect(parseTime('2028-02-29', 'at').toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(parseTime('2026-04-30T23:59:59Z', 'at').toISOString()).toBe('2026-04-30T23:59:59.000Z');
  });
});
