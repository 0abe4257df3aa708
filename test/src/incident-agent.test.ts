import { hostname } from 'node:os';
import { incidentReport, pruneSamples, resolveConnection } from '@mitra/core';
import { Logger, MemorySampler, parseAgentConfig, readSample, trimZoneinfo } from '@mitra/beats';
import { testCluster, type TestCluster } from './support/cluster';

const quiet = () => new Logger({ level: 'error', maxBytes: Infinity, stderr: () => {} });

describe('memory_interval: the agent samples /proc memory files compactly, mitra incident reads them', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await testCluster('i14-incident-agent');
    await c.setup();
  });
  afterAll(() => c.cleanup());

  it('ships samples of this machine through the sample pipeline; the report reads them back', async () => {
    const host = `sampler-${hostname()}`;
    const sampler = new MemorySampler({
      hostfs: '',
      host: () => host,
      prefix: c.prefix,
      connection: resolveConnection({}, {}, process.env),
      intervalMs: 10_000,
      log: quiet(),
      batch: 100,
    });
    const t0 = Date.parse('2026-11-30T12:00:00.000Z');
    for (let i = 0; i < 3; i++) sampler.tick(new Date(t0 + i * 10_000));
    expect(sampler.pending).toBe(3);
    await sampler.stop();
    expect(sampler.pending).toBe(0);
    await c.refresh();
    const r = await incidentReport(
      { client: c.client, prefix: c.prefix },
      { host, from: '2026-11-30T11:59:00Z', to: '2026-11-30T12:01:00Z' },
    );
    expect(r.sources).toEqual({ history: 0, samples: 3 });
    expect(r.memory.observations).toBe(3);
    expect(r.zones.length).toBeGreaterThan(0);
    expect(r.fragmentation.zones.length).toBeGreaterThan(0);
    expect(r.reclaim.observations).toBe(3);
    const docs = await c.client.search({ index: `${c.prefix}samples-2026.11.30`, size: 5 });
    expect(docs.hits.hits).toHaveLength(3);
    for (const h of docs.hits.hits)
      expect(Object.keys((h._source as { mitra: object }).mitra).sort()).toEqual(['buddyinfo', 'meminfo', 'vmstat', 'zoneinfo']);
  });

  it('keeps samples while the cluster is away, bounded, dropping the oldest', async () => {
    const sampler = new MemorySampler({
      hostfs: '',
      host: () => 'away',
      prefix: c.prefix,
      connection: resolveConnection({ es: 'http://127.0.0.1:1' }, {}, {}),
      intervalMs: 10_000,
      log: quiet(),
      batch: 2,
      maxBuffered: 3,
    });
    for (let i = 0; i < 5; i++) sampler.tick(new Date(Date.UTC(2026, 10, 30, 12, 0, i)));
    await sampler.stop();
    expect(sampler.pending).toBe(3);
  });

  it('zoneinfo is trimmed to the lines the parser reads (zone headers, free pages, watermarks, sizes)', () => {
    const sample = readSample('', 'x');
    expect(sample.mitra.sample.zoneinfo).toMatch(/^Node 0, zone/);
    expect(sample.mitra.sample.zoneinfo).not.toMatch(/nr_free_pages|pagesets|protection/);
    expect(trimZoneinfo('Node 0, zone   Normal\n  pages free     5\n        min      1\n    nr_free_pages 5\n')).toBe(
      'Node 0, zone   Normal\n  pages free     5\n        min      1\n',
    );
  });

  it('--prune-samples deletes whole sample days older than the retention, never history', async () => {
    const scope = { client: c.client, prefix: c.prefix };
    for (const day of ['2026.11.01', '2026.11.28', '2026.11.29']) await c.client.indices.create({ index: `${c.prefix}samples-${day}` });
    await c.client.indices.create({ index: `${c.prefix}history-2026.11.01` });
    const res = await pruneSamples(scope, 2 * 86_400_000, new Date('2026-12-01T06:00:00Z'));
    expect(res.deleted).toEqual([`${c.prefix}samples-2026.11.01`, `${c.prefix}samples-2026.11.28`]);
    expect(res.kept).toEqual([`${c.prefix}samples-2026.11.29`, `${c.prefix}samples-2026.11.30`]);
    expect((await c.client.indices.exists({ index: `${c.prefix}history-2026.11.01` })) as unknown).toBe(true);
    await expect(pruneSamples(scope, 3_600_000)).rejects.toThrow(/at least one day/);
  });

  it('memory_interval is off unless set; bad values are one-line config errors', () => {
    expect(parseAgentConfig({}).memoryIntervalMs).toBe(0);
    expect(parseAgentConfig({ memory_interval: 10 }).memoryIntervalMs).toBe(10_000);
    expect(parseAgentConfig({ memory_interval: '10s' }).memoryIntervalMs).toBe(10_000);
    expect(parseAgentConfig({ memory_interval: 'off' }).memoryIntervalMs).toBe(0);
    expect(() => parseAgentConfig({ memory_interval: '0.5' })).toThrow(/"memory_interval" must be off or an interval of at least 1 s/);
    expect(() => parseAgentConfig({ memory_interval: 'often' })).toThrow(/"memory_interval"/);
  });
});
