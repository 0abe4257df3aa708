import { describeCatalog, QUESTIONS } from '@mitra/core';
import { buildRequest, describeQuestion, formSpecs, fromSavedQuery, toSavedQuery, type Question } from '../questions';

/** What GET /api/mitra/questions answers, made from the same catalog (JSON round trip, as over HTTP). */
const catalog = JSON.parse(JSON.stringify(describeCatalog(QUESTIONS)));

const examples: Question[] = [
  { type: 'lucene', value: 'filename:"/etc/fstab" AND content:ext4' },
  { type: 'kernel', value: '4.4' },
  { type: 'os', value: 'ubuntu:20.04' },
  { type: 'missing_package', value: 'zsh' },
  { type: 'package', value: 'openssl', extra: '>=3.0' },
  { type: 'file_size', value: '/etc/hosts', extra: '4k' },
  { type: 'stale', value: '2h' },
  { type: 'setting', value: 'vm.swappiness' },
  { type: 'drift', value: '/etc/resolv.conf', extra: 'host-00001' },
];

describe('guided questions → API requests', () => {
  it('the picker lists every form of the catalog, in order', () => {
    expect(formSpecs(catalog).map((s) => s.form.id)).toEqual(examples.map((q) => q.type));
  });

  it.each([
    [examples[0], '/search', { query: 'filename:"/etc/fstab" AND content:ext4', size: 25, cursor: '50' }],
    [examples[1], '/hosts', { kernel: '4.4', size: 25, cursor: '50' }],
    [examples[2], '/hosts', { os: 'ubuntu:20.04', size: 25, cursor: '50' }],
    [examples[3], '/hosts', { missing_package: 'zsh', size: 25, cursor: '50' }],
    [examples[4], '/hosts', { package: 'openssl', version_range: '>=3.0', size: 25, cursor: '50' }],
    [examples[5], '/hosts', { file: '/etc/hosts', larger_than: '4k', size: 25, cursor: '50' }],
    [examples[6], '/hosts', { stale: '2h', size: 25, cursor: '50' }],
    [examples[7], '/values', { key: 'vm.swappiness', size: 25, cursor: '50' }],
    [examples[8], '/drift', { path: '/etc/resolv.conf', golden: 'host-00001', size: 25, cursor: '50' }],
  ])('%j asks %s with the route parameter names', (q, path, query) => {
    const built = buildRequest(catalog, q, 25, '50');
    expect(built).toEqual({ ok: true, request: { path, query, serverPaged: true } });
  });

  it("trims inputs and sends the form's default for an empty second field", () => {
    expect(buildRequest(catalog, { type: 'file_size', value: ' /etc/hosts ' })).toMatchObject({
      ok: true,
      request: { query: { file: '/etc/hosts', larger_than: '4k' } },
    });
  });

  it.each([
    [{ type: 'kernel', value: '  ' }, 'enter a value for "Kernel", e.g. 4.4'],
    [{ type: 'nope', value: 'x' }, '"nope" is not a question here: choose one from the list'],
  ] as [Question, string][])('refuses %j before asking the server', (q, error) => {
    expect(buildRequest(catalog, q)).toEqual({ ok: false, error });
  });
});

describe('questions ↔ saved searches', () => {
  it.each(examples.map((q) => [q.type, q] as const))('%s round-trips through the saved-search form', (_t, q) => {
    const saved = toSavedQuery(catalog, q);
    expect(['lucene', 'hosts', 'values', 'drift']).toContain(saved.kind);
    expect(fromSavedQuery(catalog, saved.kind, saved.params)).toEqual(q);
  });

  it('uses core parameter names (camelCase) for hosts queries', () => {
    expect(toSavedQuery(catalog, examples[3])).toEqual({ kind: 'hosts', params: { missingPackage: 'zsh' } });
    expect(toSavedQuery(catalog, examples[5])).toEqual({ kind: 'hosts', params: { file: '/etc/hosts', largerThan: '4k' } });
  });

  it('has no form for combined conditions or unknown kinds', () => {
    expect(fromSavedQuery(catalog, 'hosts', { kernel: '4.4', os: 'ubuntu' })).toBeUndefined();
    expect(fromSavedQuery(catalog, 'hosts', { file: '/etc/hosts' })).toBeUndefined();
    expect(fromSavedQuery(catalog, 'whatever', { query: 'x' })).toBeUndefined();
  });

  it('describes a question in words', () => {
    expect(describeQuestion(catalog, examples[5])).toBe('Hosts whose file is larger than /etc/hosts (larger than 4k)');
    expect(describeQuestion(catalog, examples[0])).toBe('Lucene query filename:"/etc/fstab" AND content:ext4');
  });
});
