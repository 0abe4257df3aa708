import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, resolveConnection } from '@mitra/core';
import { runMitra } from '../support/cli';
import { ENGINE_START_TIMEOUT_MS, useEngine, type FlavorEngine } from '../support/engines';

/**
 * The integration suite's pipeline, fixture, bad-document, pipeline-fuzz, agent, fleet-query, host-document and host-join tests,
 * unchanged, against OpenSearch: a nested jest
 * run whose global setup finds the OpenSearch flavour on MITRA_TEST_ES_PORT
 * (and would start that flavour itself, through MITRA_ENGINE_FLAVOR).
 */
const ROOT = resolve(__dirname, '..', '..', '..');
const SUITE_ON_OPENSEARCH = [
  'test/src/pipeline.test.ts',
  'test/src/pipeline-fixtures.test.ts',
  'test/src/bad-documents.test.ts',
  'test/src/pipeline-fuzz.test.ts',
  'test/src/agent.test.ts',
  'test/src/agent-spool.test.ts',
  'test/src/agent-files.test.ts',
  'test/src/fleet-queries.test.ts',
  'test/src/host-document.test.ts',
  'test/src/hosts-joined.test.ts',
  'test/src/values-host-document.test.ts',
];

let os: FlavorEngine;

beforeAll(async () => {
  os = await useEngine('opensearch');
}, ENGINE_START_TIMEOUT_MS);
afterAll(() => os?.release(), 60_000);

test('Mitra connects to OpenSearch in compatibility mode', async () => {
  const c = await connect(resolveConnection({ es: os.url }, {}, {}));
  try {
    expect(c.server.distribution).toBe('opensearch');
    expect(c.mode).toBe('compat');
  } finally {
    await c.client.close();
  }
});

test('retention on OpenSearch: setup says which lifecycle it found; mitra prune deletes old days, keeps recent days and current state', async () => {
  const prefix = `t-compat-os-retention-${process.pid}-`;
  const c = await connect(resolveConnection({ es: os.url }, {}, {}));
  const history = async () =>
    (await c.client.cat.indices({ index: `${prefix}history-*`, format: 'json', h: 'index' })).map((r) => String(r.index)).sort();
  try {
    const setup = await runMitra(['setup', '--es', os.url, '--prefix', prefix, '--json'], {}, 120_000);
    expect(setup.code).toBe(0);
    const lifecycle = (JSON.parse(setup.stdout) as { settings: { lifecycle: { kind: string; note: string } } }).settings.lifecycle;
    // This flavour has no Index Management plugin (no ISM, docs/compatibility.md): setup must say so.
    expect(lifecycle.kind).toBe('none');
    expect(lifecycle.note).toMatch(/no ILM\/ISM on this cluster, schedule `mitra prune`/);
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, '.');
    const old = [`${prefix}history-2001.01.01`, `${prefix}history-2001.01.02`];
    for (const index of [...old, `${prefix}history-${today}`, `${prefix}current`]) {
      await c.client.index({ index, document: { '@timestamp': new Date().toISOString(), host: { name: 'h1' } }, refresh: true });
    }
    const res = await runMitra(['prune', '--es', os.url, '--prefix', prefix, '--retention', '90d', '--json']);
    expect(res.code).toBe(0);
    expect((JSON.parse(res.stdout) as { deleted: { index: string }[] }).deleted.map((d) => d.index)).toEqual(old);
    expect(await history()).toEqual([`${prefix}history-${today}`]);
    expect((await c.client.count({ index: `${prefix}current` })).count).toBe(1);
  } finally {
    await c.client.indices.delete({ index: `${prefix}*` }, { ignore: [404] });
    await c.client.indices.deleteIndexTemplate({ name: `${prefix}*` }, { ignore: [404] });
    await c.client.ingest.deletePipeline({ id: `${prefix}*` }, { ignore: [404] });
    await c.client.close();
  }
}, 180_000);

interface JestReport {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; status: string; message: string }[];
}

test('the pipeline, fixture, agent, fleet-query and host-document tests pass on OpenSearch', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-compat-'));
  const reportFile = join(dir, 'report.json');
  const ingestedBefore = await ingestCount();
  try {
    const run = await runJest([...SUITE_ON_OPENSEARCH, '--selectProjects', 'integration', '--json', `--outputFile=${reportFile}`], {
      MITRA_TEST_ES_PORT: String(os.options.port),
      MITRA_ENGINE_FLAVOR: 'opensearch',
    });
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JestReport;
    const failures = report.testResults.filter((r) => r.status !== 'passed').map((r) => `${r.name}: ${r.message.slice(0, 2000)}`);
    expect(failures).toEqual([]);
    expect(report.testResults.map((r) => r.name.slice(ROOT.length + 1)).sort()).toEqual([...SUITE_ON_OPENSEARCH].sort());
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThanOrEqual(10);
    expect([run.code, report.success]).toEqual([0, true]);
    // The documents really went through OpenSearch's ingest service, not the default engine's.
    expect(await ingestCount()).toBeGreaterThan(ingestedBefore + 10);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);

/** Documents OpenSearch's ingest service has processed since it started. */
async function ingestCount(): Promise<number> {
  const c = await connect(resolveConnection({ es: os.url }, {}, {}));
  try {
    const stats = await c.client.nodes.stats({ metric: 'ingest' });
    return Object.values(stats.nodes).reduce((sum, n) => sum + (n.ingest?.total?.count ?? 0), 0);
  } finally {
    await c.client.close();
  }
}

function runJest(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    // The outer run's global setup points MITRA_ES_URL at the default engine; the inner one sets its own.
    delete childEnv.MITRA_ES_URL;
    const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), ...args], {
      cwd: ROOT,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, output }));
  });
}
