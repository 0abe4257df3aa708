import { countBy, facets, formatTime, pageRows, summary, toAnswer } from '../results';

const T = '2026-11-27T03:00:00.000Z';

describe('API answers → table rows', () => {
  it('hosts answers keep the value the question was about and the unknown hosts', () => {
    const a = toAnswer('hosts', {
      asOf: T,
      total: 2,
      conditions: ['kernel 4.4'],
      hosts: [
        { host: 'a', lastSeen: T, kernel: '4.4.0-1-generic' },
        { host: 'b', lastSeen: null, kernel: '4.4.0-9-generic' },
      ],
      unknown: [{ host: 'c', lastSeen: T }],
    });
    expect(a.rows).toEqual([
      { host: 'a', path: undefined, value: '4.4.0-1-generic', lastSeen: T, kernel: '4.4.0-1-generic' },
      { host: 'b', path: undefined, value: '4.4.0-9-generic', lastSeen: null, kernel: '4.4.0-9-generic' },
    ]);
    expect(a.unknown).toEqual(['c']);
    expect(summary(a)).toBe('2 hosts, as of 2026-11-27 03:00 UTC');
    expect(facets(a.rows).kernel).toEqual([{ label: '4.4', count: 2 }]);
  });

  it('file-size answers show the size and the file', () => {
    const a = toAnswer('hosts', {
      asOf: T,
      total: 1,
      conditions: [],
      hosts: [{ host: 'a', lastSeen: T, file: { path: '/etc/hosts', size: 4097 } }],
    });
    expect(a.rows[0]).toMatchObject({ host: 'a', path: '/etc/hosts', value: '4097 bytes' });
  });

  it('Lucene answers count files, and show non-present states', () => {
    const a = toAnswer('search', {
      query: 'x',
      asOf: T,
      total: 3,
      page: 0,
      size: 50,
      hits: [
        { id: '1', index: 'i', host: 'a', path: '/etc/fstab', state: 'present', size: 10, timestamp: T },
        { id: '2', index: 'i', host: 'a', path: '/etc/x', state: 'missing', timestamp: T },
      ],
    });
    expect(a.rows.map((r) => r.value)).toEqual(['10 bytes', 'missing']);
    expect(summary(a)).toBe('3 matching files, as of 2026-11-27 03:00 UTC');
  });

  it('setting answers: the distribution, and a page of the hosts with one value', () => {
    const a = toAnswer('values', {
      key: 'vm.swappiness',
      asOf: T,
      total: 3,
      source: 'live',
      values: [
        { value: '60', count: 2 },
        { value: '10', count: 1 },
      ],
      value: '60',
      valueTotal: 2,
      size: 50,
      hosts: [
        { host: 'a', path: 'mitra:sysctl', source: 'live', lastSeen: T },
        { host: 'b', path: 'mitra:sysctl', source: 'live', lastSeen: T },
      ],
    });
    expect(a.rows.map((r) => `${r.host}=${r.value}`)).toEqual(['a=60', 'b=60']);
    expect(a.total).toBe(2);
    expect(a.distribution).toEqual([
      { label: '60', count: 2 },
      { label: '10', count: 1 },
    ]);
  });

  it('setting answers with more values than listed: the other hosts are one bar, never dropped', () => {
    const a = toAnswer('values', {
      key: 'kernel.hostname',
      asOf: T,
      total: 1500,
      source: 'live',
      values: [{ value: 'web-1', count: 1 }],
      otherHosts: 1499,
      value: 'web-1',
      valueTotal: 1,
      size: 50,
      hosts: [{ host: 'web-1', path: 'mitra:sysctl', source: 'live', lastSeen: T }],
    });
    expect(a.distribution).toEqual([
      { label: 'web-1', count: 1 },
      { label: 'other values', count: 1499 },
    ]);
  });

  it('drift answers list drifted hosts by short hash or state', () => {
    const h = 'f'.repeat(64);
    const a = toAnswer('drift', {
      path: '/etc/resolv.conf',
      asOf: T,
      reference: { source: 'majority', hash: 'e'.repeat(64), hosts: 5 },
      variants: [
        { hash: 'e'.repeat(64), state: 'present', hosts: 5 },
        { hash: h, state: 'present', hosts: 1 },
        { hash: null, state: 'missing', hosts: 1 },
      ],
      reporting: 7,
      total: 2,
      hosts: [
        { host: 'x', hash: h, state: 'present', lastSeen: T },
        { host: 'y', hash: null, state: 'missing', lastSeen: T },
      ],
    });
    expect(a.rows.map((r) => r.value)).toEqual(['ffffffffffff', 'missing']);
    expect(a.distribution!.map((d) => d.label)).toEqual(['eeeeeeeeeeee', 'ffffffffffff', 'missing']);
  });
});

describe('helpers', () => {
  it('countBy sorts by count, then label, and skips blanks', () => {
    expect(countBy(['b', 'a', undefined, 'b', '', 'a', 'c'])).toEqual([
      { label: 'a', count: 2 },
      { label: 'b', count: 2 },
      { label: 'c', count: 1 },
    ]);
  });
  it('pageRows slices 1-based pages', () => {
    expect(pageRows([1, 2, 3, 4, 5], 2, 2)).toEqual([3, 4]);
    expect(pageRows([1, 2, 3], 3, 2)).toEqual([]);
  });
  it('formatTime is UTC to the minute, tolerant of missing values', () => {
    expect(formatTime(T)).toBe('2026-11-27 03:00 UTC');
    expect(formatTime(null)).toBe('—');
    expect(formatTime('garbage')).toBe('garbage');
  });
});
