import {
  createSaved,
  deleteSaved,
  getSaved,
  listSaved,
  NotFoundError,
  runSaved,
  updateSaved,
  UsageError,
  type IndexScope,
  type SearchResult,
} from '@mitra/core';
import { runMitra } from './support/cli';
import { testCluster, type TestCluster } from './support/cluster';

const FSTAB_EXT4 = 'UUID=1 / ext4 defaults 0 1\n';
const FSTAB_XFS = 'UUID=2 / xfs defaults 0 1\n';
const dpkg = (...names: string[]) => names.map((n) => `${n}\t1.0\tamd64`).join('\n') + '\n';

describe('saved searches', () => {
  let c: TestCluster;
  let scope: IndexScope;

  beforeAll(async () => {
    c = await testCluster('c2-saved');
    await c.setup();
    scope = { client: c.client, prefix: c.prefix };
    const at = '2026-11-27T00:00:00.000Z';
    const docs = [
      ['web-01', '/etc/fstab', FSTAB_EXT4],
      ['web-02', '/etc/fstab', FSTAB_EXT4],
      ['db-01', '/etc/fstab', FSTAB_XFS],
      ['web-01', 'mitra:packages', dpkg('bash', 'zsh')],
      ['web-02', 'mitra:packages', dpkg('bash')],
      ['db-01', 'mitra:packages', dpkg('bash', 'postgresql')],
    ];
    const operations = docs.flatMap(([host, path, content]) => [
      { index: { _index: 'x' } },
      { '@timestamp': at, host: { name: host }, file: { path }, mitra: { content } },
    ]);
    const res = await c.client.bulk({ pipeline: c.pipeline, operations, refresh: true });
    expect(res.errors).toBe(false);
  });
  afterAll(() => c.cleanup());

  it('creates, lists, gets, and refuses a duplicate name', async () => {
    const created = await createSaved(scope, {
      name: 'fstab-with',
      description: 'hosts whose fstab mounts a filesystem type',
      kind: 'lucene',
      params: { query: 'filename:"/etc/fstab" AND content:{{fs}}' },
    });
    expect(created.created).toBe(created.updated);
    await expect(createSaved(scope, { name: 'fstab-with', kind: 'lucene', params: { query: 'x' } })).rejects.toThrow(/already exists/);
    const list = await listSaved(scope);
    expect(list.searches.map((s) => s.name)).toEqual(['fstab-with']);
    expect(await getSaved(scope, 'fstab-with')).toEqual(created);
  });

  it('a Lucene query that does not parse is refused when saved or updated, not at every run; with a {{var}} in it, when run', async () => {
    await expect(createSaved(scope, { name: 'broken', kind: 'lucene', params: { query: 'content:(ext4' } })).rejects.toThrow(
      /^query "content:\(ext4" does not parse: Cannot parse/,
    );
    await expect(getSaved(scope, 'broken')).rejects.toThrow(NotFoundError);
    const good = await createSaved(scope, { name: 'fixable', kind: 'lucene', params: { query: 'content:ext4' } });
    await expect(updateSaved(scope, 'fixable', { params: { query: 'content:ext4 AND (' } })).rejects.toThrow(/does not parse/);
    expect(await getSaved(scope, 'fixable')).toEqual(good);
    // Filled in at run time: only then is there a query to parse.
    await createSaved(scope, { name: 'later', kind: 'lucene', params: { query: 'content:{{fs}}' } });
    await expect(runSaved(scope, 'later', { fs: '(ext4' })).rejects.toThrow(/does not parse/);
    await deleteSaved(scope, 'fixable');
    await deleteSaved(scope, 'later');
  });

  it('runs with {{var}} substituted, and names a missing variable', async () => {
    const run = await runSaved(scope, 'fstab-with', { fs: 'ext4' });
    expect(run.params).toEqual({ query: 'filename:"/etc/fstab" AND content:ext4' });
    expect((run.result as SearchResult).hits.map((h) => h.host).sort()).toEqual(['web-01', 'web-02']);
    const xfs = await runSaved(scope, 'fstab-with', { fs: 'xfs' });
    expect((xfs.result as SearchResult).hits.map((h) => h.host)).toEqual(['db-01']);
    await expect(runSaved(scope, 'fstab-with')).rejects.toThrow(/needs parameter "fs"/);
  });

  it('updates params (keeping the creation time) and runs other kinds', async () => {
    const before = await getSaved(scope, 'fstab-with');
    const updated = await updateSaved(
      scope,
      'fstab-with',
      { params: { query: 'filename:"/etc/fstab" AND NOT content:{{fs}}' } },
      new Date(Date.now() + 1000),
    );
    expect(updated.created).toBe(before.created);
    expect(updated.updated > before.updated).toBe(true);
    const run = await runSaved(scope, 'fstab-with', { fs: 'ext4' });
    expect((run.result as SearchResult).hits.map((h) => h.host)).toEqual(['db-01']);

    await createSaved(scope, { name: 'lacking', kind: 'hosts', params: { missingPackage: '{{pkg}}' } });
    const lacking = await runSaved(scope, 'lacking', { pkg: 'zsh' });
    // Every matching host by name, as alert rules compare them (not a page of rows).
    expect(lacking.result).toEqual({ count: 2, hosts: ['db-01', 'web-02'] });
  });

  it('rejects unknown kinds and parameters, bad names, bad Lucene', async () => {
    await expect(createSaved(scope, { name: 'k', kind: 'sql', params: {} })).rejects.toThrow(
      /kind "sql" is not a query kind: use one of lucene/,
    );
    await expect(createSaved(scope, { name: 'k', kind: 'hosts', params: { colour: 'red' } })).rejects.toThrow(
      /parameter colour is not a hosts parameter/,
    );
    await expect(createSaved(scope, { name: 'k', kind: 'lucene', params: {} })).rejects.toThrow(/needs parameter query/);
    await expect(createSaved(scope, { name: 'no spaces', kind: 'lucene', params: { query: 'x' } })).rejects.toThrow(UsageError);
    await expect(createSaved(scope, { name: 'broken', kind: 'lucene', params: { query: 'content:(unclosed' } })).rejects.toThrow(
      UsageError,
    );
  });

  it('mitra saved create/run/delete from the command line', async () => {
    const p = ['--prefix', c.prefix];
    const created = await runMitra(['saved', 'create', 'no-pkg', '--kind', 'hosts', '--param', 'missingPackage={{pkg}}', ...p]);
    expect(created).toMatchObject({ code: 0, stdout: 'created saved search no-pkg (hosts)\n' });
    const run = await runMitra(['saved', 'run', 'no-pkg', '--var', 'pkg=postgresql', ...p]);
    expect(run).toMatchObject({ code: 0, stdout: 'web-01\nweb-02\n' });
    expect((await runMitra(['saved', 'run', 'no-pkg', '--var', 'pkg=bash', ...p])).code).toBe(1);
    const missing = await runMitra(['saved', 'run', 'no-pkg', ...p]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/needs parameter "pkg": pass it as --var pkg=VALUE/);
    expect((await runMitra(['saved', 'delete', 'no-pkg', ...p])).code).toBe(0);
    expect((await runMitra(['saved', 'get', 'no-pkg', ...p])).code).toBe(1);
  });

  it('deletes, then answers not found', async () => {
    expect(await deleteSaved(scope, 'fstab-with')).toEqual({ deleted: 'fstab-with' });
    await expect(getSaved(scope, 'fstab-with')).rejects.toThrow(NotFoundError);
    await expect(deleteSaved(scope, 'fstab-with')).rejects.toThrow(NotFoundError);
    await expect(runSaved(scope, 'fstab-with')).rejects.toThrow(/no saved search named "fstab-with"/);
  });

  it('pages the list by name with a cursor, as the questions page: every search once, the total on each page', async () => {
    for (let i = 0; i < 5; i++) await createSaved(scope, { name: `page-${i}`, kind: 'lucene', params: { query: `content:w${i}` } });
    const all = (await listSaved(scope, { size: 10_000 })).searches.map((s) => s.name);
    expect(all).toEqual([...all].sort());
    expect(all.length).toBeGreaterThanOrEqual(5);
    const walked: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listSaved(scope, { size: 2, cursor });
      expect(page.total).toBe(all.length);
      walked.push(...page.searches.map((s) => s.name));
      cursor = page.next;
    } while (cursor !== undefined);
    expect(walked).toEqual(all);
    await expect(listSaved(scope, { cursor: 'page-1' })).rejects.toThrow(/^cursor "page-1" is not a cursor of the saved search list/);

    const p = ['--prefix', c.prefix];
    const first = await runMitra(['saved', 'list', '--size', '2', ...p]);
    const next = /^more: --cursor (\S+)$/m.exec(first.stdout)?.[1];
    expect(next).toBeDefined();
    const second = await runMitra(['saved', 'list', '--size', '2', '--cursor', next!, ...p]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`^${all[2]} `, 'm'));
    expect(second.stdout).not.toMatch(new RegExp(`^${all[0]} `, 'm'));
    const bad = await runMitra(['saved', 'list', '--cursor', 'nope', ...p]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cursor "nope" is not a cursor of the saved search list/);
  });
});
