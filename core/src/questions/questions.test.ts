import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { apiRoutes, handleApi } from '../api/router';
import type { MitraClient } from '../client';
import { fieldInfo } from '../shapes/fields';
import { describeCatalog, kebabCase, paramsOf, questionTable, snakeCase } from './derive';
import { QUESTIONS } from './index';
import { CATALOG_WITH_THROWAWAY } from './throwaway.fixture';

const ROOT = resolve(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name === '__tests__') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('the question catalog', () => {
  it("declares each question's parameter names once (fleet/, with the function that answers): no other module or surface (CLI, API, saved searches, alerts, app) writes any spelling of them", () => {
    const files = ['core/src', 'cli/src', 'kibana-plugin/public', 'kibana-plugin/server'].flatMap((d) => sources(join(ROOT, d)));
    // The names that are the question's own (multi-word: a spelling per surface); one-word names (path, key) are everywhere.
    const names = QUESTIONS.flatMap((q) => Object.keys(q.params)).filter((n) => /[A-Z]/.test(n));
    expect(names.length).toBeGreaterThan(3);
    const written = new Map<string, string[]>(names.map((n) => [n, []]));
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // The catalog entries may name their parameters (a form's defaults) but never declare one.
      const catalogEntry = file.includes(join('core', 'src', 'questions'));
      for (const name of names)
        for (const spelling of new Set([name, snakeCase(name), kebabCase(name)])) {
          const key = `(^|[\\s{,])['"]?${spelling}['"]?\\??\\s*:`;
          const hits = text.match(new RegExp(catalogEntry ? `${key}\\s*\\{\\s*type:` : key, 'gm')) ?? [];
          for (let i = 0; i < hits.length; i++) written.get(name)!.push(`${relative(ROOT, file)}: ${spelling}`);
        }
    }
    // The host conditions are declared with findHosts (HOST_PARAMS), which the catalog's hosts question reuses.
    expect(written.get('missingPackage')).toEqual(['core/src/fleet/hosts.ts: missingPackage']);
    expect([...written].filter(([, where]) => where.length !== 1)).toEqual([]);
  });

  it('every parameter says what it accepts, with an example it accepts', () => {
    for (const q of QUESTIONS)
      for (const [name, p] of Object.entries(paramsOf(q))) {
        const info = fieldInfo(p.type);
        expect({ q: q.id, name, range: Boolean(info?.range), help: Boolean(p.help && p.label) }).toEqual({
          q: q.id,
          name,
          range: true,
          help: true,
        });
        expect({ q: q.id, name, ok: p.type.safeParse(info!.example).success }).toEqual({ q: q.id, name, ok: true });
      }
  });

  it('ids, kinds and form ids are unique', () => {
    const described = describeCatalog(QUESTIONS).questions;
    const unique = (xs: string[]) => new Set(xs).size === xs.length;
    expect(unique(described.map((q) => q.id))).toBe(true);
    expect(unique(described.map((q) => q.kind))).toBe(true);
    expect(unique(described.flatMap((q) => q.forms.map((f) => f.id)))).toBe(true);
  });

  it('describes itself as JSON: names in each spelling, types, units, ranges, defaults, help, examples, columns', () => {
    const hosts = describeCatalog(QUESTIONS).questions.find((q) => q.id === 'hosts')!;
    expect(JSON.parse(JSON.stringify(hosts))).toEqual(hosts);
    expect(hosts.params.find((p) => p.name === 'largerThan')).toMatchObject({
      api: 'larger_than',
      flag: '--larger-than',
      type: 'size',
      unit: 'bytes',
      required: false,
      example: '4k',
    });
    expect(hosts.params.map((p) => p.name)).toEqual(expect.arrayContaining(['size', 'cursor']));
    expect(hosts.columns.map((c) => c.name)).toContain('host');
  });

  it('the README question tables are generated from the catalog and current', () => {
    for (const [file, surface] of [
      ['cli/README.md', 'cli'],
      ['core/README.md', 'core'],
    ] as const) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const table = /<!-- questions:start[^>]*-->\n([\s\S]*?)\n<!-- questions:end -->/.exec(text)?.[1];
      if (table !== questionTable(QUESTIONS, surface))
        throw new Error(`${file}'s question table is stale: run \`npm run build && npm run docs -w core\` and commit it`);
    }
  });
});

describe('a throwaway catalog entry reaches the API with no other change', () => {
  const ctx = { client: {} as MitraClient, prefix: 'mitra-' };
  const routes = apiRoutes(CATALOG_WITH_THROWAWAY);
  const get = (path: string, query: Record<string, string> = {}) =>
    handleApi(routes, ctx, 'GET', path, { query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])), body: undefined });

  it('GET /api/mitra/questions lists it, with its parameters', async () => {
    const res = await get('/api/mitra/questions');
    expect(res.status).toBe(200);
    const resolv = (res.body as ReturnType<typeof describeCatalog>).questions.find((q) => q.id === 'resolv');
    expect(resolv?.params.map((p) => [p.name, p.api, p.flag])).toEqual([
      ['nameserver', 'nameserver', 'argument'],
      ['searchDomain', 'search_domain', '--search-domain'],
    ]);
    expect((await get('/api/mitra')).body).toMatchObject({
      routes: expect.arrayContaining([expect.objectContaining({ path: '/api/mitra/resolv' })]),
    });
  });

  it('its route validates with its declared shapes and hands run the declared names', async () => {
    const ok = await get('/api/mitra/resolv', { nameserver: ' 10.0.0.2 ', search_domain: 'example.com' });
    expect(ok.status).toBe(200);
    expect((ok.body as { asked: unknown }).asked).toEqual({ nameserver: '10.0.0.2', searchDomain: 'example.com' });
    expect(await get('/api/mitra/resolv')).toEqual({
      status: 400,
      body: { error: 'bad_request', message: 'parameter nameserver is required, e.g. 10.0.0.2' },
    });
    expect((await get('/api/mitra/resolv', { nameserver: 'x', searchDomain: 'y' })).body).toMatchObject({
      message: expect.stringMatching(/^parameter searchDomain is not known: use nameserver, search_domain$/),
    });
    // Not in the shipped catalog.
    expect((await handleApi(apiRoutes(QUESTIONS), ctx, 'GET', '/api/mitra/resolv', { query: {}, body: undefined })).status).toBe(404);
  });
});
