import { spawn } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_ROUTES, createApiServer, currentStateId, historyId, matchRoute, type Target } from '@mitra/core';
import { MITRA_BIN } from './support/cli';
import { testCluster, type TestCluster } from './support/cluster';

const NOW = new Date().toISOString();
const OLD = '2026-01-10T00:00:00.000Z';
const T1 = '2026-01-05T10:00:00.000Z';
const T2 = '2026-01-06T10:00:00.000Z';
const HOSTS_V1 = '127.0.0.1 localhost\n10.0.0.3 db-01\n';
const HOSTS_V2 = '127.0.0.1 localhost\n10.0.0.9 db-01\n';

interface Doc {
  host: string;
  path: string;
  at: string;
  content: string;
  target?: Target;
}
const docs: Doc[] = [
  {
    host: 'web-01',
    path: '/proc/version',
    at: NOW,
    content: 'Linux version 4.4.0-21-generic (buildd@lgw01) (gcc version 5.3.1) #42-Ubuntu SMP\n',
  },
  {
    host: 'web-02',
    path: '/proc/version',
    at: OLD,
    content: 'Linux version 5.10.0-28-amd64 (debian-kernel@lists.debian.org) (gcc 10) #1 SMP\n',
  },
  { host: 'web-01', path: 'mitra:packages', at: NOW, content: 'bash\t5.0\tamd64\nzsh\t5.8\tamd64\n' },
  { host: 'web-02', path: 'mitra:packages', at: OLD, content: 'bash\t5.1\tamd64\n' },
  { host: 'web-01', path: 'mitra:sysctl', at: NOW, content: 'vm.swappiness = 60\n' },
  { host: 'web-02', path: 'mitra:sysctl', at: OLD, content: 'vm.swappiness = 10\n' },
  { host: 'web-01', path: '/etc/hosts', at: T1, content: HOSTS_V1, target: 'history' },
  { host: 'web-01', path: '/etc/hosts', at: T2, content: HOSTS_V2, target: 'history' },
  { host: 'web-01', path: '/etc/hosts', at: NOW, content: HOSTS_V2 },
  { host: 'web-02', path: '/etc/hosts', at: OLD, content: HOSTS_V1 },
  ...[0, 1, 2].map((i) => ({
    host: 'web-01',
    path: '/proc/meminfo',
    at: new Date(Date.parse(T1) + i * 1000).toISOString(),
    content: `Cached: ${1000 - i * 400} kB\n`,
    target: 'history' as const,
  })),
];

describe('HTTP API (mitra serve)', () => {
  let c: TestCluster;
  let server: Server;
  let base: string;
  const logLines: string[] = [];
  /** Route patterns a test has called, to check at the end that every route answered. */
  const called = new Set<string>();

  async function call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> & { message?: string } }> {
    const match = matchRoute(API_ROUTES, method, path.split('?')[0]);
    if (match && 'route' in match) called.add(`${method} ${match.route.path}`);
    const res = await fetch(base + path, {
      method,
      // What the app sends: mitra serve takes changes only with kbn-xsrf and a JSON body (api-security.test.ts).
      headers: method === 'GET' ? {} : { 'kbn-xsrf': 'test', 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    // No answer ever carries a stack trace.
    expect(text).not.toMatch(/\n\s+at |\.ts:\d+/);
    return { status: res.status, body: JSON.parse(text) };
  }
  const get = (path: string) => call('GET', path);

  beforeAll(async () => {
    c = await testCluster('c2-api');
    await c.setup();
    const operations = docs.flatMap((d) => [
      { index: { _index: 'x' } },
      { '@timestamp': d.at, host: { name: d.host }, file: { path: d.path }, mitra: { content: d.content, target: d.target ?? 'current' } },
    ]);
    const res = await c.client.bulk({ pipeline: c.pipeline, operations, refresh: true });
    expect(res.errors).toBe(false);
    const ui = mkdtempSync(join(tmpdir(), 'mitra-ui-'));
    writeFileSync(join(ui, 'index.html'), '<h1>mitra</h1>');
    server = createApiServer({ ctx: { client: c.client, prefix: c.prefix }, staticDir: ui, log: (l) => logLines.push(l) });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server?.close(() => r()));
    await c.cleanup();
  });

  it('lists its routes and logs one line per request', async () => {
    const res = await get('/api/mitra');
    expect(res.status).toBe(200);
    expect((res.body.routes as { path: string }[]).length).toBe(API_ROUTES.length);
    expect(logLines.some((l) => /^GET \/api\/mitra 200 \d+ms$/.test(l))).toBe(true);
  });

  it('gives the fleet at a glance: hosts per kernel and OS', async () => {
    const overview = await get('/api/mitra/overview');
    expect(overview.status).toBe(200);
    expect(overview.body).toMatchObject({
      hosts: 2,
      kernels: [
        { value: '4.4', hosts: 1 },
        { value: '5.10', hosts: 1 },
      ],
      os: [],
      unknownOs: 2,
    });
  });

  it('describes the question catalog: each question, its parameters in the API spelling, its columns', async () => {
    const res = await get('/api/mitra/questions');
    expect(res.status).toBe(200);
    const questions = res.body.questions as { id: string; path: string; params: { name: string; api: string }[] }[];
    expect(questions.map((q) => q.id)).toEqual(['search', 'hosts', 'values', 'drift']);
    // Each question's route is in the table, and takes the parameters the catalog names.
    for (const q of questions) expect(API_ROUTES.some((r) => r.method === 'GET' && r.path === q.path)).toBe(true);
    expect(questions.find((q) => q.id === 'hosts')!.params.find((p) => p.name === 'missingPackage')!.api).toBe('missing_package');
  });

  it('answers fleet questions', async () => {
    const kernel = await get('/api/mitra/hosts?kernel=4.4');
    expect(kernel.status).toBe(200);
    expect((kernel.body.hosts as { host: string }[]).map((h) => h.host)).toEqual(['web-01']);
    const lacking = await get('/api/mitra/hosts?missing_package=zsh');
    expect((lacking.body.hosts as { host: string }[]).map((h) => h.host)).toEqual(['web-02']);
    const stale = await get('/api/mitra/hosts?stale=2d&size=1');
    expect(stale.body).toMatchObject({ total: 1 });
    expect(stale.body.next).toBeUndefined();
    expect((stale.body.hosts as { host: string }[]).map((h) => h.host)).toEqual(['web-02']);
    const values = await get('/api/mitra/values?key=vm.swappiness');
    expect((values.body.values as { value: string }[]).map((v) => v.value).sort()).toEqual(['10', '60']);
    const drift = await get('/api/mitra/drift?path=/etc/hosts&golden=web-01');
    expect((drift.body.hosts as { host: string }[]).map((h) => h.host)).toEqual(['web-02']);
    const search = await get(`/api/mitra/search?query=${encodeURIComponent('filename:"/etc/hosts" AND content:"10.0.0.3"')}`);
    expect((search.body.hits as { host: string }[]).map((h) => h.host)).toEqual(['web-02']);
    const snap = await get('/api/mitra/get?host=web-01&path=/etc/hosts');
    expect((snap.body.doc as { content: string }).content).toBe(HOSTS_V2);
    expect((await get('/api/mitra/get?host=nope&path=/etc/hosts')).status).toBe(404);
    const id = await get('/api/mitra/id?host=web-01&path=/etc/hosts');
    expect(id.body.id).toBe(currentStateId('web-01', '/etc/hosts'));
  });

  it('answers history, content at a time, diffs and series', async () => {
    const history = await get('/api/mitra/history?host=web-01&path=/etc/hosts');
    expect((history.body.versions as { timestamp: string }[]).map((v) => v.timestamp)).toEqual([T2, T1]);
    expect(history.body.asOf).toBe(NOW);
    const at = await get(`/api/mitra/content?host=web-01&path=/etc/hosts&at=2026-01-05T23:00:00Z`);
    expect(at.body.content).toBe(HOSTS_V1);
    const byId = await get(`/api/mitra/diff?from=${historyId('web-01', '/etc/hosts', T1)}&to=${historyId('web-01', '/etc/hosts', T2)}`);
    expect(byId.body.diff).toContain('\n-10.0.0.3 db-01\n+10.0.0.9 db-01\n');
    const byTime = await get(`/api/mitra/diff?host=web-01&path=/etc/hosts&from=${T1}&to=${T2}`);
    expect(byTime.body.diff).toBe(byId.body.diff);
    const hosts = await get('/api/mitra/diff/hosts?path=/etc/hosts&a=web-02&b=web-01');
    expect(hosts.body.identical).toBe(false);
    const series = await get('/api/mitra/series?host=web-01&field=mitra.meminfo.Cached');
    expect((series.body.points as { value: number }[]).map((p) => p.value)).toEqual([1000 * 1024, 600 * 1024, 200 * 1024]);
    // Incident replay reads the same meminfo snapshots (core/src/incident; its own suite has the real 2016 data).
    const window = 'from=2026-01-01T00:00:00Z&to=2026-12-31T00:00:00Z';
    const incident = await get(`/api/mitra/incident?host=web-01&${window}`);
    expect(incident.body).toMatchObject({ host: 'web-01', sources: { history: expect.any(Number) } });
    expect((incident.body.sources as { history: number }).history).toBeGreaterThanOrEqual(3);
    const fleet = await get(`/api/mitra/incident/fleet?${window}`);
    expect(fleet.body.examined).toBeGreaterThanOrEqual(1);
  });

  it('manages and runs saved searches', async () => {
    const input = { name: 'kernel', kind: 'hosts', params: { kernel: '{{k}}' } };
    expect((await call('POST', '/api/mitra/saved', input)).status).toBe(201);
    const dup = await call('POST', '/api/mitra/saved', input);
    expect(dup).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(dup.body.message).toMatch(/already exists/);
    expect((await get('/api/mitra/saved')).body.total).toBe(1);
    expect((await get('/api/mitra/saved/kernel')).body.params).toEqual({ kernel: '{{k}}' });
    const run = await call('POST', '/api/mitra/saved/kernel/run', { vars: { k: '5.10' } });
    // A saved search answers what alert rules compare: every matching host, not a page.
    expect(run.body.result).toEqual({ count: 1, hosts: ['web-02'] });
    const missing = await call('POST', '/api/mitra/saved/kernel/run', {});
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/"k"/);
    expect((await call('PUT', '/api/mitra/saved/kernel', { description: 'by kernel' })).body.description).toBe('by kernel');
    expect((await call('DELETE', '/api/mitra/saved/kernel')).status).toBe(200);
    expect((await get('/api/mitra/saved/kernel')).status).toBe(404);
  });

  it('manages, evaluates and reports alert rules', async () => {
    const rule = {
      name: 'old-kernels',
      query: { kind: 'hosts', params: { kernel: '5.10' } },
      condition: { type: 'matches_above', threshold: 0 },
    };
    expect((await call('POST', '/api/mitra/alerts/rules', rule)).status).toBe(201);
    expect((await get('/api/mitra/alerts/rules')).body.total).toBe(1);
    expect((await get('/api/mitra/alerts/rules/old-kernels')).body.state).toBeNull();
    const fired = await call('POST', '/api/mitra/alerts/rules/old-kernels/eval');
    expect(fired.body).toMatchObject({ transition: 'fired', hosts: ['web-02'] });
    const all = await call('POST', '/api/mitra/alerts/eval');
    expect(all.body.evaluations).toMatchObject([{ rule: 'old-kernels', transition: null, status: 'firing' }]);
    const events = await get('/api/mitra/alerts/history?rule=old-kernels');
    expect(events.body).toMatchObject({ total: 1, events: [{ state: 'firing', hosts: ['web-02'] }] });
    expect((await get('/api/mitra/alerts/rules/old-kernels')).body.state).toMatchObject({ status: 'firing', hosts: ['web-02'] });
    expect((await call('PUT', '/api/mitra/alerts/rules/old-kernels', { enabled: false })).body.enabled).toBe(false);
    expect((await call('DELETE', '/api/mitra/alerts/rules/old-kernels')).status).toBe(200);
    expect((await call('POST', '/api/mitra/alerts/rules/old-kernels/eval')).status).toBe(404);
  });

  it('answers 400 naming the parameter for bad input, never 500', async () => {
    const cases: [string, RegExp][] = [
      [`/api/mitra/search?query=${encodeURIComponent('content:(unclosed')}`, /query "content:\(unclosed" does not parse/],
      ['/api/mitra/search', /parameter query is required/],
      ['/api/mitra/search?query=x&size=20000', /parameter size "20000" is out of range/],
      ['/api/mitra/search?query=x&size=100&cursor=150', /cursor "150" is not a search cursor for size 100/],
      ['/api/mitra/search?query=x&at=yesterday', /at "yesterday" is not a time/],
      ['/api/mitra/history?host=web-01&path=/etc/hosts&from=last-tuesday', /parameter from "last-tuesday" is not a time/],
      // History pages as every list does: size + cursor; the old page parameter is refused.
      ['/api/mitra/history?host=web-01&path=/etc/hosts&page=2', /parameter page is not known: use host, path, from, to, size, cursor/],
      ['/api/mitra/history?host=web-01&path=/etc/hosts&cursor=WzEsMl0', /cursor "WzEsMl0" is not a cursor of the version list/],
      ['/api/mitra/history?host=web-01&path=/etc/hosts&size=10001', /parameter size "10001" is out of range/],
      ['/api/mitra/content?host=web-01&path=/etc/hosts', /parameter at is required/],
      ['/api/mitra/series?host=web-01&field=mitra.content', /field "mitra.content" is not a \/proc series/],
      ['/api/mitra/series?host=web-01&field=mitra.meminfo.Cached&from=2026-02-01&to=2026-01-01', /parameter from .* is after the end time/],
      // Caught before Elasticsearch sees them: its result window and its long range.
      ['/api/mitra/search?query=x&size=100&cursor=10000', /search pages stop at 10000 hits: narrow the query/],
      ['/api/mitra/search?query=x&page=2', /parameter page is not known: use query, at, size, cursor/],
      [
        '/api/mitra/hosts?file=/etc/hosts&larger_than=99999999999999999999999',
        /parameter larger_than "99999999999999999999999" is not a size/,
      ],
      ['/api/mitra/hosts?stale=2h&stael=3h', /parameter stael is not known: use kernel, os, /],
      ['/api/mitra/hosts?stale=2h&stale=3h', /parameter stale \["2h","3h"\] is given 2 times: give it once/],
      ['/api/mitra/hosts?file=/etc/hosts&larger_than=lots', /"lots" is not a size/],
      ['/api/mitra/hosts', /no condition given/],
    ];
    for (const [path, message] of cases) {
      const res = await get(path);
      expect({ path, status: res.status, error: res.body.error }).toEqual({ path, status: 400, error: 'bad_request' });
      expect(res.body.message).toMatch(message);
    }
    // Wrongly typed bodies: 400 naming the field, and nothing stored.
    const rule = { name: 'typed-badly', search: 'whatever', condition: { type: 'hosts_changed' } };
    for (const [patch, message] of [
      [{ actions: 'x' }, /field actions must be a list, not "x"/],
      [{ query: null, search: undefined }, /field query must be an object, not null/],
      [{ enabled: 'no' }, /field enabled must be true or false, not "no"/],
      [{ condition: { type: 'matches_above', threshold: -1 } }, /field condition.threshold -1 is out of range/],
    ] as [Record<string, unknown>, RegExp][]) {
      const res = await call('POST', '/api/mitra/alerts/rules', { ...rule, ...patch });
      expect({ patch, status: res.status }).toEqual({ patch, status: 400 });
      expect(res.body.message).toMatch(message);
    }
    expect((await get('/api/mitra/alerts/rules/typed-badly')).status).toBe(404);
    const nullQuery = await call('POST', '/api/mitra/saved', { name: 'typed-badly', kind: 'lucene', params: { query: null } });
    expect(nullQuery).toMatchObject({ status: 400, body: { message: 'parameter query must be text, not null' } });
    expect((await get('/api/mitra/saved/typed-badly')).status).toBe(404);
    // Lists nested past what String() can print (a 400 KB body) are named, not a stack overflow (500).
    const deep = await call('POST', '/api/mitra/saved', `{"name":${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
    expect(deep).toEqual({ status: 400, body: { error: 'bad_request', message: 'field name must be text, not […]' } });
    const badJson = await call('POST', '/api/mitra/saved', '{not json');
    expect(badJson).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(badJson.body.message).toMatch(/request body is not valid JSON/);
    expect((await call('DELETE', '/api/mitra/hosts')).status).toBe(405);
    expect((await get('/api/mitra/nothing-here')).status).toBe(404);
  });

  it('refuses a parameter named like an object member (__proto__, constructor, toString) as unknown, not a 500', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const res = await get(`/api/mitra/hosts?stale=2h&${name}=x`);
      expect({ name, status: res.status, body: res.body }).toEqual({
        name,
        status: 400,
        body: { error: 'bad_request', message: expect.stringMatching(new RegExp(`^parameter ${name} is not known: use kernel, os, `)) },
      });
    }
  });

  it('answers HEAD on a GET route as GET without the body (as Kibana does), and a change route still refuses it', async () => {
    const [head, full] = await Promise.all([fetch(`${base}/api/mitra/overview`, { method: 'HEAD' }), fetch(`${base}/api/mitra/overview`)]);
    expect({ status: head.status, type: head.headers.get('content-type'), body: await head.text() }).toEqual({
      status: 200,
      type: full.headers.get('content-type'),
      body: '',
    });
    expect(full.status).toBe(200);
    const onPost = await fetch(`${base}/api/mitra/saved/x/run`, { method: 'HEAD' });
    expect({ status: onPost.status, allow: onPost.headers.get('allow') }).toEqual({ status: 405, allow: 'POST' });
  });

  it('answers a request target that is not a URL with a 400, not a 500', async () => {
    // fetch sends only paths; node:http sends any target, as a hand-written or hostile client does.
    const { port } = new URL(base);
    for (const target of ['http://[', 'http://x:99999/api/mitra', 'http://%/api/mitra']) {
      const res = await new Promise<{ status: number; body: unknown }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: target, headers: { host: `127.0.0.1:${port}` }, agent: false }, (r) => {
          let text = '';
          r.on('data', (d) => (text += d));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body: JSON.parse(text) }));
        });
        req.on('error', reject);
        req.end();
      });
      expect({ target, ...res }).toEqual({
        target,
        status: 400,
        body: { error: 'bad_request', message: `request target "${target}" is not a URL: request a path, such as /api/mitra` },
      });
    }
  });

  it('serves the UI folder at its mount point', async () => {
    const res = await fetch(`${base}/`);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toBe('<h1>mitra</h1>');
  });

  it('a UI file that cannot be read is an error for that request, not the end of the server', async () => {
    // Listed as a file but unreadable, as a file of the UI folder is when the UI is rebuilt (or re-owned) under a
    // running server: /proc/self/mem stats as a regular file and its first read fails (EIO), deterministically.
    const ui = mkdtempSync(join(tmpdir(), 'mitra-ui-'));
    writeFileSync(join(ui, 'index.html'), '<h1>mitra</h1>');
    symlinkSync('/proc/self/mem', join(ui, 'unreadable.js'));
    const lines: string[] = [];
    const uiServer = createApiServer({ ctx: { client: c.client, prefix: c.prefix }, staticDir: ui, log: (l) => lines.push(l) });
    await new Promise<void>((r) => uiServer.listen(0, '127.0.0.1', r));
    const uiBase = `http://127.0.0.1:${(uiServer.address() as AddressInfo).port}`;
    try {
      const res = await fetch(`${uiBase}/unreadable.js`);
      expect({ status: res.status, body: await res.json() }).toEqual({
        status: 500,
        body: { error: 'internal', message: 'internal error: the server log has the details' },
      });
      expect(lines.join('\n')).toMatch(/EIO/);
      // Still serving.
      expect(await (await fetch(`${uiBase}/`)).text()).toBe('<h1>mitra</h1>');
    } finally {
      await new Promise<void>((r) => uiServer.close(() => r()));
    }
  });

  it('mitra serve listens on 127.0.0.1, answers, logs each request and stops on SIGINT', async () => {
    const child = spawn(process.execPath, [MITRA_BIN, 'serve', '--port', '0', '--prefix', c.prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
        const m = /mitra serve: (http:\/\/127\.0\.0\.1:\d+)\/api\/mitra/.exec(stderr);
        if (m) resolve(m[1]);
      });
      child.on('close', () => reject(new Error(`mitra serve exited: ${stderr}`)));
    });
    const res = await fetch(`${url}/api/mitra/get?host=web-01&path=/etc/hosts`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { doc: { content: string } }).doc.content).toBe(HOSTS_V2);
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/^GET \/api\/mitra\/get\?host=web-01&path=\/etc\/hosts 200 \d+ms$/m);
  });

  it('every route was exercised', () => {
    expect(API_ROUTES.map((r) => `${r.method} ${r.path}`).filter((r) => !called.has(r))).toEqual([]);
  });
});
