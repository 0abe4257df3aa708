import { API_ROUTES } from '@mitra/core';
import { MitraServerPlugin } from '../../../kibana-plugin/server';
import { RULE_TYPE_ID } from '../../../kibana-plugin/common';
import { loadFleet } from '../fleet/load';
import type { SimHost } from '../fleet/simulator';
import { byKernelMajorMinor, fileLargerThan, missingPackage } from '../fleet/truth';
import { testCluster, type TestCluster } from '../support/cluster';
import { standinKibana } from './standin';

/**
 * The Kibana plugin's server, set up inside a STAND-IN of Kibana's router,
 * response factory and alerting plugin (./standin.ts — not Kibana itself),
 * answering from the real engine with a simulated fleet loaded through the
 * ingest pipeline. Every route is called with valid and with invalid input:
 * valid input answers 2xx with the fleet's ground truth where there is one,
 * invalid input answers 400 (or 404 for a missing thing) with a message
 * naming the problem — never 500.
 */

let cluster: TestCluster;
let kibana: ReturnType<typeof standinKibana>;
const hosts: SimHost[] = [];

beforeAll(async () => {
  cluster = await testCluster('kibana-standin');
  await cluster.setup();
  await loadFleet(cluster.client, cluster.prefix, { hosts: 24, days: 2, onHost: (h) => hosts.push(h) });
  kibana = standinKibana(cluster.client);
  const plugin = new MitraServerPlugin(kibana.initializerContext, { prefix: cluster.prefix });
  const result = plugin.setup(kibana.core, { alerting: kibana.alerting, features: kibana.features });
  expect(result).toEqual({ routes: API_ROUTES.length, ruleType: true, feature: true });
});

afterAll(async () => {
  await cluster?.cleanup();
});

const get = (url: string) => kibana.router.request('GET', url);
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
    { route: '/api/mitra/saved', method: 'GET', url: '/api/mitra/saved?page=0', status: 400, message: /parameter page/ },
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

describe('Kibana plugin server in a Kibana stand-in, on the real engine', () => {
  it('registers every route of the table in Kibana form, with a privilege and validation functions', () => {
    const registered = kibana.router.routes.map((r) => `${r.method.toUpperCase()} ${r.config.path}`).sort();
    const expected = API_ROUTES.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).sort();
    expect(registered).toEqual(expected);
    for (const r of kibana.router.routes) {
      expect(r.config.security?.authz.requiredPrivileges).toEqual([r.method === 'get' ? 'mitra_read' : 'mitra_write']);
      expect(r.config.validate && typeof r.config.validate.query).toBe('function');
    }
    // The feature grants exactly the rule type that was registered.
    expect(kibana.features.features.map((f) => f.id)).toEqual(['mitra']);
    expect(kibana.features.unknownRuleTypes()).toEqual([]);
  });

  it('answers each route with valid input and rejects invalid input with a 400/404 message, never a 500', async () => {
    const all = cases();
    const covered = new Set(all.map((c) => `${c.method} ${c.route}`));
    expect([...covered].sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const c of all) {
      const res = await kibana.router.request(c.method, c.url, c.body);
      const summary = `${c.method} ${c.url} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
      expect([summary, res.status]).toEqual([summary, c.status]);
      if (c.message) {
        expect((res.body as { statusCode: number }).statusCode).toBe(c.status);
        expect([summary, c.message.test(messageOf(res.body))]).toEqual([summary, true]);
      }
    }
    expect(kibana.logged).toEqual([]);
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

  it('registers the mitra.fleet-query rule type, validates its params and raises one alert per matching host', async () => {
    expect([...kibana.alerting.types.keys()]).toEqual([RULE_TYPE_ID]);
    const bad = kibana.alerting.validateParams(RULE_TYPE_ID, { kind: 'hosts', params: { colour: 'blue' } });
    expect(bad.status).toBe(400);
    expect(messageOf(bad.body)).toMatch(/^params invalid: parameter colour is not a hosts parameter/);
    expect(
      messageOf(kibana.alerting.validateParams(RULE_TYPE_ID, { kind: 'hosts', params: { missingPackage: 'zsh' }, threshold: -1 }).body),
    ).toMatch(/threshold "-1" must be a whole number/);
    expect(messageOf(kibana.alerting.validateParams(RULE_TYPE_ID, null).body)).toMatch(/must be an object/);

    const params = { kind: 'hosts', params: { missingPackage: 'zsh' } };
    expect(kibana.alerting.validateParams(RULE_TYPE_ID, params)).toMatchObject({ status: 200, params: { ...params, threshold: 0 } });
    const run = await kibana.alerting.run(RULE_TYPE_ID, params);
    const expected = missingPackage(hosts, 'zsh').missing;
    expect(expected.length).toBeGreaterThan(0);
    expect([...run.alerts.keys()].sort()).toEqual(expected);
    expect(run.alerts.get(expected[0])).toEqual({
      group: 'matched',
      context: { host: expected[0], count: expected.length, kind: 'hosts' },
    });
    expect(run.state.hosts).toEqual(expected);

    // Above the threshold only: with as many matches tolerated as there are, nothing fires.
    const quiet = await kibana.alerting.run(RULE_TYPE_ID, { ...params, threshold: expected.length });
    expect(quiet.alerts.size).toBe(0);
  });
});
