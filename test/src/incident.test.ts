import {
  API_ROUTES,
  bytes,
  handleApi,
  incidentReport,
  type IncidentReport,
  type IndexScope,
  samplesIndices,
  signedBytes,
} from '@mitra/core';
import {
  buddyCounts,
  fixtureText,
  meminfoKb,
  scenario,
  sendHistory,
  sendSamples,
  vmstatCounters,
  zoneinfoPages,
} from './incident-fixtures';
import { runMitra } from './support/cli';
import { testCluster, type TestCluster } from './support/cluster';

const INCIDENT = scenario('incident-01');
const ANON = scenario('anon-growth-01');
// The seconds of the 2016-09-10 incident: the three meminfo snapshots 10:53:32.927, :35.017 and :41.458.
const FROM = '2016-09-10T10:53:30.000Z';
const TO = '2016-09-10T10:53:45.000Z';
const inWindow = (at: string, from = FROM, to = TO) => at >= from && at <= to;
const files = (s: typeof INCIDENT, path: string, from = FROM, to = TO) =>
  s.snapshots.filter((x) => x.path === path && inWindow(x.at, from, to));
const KB = 1024;

describe('incident replay on the 2016-09-10 fixtures, through the real pipeline', () => {
  let c: TestCluster;
  let scope: IndexScope;
  let report: IncidentReport;

  beforeAll(async () => {
    c = await testCluster('i14-incident');
    await c.setup();
    scope = { client: c.client, prefix: c.prefix };
    await sendHistory(c, INCIDENT.host, INCIDENT.snapshots);
    await sendHistory(c, ANON.host, ANON.snapshots);
    // The same incident as compact samples: only sysctl and version go to history.
    await sendSamples(c, 'incident-samples', INCIDENT.snapshots);
    await sendHistory(
      c,
      'incident-samples',
      INCIDENT.snapshots.filter((s) => !s.path.startsWith('/proc/') || s.path === '/proc/version'),
    );
    report = await incidentReport(scope, { host: INCIDENT.host, from: FROM, to: TO });
  });
  afterAll(() => c.cleanup());

  it('reports the cache drop and the anonymous change of the recorded meminfo snapshots', () => {
    const mem = files(INCIDENT, '/proc/meminfo').map((s) => ({ at: s.at, kb: meminfoKb(fixtureText(s.file)) }));
    const first = mem[0];
    const last = mem[mem.length - 1];
    expect(first.kb.Cached).toBe(13_413_548);
    expect(last.kb.Cached).toBe(192_460);
    const fall = report.memory.cacheFall!;
    expect(fall).toMatchObject({ from: first.at, to: last.at, before: first.kb.Cached * KB, after: last.kb.Cached * KB });
    expect(fall.change).toBe((last.kb.Cached - first.kb.Cached) * KB);
    expect(fall.otherChange).toBe((last.kb.AnonPages - first.kb.AnonPages) * KB);
    expect(fall.seconds).toBeCloseTo((Date.parse(last.at) - Date.parse(first.at)) / 1000, 6);
    expect(report.verdict.kind).toBe('page_cache_eviction');
    expect(report.verdict.summary).toContain(`page cache fell ${bytes(-fall.change)} in ${fall.seconds.toFixed(1)} s`);
    expect(report.verdict.summary).toContain(
      `anonymous memory changed ${signedBytes(fall.otherChange)}: page-cache eviction, not anonymous demand`,
    );
    // About 12.6 GiB against about 5 MiB: the reading of the issue.
    expect(bytes(-fall.change)).toBe('12.6 GiB');
    expect(signedBytes(fall.otherChange)).toBe('+5.4 MiB');
    const cached = report.memory.keys.find((k) => k.key === 'Cached')!;
    const steps = mem.slice(1).map((m, i) => ((m.kb.Cached - mem[i].kb.Cached) * KB) / ((Date.parse(m.at) - Date.parse(mem[i].at)) / 1000));
    const steepest = steps.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
    expect(cached.fastest!.perSecond).toBeCloseTo(steepest, 3);
    expect(report.memory.points).toHaveLength(mem.length);
  });

  it('says no zone reached a watermark, with the margin computed from the zoneinfo files', () => {
    const zoneFiles = files(INCIDENT, '/proc/zoneinfo').map((s) => zoneinfoPages(fixtureText(s.file)));
    let closest = { zone: '', margin: Infinity };
    for (const zones of zoneFiles) {
      for (const [zone, z] of zones) {
        expect(z.free).toBeGreaterThan(z.low);
        if (z.free - z.low < closest.margin) closest = { zone, margin: z.free - z.low };
      }
    }
    expect(report.zones).toHaveLength(4);
    for (const z of report.zones)
      expect({ zone: z.label, low: z.reachedLow, min: z.reachedMin }).toEqual({ zone: z.label, low: null, min: null });
    // The watermarks themselves are the recorded ones.
    const recorded = zoneinfoPages(fixtureText('recorded/zoneinfo-during-incident.txt'));
    for (const z of report.zones) {
      const r = recorded.get(z.label)!;
      expect({ min: z.min, low: z.low, high: z.high }).toEqual({ min: r.min, low: r.low, high: r.high });
    }
    expect(report.verdict.summary).toContain(
      `no zone reached its low watermark (closest: ${closest.zone}, ${closest.margin.toLocaleString('en-US')} pages above low`,
    );
  });

  it('finds no shortage of order >= 3 blocks, the lowest count per zone matching buddyinfo', () => {
    const counts = files(INCIDENT, '/proc/buddyinfo').map((s) => buddyCounts(fixtureText(s.file)));
    for (const z of report.fragmentation.zones) {
      const lowest = Math.min(
        ...counts.map((c) =>
          c
            .get(z.label)!
            .slice(3)
            .reduce((a, b) => a + b, 0),
        ),
      );
      expect({ zone: z.label, lowest: z.lowest.value }).toEqual({ zone: z.label, lowest });
      expect(z.lowest.value).toBeGreaterThan(0);
    }
    expect(report.verdict.summary).toContain('no shortage of order ≥ 3 blocks');
  });

  it('turns vmstat counters (per zone on 3.10) into the rates sar -B recorded', () => {
    const vm = files(INCIDENT, '/proc/vmstat').map((s) => ({ at: s.at, v: vmstatCounters(fixtureText(s.file)) }));
    const sum = (v: Record<string, number>, name: string) =>
      ['dma', 'dma32', 'normal', 'movable'].reduce((n, z) => n + v[`${name}_${z}`], 0);
    const rate = (name: string, i: number) =>
      (sum(vm[i + 1].v, name) - sum(vm[i].v, name)) / ((Date.parse(vm[i + 1].at) - Date.parse(vm[i].at)) / 1000);
    const scan = report.reclaim.counters.find((c) => c.name === 'pgscan_kswapd')!;
    const steal = report.reclaim.counters.find((c) => c.name === 'pgsteal_kswapd')!;
    expect(scan.maxPerSecond!.perSecond).toBeCloseTo(Math.max(rate('pgscan_kswapd', 0), rate('pgscan_kswapd', 1)), 6);
    expect(steal.maxPerSecond!.perSecond).toBeCloseTo(Math.max(rate('pgsteal_kswapd', 0), rate('pgsteal_kswapd', 1)), 6);
    // The recorded sar -B rows these intervals were written from (03:00:07 and 03:10:07), within rounding to whole pages.
    const sar = fixtureText('recorded/sar-B-during-incident.txt');
    expect(sar).toContain('375196.37');
    expect(Math.abs(scan.maxPerSecond!.perSecond - 375196.37)).toBeLessThan(1);
    expect(sar).toContain('182609.96');
    expect(Math.abs(steal.maxPerSecond!.perSecond - 182609.96)).toBeLessThan(1);
    expect(report.reclaim.resets).toEqual([]);
    expect(report.reclaim.counters.find((c) => c.name === 'pgscan_direct')!.maxPerSecond!.perSecond).toBe(0);
  });

  it('shows the settings and kernel in force in the window', () => {
    expect(report.settings.find((s) => s.key === 'vm.swappiness')?.value).toBe('1');
    expect(report.settings.map((s) => s.key)).toEqual(
      expect.arrayContaining(['vm.min_free_kbytes', 'vm.dirty_ratio', 'vm.dirty_background_ratio']),
    );
    expect(report.kernel).toBe('3.10.0-327.28.3.el7.x86_64');
    expect(report.verdict.summary).toContain('vm.swappiness = 1');
  });

  it('reads the same numbers from compact samples as from full history snapshots', async () => {
    const fromSamples = await incidentReport(scope, { host: 'incident-samples', from: FROM, to: TO });
    expect(fromSamples.sources.samples).toBe(3);
    expect(fromSamples.sources.history).toBe(0);
    expect(report.sources.samples).toBe(0);
    const strip = (r: IncidentReport) => ({
      memory: r.memory,
      zones: r.zones,
      fragmentation: r.fragmentation,
      reclaim: r.reclaim,
      verdict: r.verdict,
    });
    expect(strip(fromSamples)).toEqual(strip(report));
    // Numbers only: the sample documents carry no content.
    const docs = await c.client.search({ index: samplesIndices(c.prefix), size: 10 });
    for (const h of docs.hits.hits) expect(JSON.stringify(h._source)).not.toMatch(/"content"|MemTotal:/);
  });

  it('gives the opposite verdict when anonymous memory grows and free pages hit min', async () => {
    const from = '2026-11-25T02:00:00.000Z';
    const to = '2026-11-25T02:01:00.000Z';
    const r = await incidentReport(scope, { host: ANON.host, from, to });
    const mem = files(ANON, '/proc/meminfo', from, to).map((s) => meminfoKb(fixtureText(s.file)));
    expect(r.verdict.kind).toBe('anonymous_demand');
    expect(r.memory.anonRise!.change).toBe((mem[mem.length - 1].AnonPages - mem[0].AnonPages) * KB);
    expect(r.verdict.summary).toContain(`anonymous memory grew ${bytes(r.memory.anonRise!.change)}`);
    const normal = r.zones.find((z) => z.label === 'Node 0 Normal')!;
    const firstAtMin = files(ANON, '/proc/zoneinfo', from, to).find((s) => {
      const z = zoneinfoPages(fixtureText(s.file)).get('Node 0 Normal')!;
      return z.free <= z.min;
    })!;
    expect(normal.reachedMin?.t).toBe(firstAtMin.at);
    expect(r.verdict.summary).toContain('fell to the min watermark');
    expect(r.verdict.summary).toMatch(/shortage of order ≥ 3 blocks: Node 0 Normal had none free/);
    // 4.19 counts allocation stalls per zone (allocstall_normal, _dma32): summed.
    expect(r.reclaim.counters.find((x) => x.name === 'allocstall')!.maxPerSecond!.perSecond).toBeGreaterThan(0);
  });

  it('mitra incident prints the verdict and tables, --json the report, exit 0', async () => {
    const env = { MITRA_PREFIX: c.prefix };
    const text = await runMitra(['incident', INCIDENT.host, '--from', FROM, '--to', TO], env);
    expect(text.stderr).toContain('3 meminfo');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('VERDICT (page cache eviction)');
    expect(text.stdout).toContain('no zone reached its low watermark');
    expect(text.stdout).toMatch(/^Cached\s+12\.8 GiB\s+187\.9 MiB\s+-12\.6 GiB/m);
    const json = await runMitra(['incident', INCIDENT.host, '--from', FROM, '--to', TO, '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).verdict).toEqual(report.verdict);
  });

  it('a @timestamp sent without a zone is UTC, whatever the zone of the machine running mitra incident', async () => {
    // The pipeline stores such a time as UTC (curl, a hand-made sender); read in Tokyo's zone every observation was 9 h earlier:
    // 'Cached 12.8 GiB at 01:53:32.927Z', outside the window asked for.
    const host = 'incident-zoneless';
    await sendHistory(
      c,
      host,
      INCIDENT.snapshots.map((s) => ({ ...s, at: s.at.replace(/Z$/, '') })),
    );
    const json = await runMitra(['incident', host, '--from', FROM, '--to', TO, '--json'], { MITRA_PREFIX: c.prefix, TZ: 'Asia/Tokyo' });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).verdict).toEqual(report.verdict);
  });

  it('mitra incident: bad or empty input is one line and the right exit code', async () => {
    const env = { MITRA_PREFIX: c.prefix };
    const cases: [string[], number, RegExp][] = [
      [['incident', INCIDENT.host, '--from', TO, '--to', FROM], 2, /--from .* is after the end time/],
      [['incident', INCIDENT.host, '--from', FROM], 2, /needs --from and --to/],
      [['incident', '--from', FROM, '--to', TO], 2, /needs one host/],
      [['incident', INCIDENT.host, '--from', 'yesterday-ish', '--to', TO], 2, /--from/],
      [['incident', INCIDENT.host, '--from', FROM, '--to', TO, '--cache-drop', '150%'], 2, /--cache-drop "150%" is not a fraction/],
      [['incident', INCIDENT.host, '--from', FROM, '--to', TO, '--order', '11'], 2, /--order "11" is out of range/],
      [['incident', 'no-such-host', '--from', FROM, '--to', TO], 1, /0 \/proc\/meminfo observation/],
      [['incident', INCIDENT.host, '--from', FROM, '--to', TO, '--es', 'http://127.0.0.1:1'], 3, /./],
    ];
    for (const [args, code, message] of cases) {
      const r = await runMitra(args, env);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });

  it('GET /api/mitra/incident answers the same report; bad parameters are 400 naming them', async () => {
    const ctx = { client: c.client, prefix: c.prefix };
    const ok = await handleApi(API_ROUTES, ctx, 'GET', '/api/mitra/incident', {
      query: { host: INCIDENT.host, from: FROM, to: TO },
      body: undefined,
    });
    expect(ok.status).toBe(200);
    expect((ok.body as IncidentReport).verdict).toEqual(report.verdict);
    const bad: [Record<string, string>, RegExp][] = [
      [{ from: FROM, to: TO }, /parameter host is required/],
      [{ host: 'x', to: TO }, /parameter from is required/],
      [{ host: 'x', from: TO, to: FROM }, /from .* is after the end time/],
      [{ host: 'x', from: FROM, to: TO, anon_bound: '-1' }, /parameter anon_bound/],
      [{ host: 'x', from: FROM, to: TO, order: 'three' }, /parameter order/],
    ];
    for (const [query, message] of bad) {
      const res = await handleApi(API_ROUTES, ctx, 'GET', '/api/mitra/incident', { query, body: undefined });
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect((res.body as { message: string }).message).toMatch(message);
    }
  });
});
