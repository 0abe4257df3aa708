import { compareVersions, parseVersionRange, satisfies } from './version';

describe('compareVersions (dpkg ordering)', () => {
  // Orderings from the Debian policy manual and dpkg's own tests.
  test.each([
    ['1.0', '1.0', 0],
    ['1.0', '1.1', -1],
    ['1.10', '1.9', 1],
    ['1.0~rc1', '1.0', -1],
    ['1.0~rc1', '1.0~rc2', -1],
    ['1:0.9', '2.0', 1],
    ['1.0-1', '1.0-2', -1],
    ['1.0a', '1.0', 1],
    ['1.0+dfsg', '1.0a', 1],
    ['3.0.2-0ubuntu1.15', '3.0', 1],
    ['3.0.11-1~deb12u2', '3.0.2-0ubuntu1.15', 1],
    ['1.1.1f-1ubuntu2.20', '1.1.1w-0+deb11u1', -1],
    ['1.0.2k-26.el7_9', '1.1', -1],
    ['007', '7', 0],
  ])('%s vs %s = %d', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
    expect(compareVersions(b, a)).toBe(-expected || 0);
  });
});

describe('version ranges', () => {
  test('all constraints must hold', () => {
    const r = parseVersionRange('>=1.1,<3');
    expect(satisfies('1.1.1w-0+deb11u1', r)).toBe(true);
    expect(satisfies('3.0.2-0ubuntu1.15', r)).toBe(false);
    expect(satisfies('1.0.2g-1ubuntu4.20', r)).toBe(false);
  });
  test('operators', () => {
    expect(parseVersionRange('=1.2 !=1.3 ==2')).toEqual([
      { op: '=', version: '1.2' },
      { op: '!=', version: '1.3' },
      { op: '=', version: '2' },
    ]);
    expect(satisfies('5.8-3ubuntu1.1', parseVersionRange('5.8-3ubuntu1.1'))).toBe(true);
  });
  test.each(['', '>=', '>>1', 'version 2!'])('"%s" is a UsageError', (text) =>
    expect(() => parseVersionRange(text)).toThrow(/is not a version range/),
  );
});
