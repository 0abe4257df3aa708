import { buildRequest, describeQuestion, fromSavedQuery, QUESTION_TYPES, toSavedQuery, type Question } from '../questions';

const examples: Question[] = [
  { type: 'lucene', value: 'filename:"/etc/fstab" AND content:ext4' },
  { type: 'kernel', value: '4.4' },
  { type: 'os', value: 'ubuntu:20.04' },
  { type: 'missing_package', value: 'zsh' },
  { type: 'package', value: 'openssl', extra: '>=3.0' },
  { type: 'file_size', value: '/etc/hosts', extra: '4k' },
  { type: 'setting', value: 'vm.swappiness' },
  { type: 'drift', value: '/etc/resolv.conf', extra: 'host-00001' },
  { type: 'stale', value: '2h' },
];

describe('guided questions → API requests', () => {
  it('covers every question type', () => {
    expect(examples.map((q) => q.type).sort()).toEqual([...QUESTION_TYPES].sort());
  });

  it.each([
    [examples[0], '/search', { query: 'filename:"/etc/fstab" AND content:ext4', page: 2, size: 25 }],
    [examples[1], '/hosts', { kernel: '4.4', page: 2, size: 25 }],
    [examples[2], '/hosts', { os: 'ubuntu:20.04', page: 2, size: 25 }],
    [examples[3], '/hosts', { missing_package: 'zsh', page: 2, size: 25 }],
    [examples[4], '/hosts', { package: 'openssl', version_range: '>=3.0', page: 2, size: 25 }],
    [examples[5], '/hosts', { file: '/etc/hosts', larger_than: '4k', page: 2, size: 25 }],
    [examples[6], '/values', { key: 'vm.swappiness', page: 2, size: 25 }],
    [{ ...examples[6], extra: '60' }, '/values', { key: 'vm.swappiness', value: '60', page: 2, size: 25 }],
    [examples[7], '/drift', { path: '/etc/resolv.conf', golden: 'host-00001' }],
    [examples[8], '/hosts', { stale: '2h', page: 2, size: 25 }],
  ])('%j asks %s with the route parameter names', (q, path, query) => {
    const built = buildRequest(q, 2, 25);
    expect(built).toEqual({ ok: true, request: { path, query, serverPaged: path !== '/drift' } });
  });

  it('trims inputs and defaults the file size to 4k', () => {
    expect(buildRequest({ type: 'file_size', value: ' /etc/hosts ' })).toMatchObject({
      ok: true,
      request: { query: { file: '/etc/hosts', larger_than: '4k' } },
    });
  });

  it.each([
    [{ type: 'kernel', value: '  ' }, 'enter a value for "Kernel", e.g. 4.4 or 4.4.0-210-generic'],
    [{ type: 'kernel', value: 'latest' }, 'kernel "latest" is not a version: use major.minor (4.4) or a full release'],
    [{ type: 'file_size', value: 'etc/hosts', extra: '4k' }, 'file "etc/hosts" must be an absolute path, e.g. /etc/hosts'],
    [{ type: 'file_size', value: '/etc/hosts', extra: 'big' }, 'size "big" is not a size: use bytes or 4k, 1m, 2g'],
    [{ type: 'stale', value: 'two hours' }, 'duration "two hours" is not a duration: use 90m, 2h or 3d'],
  ] as [Question, string][])('rejects %j before asking the server', (q, error) => {
    expect(buildRequest(q)).toEqual({ ok: false, error });
  });
});

describe('questions ↔ saved searches', () => {
  it.each(examples.map((q) => [q.type, q] as const))('%s round-trips through the saved-search form', (_t, q) => {
    const saved = toSavedQuery(q);
    expect(['lucene', 'hosts', 'values', 'drift']).toContain(saved.kind);
    expect(fromSavedQuery(saved.kind, saved.params)).toEqual(q);
  });

  it('uses core parameter names (camelCase) for hosts queries', () => {
    expect(toSavedQuery(examples[3])).toEqual({ kind: 'hosts', params: { missingPackage: 'zsh' } });
    expect(toSavedQuery(examples[5])).toEqual({ kind: 'hosts', params: { file: '/etc/hosts', largerThan: '4k' } });
  });

  it('has no form for combined conditions or unknown kinds', () => {
    expect(fromSavedQuery('hosts', { kernel: '4.4', os: 'ubuntu' })).toBeUndefined();
    expect(fromSavedQuery('whatever', { query: 'x' })).toBeUndefined();
  });

  it('describes a question in words', () => {
    expect(describeQuestion(examples[5])).toBe('Hosts whose file is larger than /etc/hosts (larger than 4k)');
    expect(describeQuestion(examples[0])).toBe('Lucene: filename:"/etc/fstab" AND content:ext4');
  });
});
