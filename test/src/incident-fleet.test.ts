import { API_ROUTES, fleetIncident, type FleetIncident, handleApi, type IndexScope, samplePipeline } from '@mitra/core';
import { simulateMemoryFleet, SHOWS_PATTERN, type MemoryHost } from './fleet/memory';
import { runMitra } from './support/cli';
import { testCluster, type TestCluster } from './support/cluster';

const FROM = '2026-11-26T03:00:00.000Z';
const TO = '2026-11-26T03:02:00.000Z';
const BEFORE = '2026-11-26T02:00:00.000Z';
const fleet = simulateMemoryFleet({ hosts: 40, from: FROM });
const expected = (pred: (h: MemoryHost) => boolean) =>
  fleet
    .filter(pred)
    .map((h) => h.name)
    .sort();

async function load(c: TestCluster): Promise<void> {
  const history: object[] = [];
  const samples: object[] = [];
  for (const h of fleet) {
    const snap = (at: string, path: string, content: string) =>
      history.push(
        { index: { _index: 'incoming' } },
        { '@timestamp': at, host: { name: h.name }, file: { path }, mitra: { content, target: 'history' } },
      );
    snap(BEFORE, 'mitra:sysctl', `vm.swappiness = ${h.swappiness}\nvm.dirty_ratio = 20\n`);
    snap(BEFORE, '/proc/version', `Linux version ${h.kernel} (builder@example) (gcc 12) #1 SMP\n`);
    for (const m of h.meminfo) {
      if (h.viaSamples)
        samples.push(
          { index: { _index: 'incoming' } },
          { '@timestamp': m.at, host: { name: h.name }, mitra: { sample: { meminfo: m.content } } },
        );
      else snap(m.at, '/proc/meminfo', m.content);
    }
  }
  for (const [pipeline, operations] of [
    [c.pipeline, history],
    [samplePipeline(c.prefix), samples],
  ] as const) {
    const res = await c.client.bulk({ pipeline, operations: operations as object[], refresh: true });
    if (res.errors) throw new Error(JSON.stringify(res.items.find((i) => i.index?.error)));
  }
}

describe('incident fleet view on a simulated fleet with ground truth', () => {
  let c: TestCluster;
  let scope: IndexScope;
  let result: FleetIncident;

  beforeAll(async () => {
    c = await testCluster('i14-incident-fleet');
    await c.setup();
    scope = { client: c.client, prefix: c.prefix };
    await load(c);
    result = await fleetIncident(scope, { from: FROM, to: TO });
  });
  afterAll(() => c.cleanup());

  it('finds exactly the hosts whose plan shows the pattern, from history and samples alike', () => {
    const truth = expected((h) => SHOWS_PATTERN[h.scenario]);
    expect(truth.length).toBeGreaterThanOrEqual(6);
    expect(result.hosts.map((h) => h.host).sort()).toEqual(truth);
    const hits = fleet.filter((h) => SHOWS_PATTERN[h.scenario]);
    expect(hits.some((h) => h.viaSamples) && hits.some((h) => !h.viaSamples)).toBe(true);
    // Every scenario of the plan is represented, so each rule is exercised.
    expect(new Set(fleet.map((h) => h.scenario)).size).toBe(Object.keys(SHOWS_PATTERN).length);
    expect(result.examined).toBe(fleet.filter((h) => h.scenario !== 'single').length);
  });

  it('ranks by relative drop and carries kernel and swappiness as they were', () => {
    const fractions = result.hosts.map((h) => h.dropFraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => b - a));
    for (const hit of result.hosts) {
      const sim = fleet.find((h) => h.name === hit.host)!;
      expect({ host: hit.host, kernel: hit.kernel, swappiness: hit.swappiness }).toEqual({
        host: hit.host,
        kernel: sim.kernel,
        swappiness: sim.swappiness,
      });
      expect(hit.dropFraction).toBeGreaterThanOrEqual(0.5);
      expect(hit.anonFraction).toBeLessThanOrEqual(0.02);
    }
  });

  it('thresholds are flags: a lower cache drop takes in the 49% hosts, a wider anonymous bound the 2.1% ones', async () => {
    const lower = await fleetIncident(scope, { from: FROM, to: TO, thresholds: { cacheDrop: 0.45 } });
    expect(lower.hosts.map((h) => h.host).sort()).toEqual(expected((h) => SHOWS_PATTERN[h.scenario] || h.scenario === 'shallow'));
    const wider = await fleetIncident(scope, { from: FROM, to: TO, thresholds: { anonBound: 0.025 } });
    expect(wider.hosts.map((h) => h.host).sort()).toEqual(expected((h) => SHOWS_PATTERN[h.scenario] || h.scenario === 'anon-moves'));
  });

  it('mitra incident --fleet prints the ranked table; no match exits 1; the route answers the same', async () => {
    const env = { MITRA_PREFIX: c.prefix };
    const r = await runMitra(['incident', '--fleet', '--from', FROM, '--to', TO], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^HOST\s+CACHED BEFORE/);
    expect(lines.slice(1, -1).map((l) => l.split(/\s+/)[0])).toEqual(result.hosts.map((h) => h.host));
    expect(lines[lines.length - 1]).toBe(
      `${result.hosts.length} of ${result.examined} host(s) with the pattern (page cache drop >= 0.5, anonymous change <= 0.02 of MemTotal)`,
    );
    const none = await runMitra(['incident', '--fleet', '--from', '2020-01-01T00:00:00Z', '--to', '2020-01-02T00:00:00Z'], env);
    expect(none.code).toBe(1);
    const bad = await runMitra(['incident', 'mem-000', '--fleet', '--from', FROM, '--to', TO], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--fleet takes no host/);
    const api = await handleApi(API_ROUTES, scope, 'GET', '/api/mitra/incident/fleet', {
      query: { from: FROM, to: TO, cache_drop: '50%' },
      body: undefined,
    });
    expect(api.status).toBe(200);
    expect((api.body as FleetIncident).hosts.map((h) => h.host)).toEqual(result.hosts.map((h) => h.host));
  });
});
