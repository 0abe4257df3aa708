import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { API_ROUTES } from '@mitra/core';
import type { ElasticsearchClient } from '../../../kibana-plugin/kibana_api/server';
import { PLUGIN_ID, RULE_TYPE_ID } from '../../../kibana-plugin/common';
import { loadFleet } from '../fleet/load';
import type { SimHost } from '../fleet/simulator';
import { byKernelMajorMinor, fileLargerThan, missingPackage } from '../fleet/truth';
import { testCluster, type TestCluster } from '../support/cluster';
import { installPlugin, type KibanaTree } from './install';
import {
  DECLARED,
  REQUIRED_RULE_TYPE_FIELDS,
  onlyDeclared,
  responseFactory,
  standinFeatures,
  standinRouter,
  standinTaskManager,
  startPlugin,
  type ServerEntry,
} from './standin';

/**
 * The Kibana plugin's server as Kibana would load it: the BUILT bundle (from
 * the unpacked kibana-plugin/build/mitra-9.2.4.zip when it was built, else
 * from kibana-plugin/scripts/build-server.js), required in Node from a
 * Kibana-like tree whose node_modules hold only what Kibana provides
 * (@elastic/elasticsearch — this repo's copy standing in for Kibana's — and a
 * stand-in @kbn/config-schema). A STAND-IN of Kibana's core, router, response
 * factory, alerting and features plugins (./standin.ts, typed against
 * kibana-plugin/kibana_api/server.ts and offering nothing more) runs the
 * plugin's config validation, setup and start. The real engine answers, with
 * a simulated fleet loaded through the ingest pipeline. Every route is called
 * with valid and with invalid input: valid input answers 2xx with the fleet's
 * ground truth where there is one, invalid input 400 (or 404 for a missing
 * thing) with a message naming the problem — never 500.
 */

let cluster: TestCluster;
let tree: KibanaTree;
let entry: ServerEntry;
let kibana: Awaited<ReturnType<typeof startPlugin>> & { enabled: true };
const hosts: SimHost[] = [];

beforeAll(async () => {
  cluster = await testCluster('kibana-standin');
  await cluster.setup();
  await loadFleet(cluster.client, cluster.prefix, { hosts: 24, days: 2, onHost: (h) => hosts.push(h) });
  tree = installPlugin();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  entry = require(join(tree.pluginDir, 'server')) as ServerEntry;
  const started = await startPlugin(entry, cluster.client, { prefix: cluster.prefix });
  if (!started.enabled) throw new Error('plugin did not start');
  kibana = started;
}, 300_000); // loading the fleet through the pipeline and building the bundle, on a shared 2-core machine

afterAll(async () => {
  tree?.remove();
  await cluster?.cleanup();
});

const get = (url: string) => kibana.http.request('GET', url);
const messageOf = (body: unknown) => (body as { message: string }).message;

interface Case {
  route: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  status: number;
  /** For error cases: a part of the message the caller must see. */
  message?: RegExp;
}

// Every (method, route) of the table, each with a valid and an invalid call. Order matters: create before get/run/delete.
const hostWithHistory = () => hosts.find((h) => h.files.find((f) => f.path === '/etc/hosts')!.versions.length > 1)!;
const cases = (): Case[] => {
  const h = hostWithHistory();
  const firstAt = h.files.find((f) => f.path === '/etc/hosts')!.versions[0].at;
  const rule = {
    name: 'standin-rule',
    query: { kind: 'hosts', params: { kernel: '4.4' } },
    condition: { type: 'matches_above', threshold: 0 },
  };
  return [
    { route: '/api/mitra', method: 'GET', url: '/api/mitra', status: 200 },
    { route: '/api/mitra/overview', method: 'GET', url: '/api/mitra/overview', status: 200 },
    { route: '/api/mitra/questions', method: 'GET', url: '/api/mitra/questions', status: 200 },
    { route: '/api/mitra/questions', method: 'GET', url: '/api/mitra/questions?x=1', status: 400, message: /parameter x is not known/ },
    { route: '/api/mitra/hosts', method: 'GET', url: '/api/mitra/hosts?kernel=4.4', status: 200 },
    { route: '/api/mitra/hosts', method: 'GET', url: '/api/mitra/hosts', status: 400, message: /no condition given/ },
    {
      route: '/api/mitra/hosts',
      method: 'GET',
      url: '/api/mitra/hosts?kernel=four',
      status: 400,
      message: /kernel "four" is not a kernel version/,
    },
    { route: '/api/mitra/values', method: 'GET', url: '/api/mitra/values?key=vm.swappiness', status: 200 },
    { route: '/api/mitra/values', method: 'GET', url: '/api/mitra/values', status: 400, message: /parameter key is required/ },
    { route: '/api/mitra/drift', method: 'GET', url: '/api/mitra/drift?path=/etc/resolv.conf', status: 200 },
    { route: '/api/mitra/drift', method: 'GET', url: '/api/mitra/drift', status: 400, message: /parameter path is required/ },
    {
      route: '/api/mitra/search',
      method: 'GET',
      url: `/api/mitra/search?query=${encodeURIComponent('filename:"/etc/fstab" AND content:ext4')}`,
      status: 200,
    },
    {
      route: '/api/mitra/search',
      method: 'GET',
      url: `/api/mitra/search?query=${encodeURIComponent('filename:(')}`,
      status: 400,
      message: /does not parse/,
    },
    { route: '/api/mitra/get', method: 'GET', url: `/api/mitra/get?host=${h.name}&path=/etc/hosts`, status: 200 },
    {
      route: '/api/mitra/get',
      method: 'GET',
      url: `/api/mitra/get?host=${h.name}&path=/etc/nothing`,
      status: 404,
      message: /has no snapshot of \/etc\/nothing/,
    },
    { route: '/api/mitra/id', method: 'GET', url: `/api/mitra/id?host=${h.name}&path=/etc/hosts`, status: 200 },
    { route: '/api/mitra/id', method: 'GET', url: '/api/mitra/id?path=/etc/hosts', status: 400, message: /parameter host is required/ },
    { route: '/api/mitra/history', method: 'GET', url: `/api/mitra/history?host=${h.name}&path=/etc/hosts`, status: 200 },
    {
      route: '/api/mitra/history',
      method: 'GET',
      url: `/api/mitra/history?host=${h.name}&path=/etc/hosts&size=0`,
      status: 400,
      message: /parameter size/,
    },
    // Versions page by size + cursor like every list: the old page parameter and a made-up cursor are 400s.
    {
      route: '/api/mitra/history',
      method: 'GET',
      url: `/api/mitra/history?host=${h.name}&path=/etc/hosts&page=2`,
      status: 400,
      message: /parameter page is not known/,
    },
    {
      route: '/api/mitra/history',
      method: 'GET',
      url: `/api/mitra/history?host=${h.name}&path=/etc/hosts&cursor=WzEsMl0`,
      status: 400,
      message: /is not a cursor of the version list/,
    },
    { route: '/api/mitra/content', method: 'GET', url: `/api/mitra/content?host=${h.name}&path=/etc/hosts&at=${firstAt}`, status: 200 },
    {
      route: '/api/mitra/content',
      method: 'GET',
      url: `/api/mitra/content?host=${h.name}&path=/etc/hosts&at=yesterdayish`,
      status: 400,
      message: /parameter at/,
    },
    { route: '/api/mitra/diff', method: 'GET', url: `/api/mitra/diff?host=${h.name}&path=/etc/hosts&from=${firstAt}&to=now`, status: 200 },
    {
      route: '/api/mitra/diff',
      method: 'GET',
      url: `/api/mitra/diff?host=${h.name}&path=/etc/hosts&from=notatime`,
      status: 400,
      message: /parameter from/,
    },
    {
      route: '/api/mitra/diff/hosts',
      method: 'GET',
      url: `/api/mitra/diff/hosts?path=/etc/hosts&a=${hosts[0].name}&b=${hosts[1].name}`,
      status: 200,
    },
    {
      route: '/api/mitra/diff/hosts',
      method: 'GET',
      url: `/api/mitra/diff/hosts?path=/etc/hosts&a=${hosts[0].name}`,
      status: 400,
      message: /parameter b is required/,
    },
    { route: '/api/mitra/series', method: 'GET', url: `/api/mitra/series?host=${h.name}&field=mitra.loadavg.load1`, status: 200 },
    {
      route: '/api/mitra/series',
      method: 'GET',
      url: `/api/mitra/series?host=${h.name}&field=mitra.bogus`,
      status: 400,
      message: /is not a \/proc series/,
    },
    {
      route: '/api/mitra/incident',
      method: 'GET',
      url: `/api/mitra/incident?host=${h.name}&from=2000-01-01T00:00:00Z&to=now`,
      status: 200,
    },
    {
      route: '/api/mitra/incident',
      method: 'GET',
      url: `/api/mitra/incident?host=${h.name}&from=now&to=2000-01-01T00:00:00Z`,
      status: 400,
      message: /is after the end time/,
    },
    { route: '/api/mitra/incident/fleet', method: 'GET', url: '/api/mitra/incident/fleet?from=2000-01-01T00:00:00Z&to=now', status: 200 },
    {
      route: '/api/mitra/incident/fleet',
      method: 'GET',
      url: '/api/mitra/incident/fleet?from=2000-01-01T00:00:00Z&to=now&cache_drop=abc',
      status: 400,
      message: /cache_drop/,
    },
    {
      route: '/api/mitra/saved',
      method: 'POST',
      url: '/api/mitra/saved',
      body: { name: 'k44', kind: 'hosts', params: { kernel: '4.4' } },
      status: 201,
    },
    {
      route: '/api/mitra/saved',
      method: 'POST',
      url: '/api/mitra/saved',
      body: { name: 'bad', kind: 'nope', params: {} },
      status: 400,
      message: /kind "nope" is not a query kind/,
    },
    {
      route: '/api/mitra/saved',
      method: 'POST',
      url: '/api/mitra/saved',
      body: ['not', 'an', 'object'],
      status: 400,
      message: /\[request body\]: request body must be a JSON object/,
    },
    { route: '/api/mitra/saved', method: 'GET', url: '/api/mitra/saved', status: 200 },
    {
      route: '/api/mitra/saved',
      method: 'GET',
      url: '/api/mitra/saved?cursor=nope',
      status: 400,
      message: /cursor "nope" is not a cursor of the saved search list/,
    },
    { route: '/api/mitra/saved/:name', method: 'GET', url: '/api/mitra/saved/k44', status: 200 },
    { route: '/api/mitra/saved/:name', method: 'GET', url: '/api/mitra/saved/none-such', status: 404, message: /none-such/ },
    { route: '/api/mitra/saved/:name', method: 'PUT', url: '/api/mitra/saved/k44', body: { description: 'kernel 4.4 hosts' }, status: 200 },
    {
      route: '/api/mitra/saved/:name',
      method: 'PUT',
      url: '/api/mitra/saved/k44',
      body: { kind: 'nope' },
      status: 400,
      message: /kind "nope"/,
    },
    { route: '/api/mitra/saved/:name/run', method: 'POST', url: '/api/mitra/saved/k44/run', body: {}, status: 200 },
    {
      route: '/api/mitra/saved/:name/run',
      method: 'POST',
      url: '/api/mitra/saved/k44/run',
      body: { vars: 'x' },
      status: 400,
      message: /vars must be an object/,
    },
    { route: '/api/mitra/alerts/rules', method: 'POST', url: '/api/mitra/alerts/rules', body: rule, status: 201 },
    {
      route: '/api/mitra/alerts/rules',
      method: 'POST',
      url: '/api/mitra/alerts/rules',
      body: { ...rule, name: 'bad-rule', condition: { type: 'sometimes' } },
      status: 400,
      message: /condition/,
    },
    { route: '/api/mitra/alerts/rules', method: 'GET', url: '/api/mitra/alerts/rules', status: 200 },
    { route: '/api/mitra/alerts/rules', method: 'GET', url: '/api/mitra/alerts/rules?size=100000', status: 400, message: /parameter size/ },
    { route: '/api/mitra/alerts/rules/:name', method: 'GET', url: '/api/mitra/alerts/rules/standin-rule', status: 200 },
    { route: '/api/mitra/alerts/rules/:name', method: 'GET', url: '/api/mitra/alerts/rules/none-such', status: 404, message: /none-such/ },
    {
      route: '/api/mitra/alerts/rules/:name',
      method: 'PUT',
      url: '/api/mitra/alerts/rules/standin-rule',
      body: { description: 'four-four' },
      status: 200,
    },
    {
      route: '/api/mitra/alerts/rules/:name',
      method: 'PUT',
      url: '/api/mitra/alerts/rules/standin-rule',
      body: 'text',
      status: 400,
      message: /request body must be a JSON object/,
    },
    { route: '/api/mitra/alerts/rules/:name/eval', method: 'POST', url: '/api/mitra/alerts/rules/standin-rule/eval', status: 200 },
    {
      route: '/api/mitra/alerts/rules/:name/eval',
      method: 'POST',
      url: '/api/mitra/alerts/rules/none-such/eval',
      status: 404,
      message: /none-such/,
    },
    { route: '/api/mitra/alerts/eval', method: 'POST', url: '/api/mitra/alerts/eval', status: 200 },
    { route: '/api/mitra/alerts/eval', method: 'POST', url: '/api/mitra/alerts/eval', body: [1], status: 400, message: /\[request body\]/ },
    { route: '/api/mitra/alerts/history', method: 'GET', url: '/api/mitra/alerts/history?rule=standin-rule', status: 200 },
    { route: '/api/mitra/alerts/history', method: 'GET', url: '/api/mitra/alerts/history?page=x', status: 400, message: /parameter page/ },
    { route: '/api/mitra/saved/:name', method: 'DELETE', url: '/api/mitra/saved/k44', status: 200 },
    { route: '/api/mitra/saved/:name', method: 'DELETE', url: '/api/mitra/saved/k44', status: 404, message: /k44/ },
    { route: '/api/mitra/alerts/rules/:name', method: 'DELETE', url: '/api/mitra/alerts/rules/standin-rule', status: 200 },
    {
      route: '/api/mitra/alerts/rules/:name',
      method: 'DELETE',
      url: '/api/mitra/alerts/rules/standin-rule',
      status: 404,
      message: /standin-rule/,
    },
  ];
};

/**
 * The client as Kibana hands it in, seen from the plugin: Kibana's own copy of
 * @elastic/elasticsearch, whose error classes are not this repo's. Every call
 * goes to the real engine; every error it answers is re-thrown as a plain
 * object carrying only what the client's errors carry (name, message,
 * meta.statusCode, meta.body) — `instanceof` any class fails on it. `deny`
 * makes one method answer 403, as a user without index privileges would get.
 */
function anotherCopy(client: ElasticsearchClient, deny?: string): ElasticsearchClient {
  const foreign = (e: unknown) => {
    const err = e as { name?: string; message?: string; meta?: { statusCode?: number; body?: unknown } };
    return { name: err.name, message: err.message, meta: err.meta && { statusCode: err.meta.statusCode, body: err.meta.body } };
  };
  const wrap = <T extends object>(target: T, path: string): T =>
    new Proxy(target, {
      get(obj, key, receiver) {
        const value = Reflect.get(obj, key, receiver);
        const name = `${path}${String(key)}`;
        if (key === 'indices') return wrap(value as object, 'indices.');
        if (typeof value !== 'function' || key === 'transport') return value;
        return async (...args: unknown[]) => {
          if (name === deny) {
            const reason = `action [indices:data/read/search] is unauthorized for user [kibana_user] on indices [${cluster.prefix}current]`;
            throw {
              name: 'ResponseError',
              message: 'security_exception',
              meta: { statusCode: 403, body: { error: { type: 'security_exception', reason } } },
            };
          }
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(obj, args);
          } catch (e) {
            throw foreign(e);
          }
        };
      },
    });
  return wrap(client, '');
}

describe('the built server bundle, loaded the way Kibana loads it', () => {
  it('exports plugin and config, requires only Node built-ins and what Kibana provides, and carries no client copy', () => {
    expect(typeof entry.plugin).toBe('function');
    expect(typeof entry.config.schema.validate).toBe('function');
    const code = readFileSync(join(tree.pluginDir, 'server', 'index.js'), 'utf8');
    const required = new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
    const builtins = new Set(builtinModules);
    const foreign = [...required].filter(
      (r) => !builtins.has(r.replace(/^node:/, '')) && r !== '@elastic/elasticsearch' && !r.startsWith('@kbn/'),
    );
    expect(foreign).toEqual([]);
    expect(required).toContain('@kbn/config-schema');
    // The client's own code (its Transport and ResponseError classes) is not bundled.
    expect(code).not.toMatch(/class ResponseError extends|elastic-transport|@elastic\/transport/);
  });

  it('set up: every route, the rule type, the feature and the prune task', () => {
    expect(kibana.setup).toEqual({ routes: API_ROUTES.length, ruleType: true, feature: true, pruneTask: true });
    expect(kibana.config).toEqual({ enabled: true, prefix: cluster.prefix, retention: '90d' });
  });
});

describe('mitra.* in kibana.yml, validated by the exported config schema before the plugin runs', () => {
  it('defaults to enabled with prefix mitra- and retention 90d', () => {
    expect(entry.config.schema.validate({}, {}, 'config validation of [mitra]')).toEqual({
      enabled: true,
      prefix: 'mitra-',
      retention: '90d',
    });
  });

  it.each([
    [
      { prefix: 'Mitra*' },
      /^\[config validation of \[mitra\]\.prefix\]: index prefix "Mitra\*" is not a valid index name start: use lowercase/,
    ],
    [{ prefix: 7 }, /^\[config validation of \[mitra\]\.prefix\]: expected value of type \[string\] but got \[number\]/],
    [{ enabled: 'sometimes' }, /^\[config validation of \[mitra\]\.enabled\]: expected value of type \[boolean\] but got \[string\]/],
    [{ index: 'x' }, /^\[config validation of \[mitra\]\.index\]: definition for this key is missing/],
    [
      { retention: '90' },
      /^\[config validation of \[mitra\]\.retention\]: mitra.retention "90" is not a retention: use a number of days like 90d/,
    ],
    [{ retention: '0d' }, /^\[config validation of \[mitra\]\.retention\]: mitra.retention "0d" is not a retention/],
  ])('refuses to start with %j', async (yml, message) => {
    await expect(startPlugin(entry, cluster.client, yml)).rejects.toThrow(message);
  });

  it('mitra.enabled: false registers nothing', async () => {
    const off = await startPlugin(entry, cluster.client, { enabled: false, prefix: cluster.prefix });
    expect(off.enabled).toBe(false);
    expect(off.http.routes).toEqual([]);
    expect(off.alerting.types.size).toBe(0);
  });
});

describe('Kibana plugin server in a Kibana stand-in, on the real engine', () => {
  it('registers every route of the table in Kibana form: internal, a privilege, validation functions', () => {
    const registered = kibana.http.routes.map((r) => `${r.method.toUpperCase()} ${r.config.path}`).sort();
    const expected = API_ROUTES.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).sort();
    expect(registered).toEqual(expected);
    for (const r of kibana.http.routes) {
      expect(r.config.options?.access).toBe('internal');
      expect(r.config.security?.authz).toEqual({ requiredPrivileges: [r.method === 'get' ? 'mitra_read' : 'mitra_write'] });
      expect(r.config.validate && typeof r.config.validate.query).toBe('function');
    }
  });

  it('internal routes answer only the browser code of Kibana itself (x-elastic-internal-origin)', async () => {
    const res = await kibana.http.request('GET', '/api/mitra/overview', undefined, {});
    expect(res.status).toBe(400);
    expect(messageOf(res.body)).toMatch(/exists but is not available with the current configuration/);
  });

  it('a change needs kbn-xsrf or the kbn-version the browser sends, and an old browser is told to refresh, as in Kibana', async () => {
    const origin = { 'x-elastic-internal-origin': 'Kibana' };
    const body = { name: 'xsrf-check', kind: 'hosts', params: { kernel: '4.4' } };
    const bare = await kibana.http.request('POST', '/api/mitra/saved', body, origin);
    expect([bare.status, messageOf(bare.body)]).toEqual([400, 'Request must contain a kbn-xsrf header.']);
    const old = await kibana.http.request('POST', '/api/mitra/saved', body, { ...origin, 'kbn-version': '8.0.0' });
    expect([old.status, messageOf(old.body)]).toEqual([
      400,
      expect.stringMatching(/^Browser client is out of date, please refresh the page/),
    ]);
    // A script with kbn-xsrf (Kibana's documented way for API callers), then the browser's own headers.
    expect((await kibana.http.request('POST', '/api/mitra/saved', body, { ...origin, 'kbn-xsrf': 'true' })).status).toBe(201);
    expect((await kibana.http.request('DELETE', '/api/mitra/saved/xsrf-check')).status).toBe(200);
    expect((await kibana.http.request('GET', '/api/mitra/overview', undefined, origin)).status).toBe(200);
  });

  it('answers each route with valid input and rejects invalid input with a 400/404 message, never a 500', async () => {
    const all = cases();
    const covered = new Set(all.map((c) => `${c.method} ${c.route}`));
    expect([...covered].sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const c of all) {
      const res = await kibana.http.request(c.method, c.url, c.body);
      const summary = `${c.method} ${c.url} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
      expect([summary, res.status]).toEqual([summary, c.status]);
      if (c.message) {
        expect((res.body as { statusCode: number }).statusCode).toBe(c.status);
        expect([summary, c.message.test(messageOf(res.body))]).toEqual([summary, true]);
      }
    }
    // No 500 was logged; core's own diagnostics reached the plugin logger (not process.stderr).
    expect(kibana.logged.filter((l) => !l.startsWith('info: '))).toEqual([]);
    expect(kibana.logged).toContainEqual(expect.stringMatching(/^info: alert standin-rule firing at .*: count \d+, \d+ host\(s\)/));
  });

  it('answers the original fleet questions through the Kibana routes with the ground truth', async () => {
    const k44 = await get('/api/mitra/hosts?kernel=4.4');
    expect((k44.body as { hosts: { host: string }[] }).hosts.map((h) => h.host).sort()).toEqual(byKernelMajorMinor(hosts, '4.4'));
    const overview = (await get('/api/mitra/overview')).body as { hosts: number; kernels: { value: string; hosts: number }[] };
    expect(overview.hosts).toBe(hosts.length);
    expect(overview.kernels.find((k) => k.value === '4.4')?.hosts).toBe(byKernelMajorMinor(hosts, '4.4').length);
    const big = await get('/api/mitra/hosts?file=/etc/hosts&larger_than=4k');
    expect((big.body as { hosts: { host: string }[] }).hosts.map((h) => h.host).sort()).toEqual(fileLargerThan(hosts, '/etc/hosts', 4096));
  });
});

describe('errors thrown by another copy of the client (as Kibana hands in)', () => {
  let foreignKibana: Awaited<ReturnType<typeof startPlugin>>;
  let denied: Awaited<ReturnType<typeof startPlugin>>;
  beforeAll(async () => {
    foreignKibana = await startPlugin(entry, anotherCopy(cluster.client as unknown as ElasticsearchClient), { prefix: cluster.prefix });
    denied = await startPlugin(entry, anotherCopy(cluster.client as unknown as ElasticsearchClient, 'search'), { prefix: cluster.prefix });
  });

  it('a query the engine cannot parse is still a 400 naming the query, not 503', async () => {
    const res = await foreignKibana.http.request('GET', `/api/mitra/search?query=${encodeURIComponent('filename:(')}`);
    expect(res.status).toBe(400);
    expect(messageOf(res.body)).toMatch(/^query "filename:\(" does not parse/);
  });

  it('a name taken (409 from the engine) is a 400 "already exists", not a 500', async () => {
    const body = { name: 'dup', kind: 'hosts', params: { kernel: '4.4' } };
    expect((await foreignKibana.http.request('POST', '/api/mitra/saved', body)).status).toBe(201);
    const again = await foreignKibana.http.request('POST', '/api/mitra/saved', body);
    expect([again.status, messageOf(again.body)]).toEqual([400, expect.stringMatching(/saved search "dup" already exists/)]);
    expect((await foreignKibana.http.request('DELETE', '/api/mitra/saved/dup')).status).toBe(200);
  });

  it('a 403 is "permission denied" (403), not "cluster unavailable" (503)', async () => {
    const res = await denied.http.request('GET', '/api/mitra/hosts?kernel=4.4');
    expect(res.body).toMatchObject({ statusCode: 403, attributes: { error: 'forbidden' } });
    expect(messageOf(res.body)).toMatch(
      /^permission denied at \S+: action \[indices:data\/read\/search\] is unauthorized for user \[kibana_user\]/,
    );
  });
});

describe('the mitra.fleet-query rule type', () => {
  it('registers with every field Kibana 9.2 requires, in the 9.x feature form', () => {
    const type = kibana.alerting.types.get(RULE_TYPE_ID)!;
    for (const field of REQUIRED_RULE_TYPE_FIELDS) expect([field, type[field] !== undefined]).toEqual([field, true]);
    expect(type).toMatchObject({
      producer: PLUGIN_ID,
      solution: 'stack',
      minimumLicenseRequired: 'basic',
      defaultActionGroupId: 'matched',
    });
    const feature = kibana.features.registered[0];
    expect(feature.alerting).toEqual([{ ruleTypeId: RULE_TYPE_ID, consumers: [PLUGIN_ID, 'alerts'] }]);
  });

  it('validates its params the way Kibana reports them', () => {
    const bad = kibana.alerting.validateParams(RULE_TYPE_ID, { kind: 'hosts', params: { colour: 'blue' } });
    expect(bad.status).toBe(400);
    expect(messageOf(bad.body)).toMatch(/^params invalid: parameter colour is not a hosts parameter/);
    expect(
      messageOf(kibana.alerting.validateParams(RULE_TYPE_ID, { kind: 'hosts', params: { missingPackage: 'zsh' }, threshold: -1 }).body),
    ).toMatch(/threshold "-1" must be a whole number/);
    expect(messageOf(kibana.alerting.validateParams(RULE_TYPE_ID, null).body)).toMatch(/must be an object/);
  });

  const params = { kind: 'hosts', params: { missingPackage: 'zsh' } };

  it('raises one alert per matching host on the real engine, and none at or under the threshold', async () => {
    const expected = missingPackage(hosts, 'zsh').missing;
    expect(expected.length).toBeGreaterThan(2);
    const run = await kibana.alerting.run(RULE_TYPE_ID, params);
    expect([...run.alerts.keys()].sort()).toEqual(expected);
    expect(run.alerts.get(expected[0])).toEqual({
      group: 'matched',
      context: { host: expected[0], count: expected.length, kind: 'hosts' },
    });
    expect(run.limitReached).toBe(false);
    expect(run.state).toMatchObject({ hosts: expected, matched: expected.length, limitReached: false });
    const quiet = await kibana.alerting.run(RULE_TYPE_ID, { ...params, threshold: expected.length });
    expect(quiet.alerts.size).toBe(0);
  });

  it('stops at the alert limit of the framework and reports it instead of throwing', async () => {
    const expected = missingPackage(hosts, 'zsh').missing;
    const limit = 2;
    const run = await kibana.alerting.run(RULE_TYPE_ID, params, { maxAlerts: limit });
    expect(run.alerts.size).toBe(limit);
    for (const host of run.alerts.keys()) expect(expected).toContain(host);
    expect(run.limitReached).toBe(true);
    expect(run.state).toMatchObject({ matched: expected.length, limitReached: true });
    expect(run.warnings).toEqual([
      `warn: ${expected.length} hosts matched; alerts raised for the first ${limit} (the alert limit, alerting.rules.run.alerts.max in kibana.yml)`,
    ]);
    // Exactly at the limit is not past it.
    expect((await kibana.alerting.run(RULE_TYPE_ID, params, { maxAlerts: expected.length })).limitReached).toBe(false);
  });
});

describe('the mitra:prune Task Manager task (retention where the engine has no ILM/ISM)', () => {
  const taskId = () => `mitra:prune:${cluster.prefix}`;
  const historyIndices = async () =>
    (await cluster.client.cat.indices({ index: `${cluster.prefix}history-*`, format: 'json', h: 'index' })).map((r) => r.index!).sort();

  it('is registered with a definition Task Manager accepts, and scheduled at start: one task per prefix, every hour', () => {
    expect([...kibana.taskManager.definitions.keys()]).toEqual(['mitra:prune']);
    expect(kibana.taskManager.tasks.get(taskId())).toMatchObject({ taskType: 'mitra:prune', schedule: { interval: '1h' } });
    expect(kibana.taskManager.tasks.size).toBe(1);
    expect(kibana.logged.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('a run on the 7.10 engine deletes the days past mitra.retention, keeps the recent days and the current state', async () => {
    const old = [`${cluster.prefix}history-2001.01.01`, `${cluster.prefix}history-2001.01.02`];
    for (const index of old) await cluster.client.indices.create({ index });
    const before = await historyIndices();
    const current = (await cluster.client.count({ index: `${cluster.prefix}current` })).count;
    const state = await kibana.taskManager.run(taskId());
    expect(state).toMatchObject({ deleted: 2, kept: before.length - 2 });
    const after = await historyIndices();
    expect(after).toEqual(before.filter((i) => !old.includes(i)));
    // The simulated fleet's two recent days stay, and so does every current-state document.
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect((await cluster.client.count({ index: `${cluster.prefix}current` })).count).toBe(current);
    expect(kibana.logged).toContainEqual(expect.stringMatching(/^info: prune: retention 90d, prefix ".*": deleted 2 history index/));
    // The next run finds nothing more to delete.
    expect(await kibana.taskManager.run(taskId())).toMatchObject({ deleted: 0, kept: after.length });
  });

  it('mitra.retention: off schedules nothing, and a task scheduled before runs without deleting', async () => {
    const off = await startPlugin(entry, cluster.client, { prefix: cluster.prefix, retention: 'off' });
    if (!off.enabled) throw new Error('plugin did not start');
    expect(off.taskManager.tasks.size).toBe(0);
    // Task Manager keeps a task an earlier configuration scheduled: its runs must be no-ops now.
    await off.taskManager.start.ensureScheduled({
      id: taskId(),
      taskType: 'mitra:prune',
      schedule: { interval: '1h' },
      params: {},
      state: {},
    });
    const old = `${cluster.prefix}history-2001.01.03`;
    await cluster.client.indices.create({ index: old });
    try {
      expect(await off.taskManager.run(taskId())).toMatchObject({ skipped: 'retention off' });
      expect(await historyIndices()).toContain(old);
    } finally {
      await cluster.client.indices.delete({ index: old });
    }
  });
});

describe('the stand-in offers nothing Kibana lacks', () => {
  it('its response factory has exactly the declared members (no invented `created`)', () => {
    expect(Object.keys(responseFactory).sort()).toEqual([...DECLARED.responseFactory].sort());
    expect(() => onlyDeclared('response factory', { ...responseFactory, created: () => null }, DECLARED.responseFactory)).toThrow(
      'stand-in response factory differs from kibana_api/server.ts: extra [created], missing []',
    );
    expect(() => onlyDeclared('router', { get() {}, post() {} }, DECLARED.router)).toThrow(/missing \[put, delete\]/);
  });

  it('its Task Manager refuses what Kibana refuses: a type defined twice, a bad timeout, an unregistered type', async () => {
    const logged: string[] = [];
    const tm = standinTaskManager(logged);
    const runner = () => ({ run: async () => ({ state: {} }) });
    tm.setup.registerTaskDefinitions({ 'x:one': { createTaskRunner: runner } });
    expect(() => tm.setup.registerTaskDefinitions({ 'x:one': { createTaskRunner: runner } })).toThrow('Task x:one is already defined!');
    tm.setup.registerTaskDefinitions({ 'x:two': { timeout: '5 minutes', createTaskRunner: runner } });
    expect(tm.definitions.has('x:two')).toBe(false);
    expect(logged).toEqual([expect.stringMatching(/^error: Could not sanitize task definitions: Invalid timeout "5 minutes"/)]);
    await expect(tm.start.ensureScheduled({ id: 'a', taskType: 'x:three', params: {}, state: {} })).rejects.toThrow(
      'Unsupported task type "x:three". Supported types are x:one',
    );
  });

  it('parses the query string as hapi and Kibana do: __proto__ and constructor are parameters, elasticInternalOrigin is the origin', async () => {
    // hapi's query object has no prototype: these names reach the route's own check, which refuses them by name.
    for (const name of ['__proto__', 'constructor']) {
      const res = await get(`/api/mitra/overview?${name}=x`);
      expect(res.status).toBe(400);
      expect(messageOf(res.body)).toMatch(new RegExp(`${name}\\b.*is not known`));
    }
    // Kibana takes ?elasticInternalOrigin for the header and removes it before validation; 'false' means not internal.
    expect((await kibana.http.request('GET', '/api/mitra/overview?elasticInternalOrigin=true', undefined, {})).status).toBe(200);
    expect((await get('/api/mitra/overview?elasticInternalOrigin=false')).status).toBe(400);
    // A validation function that throws is a 400, as one that answers badRequest.
    const { router, request } = standinRouter(cluster.client as unknown as ElasticsearchClient);
    const throwing = () => {
      throw new Error('not this');
    };
    router.get({ path: '/t', validate: { query: throwing }, security: { authz: { requiredPrivileges: ['x'] } } }, async (_c, _r, res) =>
      res.ok({ body: 1 }),
    );
    expect(await request('GET', '/t')).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: '[request query]: not this' },
    });
  });

  it('its features registry refuses the 8.17 string form of alerting', () => {
    const { features } = standinFeatures(() => new Map());
    const old = { ...kibana.features.registered[0], alerting: [RULE_TYPE_ID] } as never;
    expect(() => features.registerKibanaFeature(old)).toThrow(/alerting must be \[\{ruleTypeId, consumers\}\]/);
  });
});
