import { writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import {
  clusterNodes,
  clusterReady,
  readPid,
  requestJson,
  resetClusterData,
  startCluster,
  startClusterNode,
  stopCluster,
  type ClusterNode,
} from '@mitra/engine';
import { currentIndex, fileDrift, findHosts, fleetOverview, getSnapshot, searchSnapshots } from '@mitra/core';
import { currentDoc, historyDocs, removeTempDirs, runMitra as runAgent, tempDir, writeAtomically } from './agent-helpers';
import { runMitra } from './support/cli';
import { testCluster, type TestCluster } from './support/cluster';
import { markStartedByTest, stopTestCluster, testClusterOptions, TEST_CLUSTER_NODES } from './support/multinode';

/**
 * A real 3-node cluster (one JVM per node, 127.0.0.1): setup uses replicas, and
 * one node killed with SIGKILL while the real agent ships changing files and the
 * fleet questions run loses nothing (every content written is counted in
 * history), every question keeps answering (yellow, never red), and the cluster
 * is green again once the node is back.
 */
const o = testClusterOptions();
const nodes = clusterNodes(o, TEST_CLUSTER_NODES);
const urls = nodes.map((n) => `http://127.0.0.1:${n.options.port}`);
const START_MS = 600_000;

let c: TestCluster;
let dir: string;
let savedUrl: string | undefined;

beforeAll(async () => {
  // A leftover cluster of an earlier, crashed run: stop it and start from empty data.
  await stopCluster(o);
  resetClusterData(o);
  await startCluster(o, TEST_CLUSTER_NODES, START_MS - 30_000);
  markStartedByTest(o);
  savedUrl = process.env.MITRA_ES_URL;
  process.env.MITRA_ES_URL = urls.join(',');
  c = await testCluster('cluster-3node');
  dir = tempDir('cluster-3node');
}, START_MS);

afterAll(async () => {
  removeTempDirs();
  await c?.cleanup().catch(() => undefined);
  process.env.MITRA_ES_URL = savedUrl;
  await stopTestCluster(o);
}, 120_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until check() holds; the bound is room for a loaded machine, not a speed claim. */
async function until(check: () => boolean | Promise<boolean>, ms: number, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(typeof what === 'string' ? what : what());
    await sleep(500);
  }
}

const health = async (port: number, wait = '') =>
  (
    await requestJson<{ status: string; number_of_nodes: number; unassigned_shards: number; active_primary_shards: number }>(
      { baseUrl: `http://127.0.0.1:${port}` },
      'GET',
      `/_cluster/health${wait}`,
      undefined,
      65_000,
    )
  ).body;

test('setup gives every index one replica on a 3-node cluster', async () => {
  const res = await runMitra(['setup', '--prefix', c.prefix], { MITRA_ES_URL: urls.join(',') }, 120_000);
  expect(res.code).toBe(0);
  expect(res.stdout).toMatch(/replicas\s+1 \(3 data nodes\)/);
  const settings = await c.client.indices.getSettings({ index: currentIndex(c.prefix) });
  expect(settings[currentIndex(c.prefix)].settings?.index?.number_of_replicas).toBe('1');
  const tpl = (await c.client.indices.getIndexTemplate({ name: `${c.prefix}history` })).index_templates[0].index_template;
  expect((tpl.template?.settings as { index?: { number_of_replicas?: string } }).index?.number_of_replicas).toBe('1');
  // Primary and replica of the current-state index sit on two different nodes.
  const shards = await c.client.cat.shards({ index: currentIndex(c.prefix), format: 'json', h: 'prirep,state,node' });
  expect(shards.map((s) => s.prirep).sort()).toEqual(['p', 'r']);
  expect(new Set(shards.map((s) => s.node)).size).toBe(2);
}, 180_000);

test('a node killed with -9 while the real agent ships and the questions run: nothing lost, every question answers, green again', async () => {
  const host = `cluster-3node-${process.pid}`;
  const stable = join(dir, 'stable.conf');
  const marker = `marker${process.pid}`;
  writeFileSync(stable, `${marker} = on\n`);
  const paths = Array.from({ length: 6 }, (_, i) => join(dir, `f${i}.conf`));
  const written = new Map(paths.map((p) => [p, [] as string[]]));
  let n = 0;
  const write = (p: string) => {
    const text = `${p.slice(dir.length + 1)} change ${n++}\n`;
    writeAtomically(p, text);
    written.get(p)!.push(text);
  };
  paths.forEach(write);
  const config = join(dir, 'runner.yaml');
  writeFileSync(
    config,
    `log: {file: ${dir}/agent.log, maxsize: 10, level: info}
indexer: {prefix: ${c.prefix}}
elasticsearch: {url: [${urls.map((u) => `'${u}'`).join(', ')}]}
files: [${[stable, '/proc/version', ...paths].join(', ')}]
frequency: 300
host_name: ${host}
packages: off
sysctl: off
`,
  );
  // The real agent (the mitra launcher, inotify), pointed at all three nodes.
  const agent = runAgent(['agent', '-c', config, '--state-dir', join(dir, 'state')]);
  let agentErr = '';
  agent.child.stderr?.on('data', (d) => (agentErr += d));
  const agentTail = () => agentErr.split('\n').slice(-10).join('\n');
  try {
    await until(
      () => /cycle: /.test(agentErr) || agent.child.exitCode !== null,
      120_000,
      () => `no agent cycle:\n${agentTail()}`,
    );
    expect(agent.child.exitCode).toBeNull();
    await until(async () => (await currentDoc(c, host, stable)) !== undefined, 120_000, 'the first cycle never reached the cluster');

    // The writer: one file replaced every 400 ms, round robin (each file changes every 2.4 s).
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        write(paths[i % paths.length]);
        await sleep(400);
      }
    })();
    // The questioner: every fleet question, one after the other, for as long as the test runs; each failure is kept.
    const asked = { ok: 0, during: 0, failures: [] as string[] };
    let outage = false;
    let recovered = false;
    let asking = true;
    const questions: [string, () => Promise<boolean>][] = [
      ['hosts by kernel', async () => (await findHosts(c.client, c.prefix, { kernel: release() })).hosts.some((h) => h.host === host)],
      ['search', async () => (await searchSnapshots(c.client, c.prefix, { query: `content:${marker}` })).total === 1],
      ['overview', async () => (await fleetOverview(c.client, c.prefix)).hosts >= 1],
      ['drift', async () => (await fileDrift(c.client, c.prefix, { path: stable })).reporting === 1],
      ['get', async () => (await getSnapshot(c.client, c.prefix, { host, path: stable })).doc !== null],
    ];
    // The first cycle is seen by a realtime get before a refresh makes it searchable: the baseline is every
    // question answering right, then the outage starts.
    await until(
      async () => (await Promise.all(questions.map(([, ask]) => ask().catch(() => false)))).every(Boolean),
      60_000,
      'the questions never answered right before the outage',
    );
    const questioner = (async () => {
      while (asking) {
        for (const [name, ask] of questions) {
          const during = outage;
          const when = during ? 'during the outage' : recovered ? 'after the recovery' : 'before the outage';
          try {
            if (!(await ask())) asked.failures.push(`${name}: a wrong answer ${when}`);
            else if (during) asked.during++;
            else asked.ok++;
          } catch (e) {
            asked.failures.push(`${name}: ${(e as Error).message.split('\n')[0]} (${when})`);
          }
        }
        await sleep(200);
      }
    })();

    await sleep(4000);
    // Kill the node holding the current-state primary: its replica must take over.
    const primary = (await c.client.cat.shards({ index: currentIndex(c.prefix), format: 'json', h: 'prirep,node' })).find(
      (s) => s.prirep === 'p',
    );
    const victim = nodes.find((node) => node.name === primary?.node) as ClusterNode;
    expect(victim).toBeDefined();
    outage = true;
    process.kill(readPid(victim.options) as number, 'SIGKILL');
    const survivor = nodes.find((node) => node !== victim) as ClusterNode;

    // The two left see the node go; with one replica of everything, every primary stays active: yellow, never red.
    const down = await health(survivor.options.port, '?wait_for_nodes=2&timeout=60s');
    expect(down.number_of_nodes).toBe(2);
    const statuses = new Set<string>();
    for (let k = 0; k < 10; k++) {
      statuses.add((await health(survivor.options.port)).status);
      await sleep(1000);
    }
    expect(statuses.has('red')).toBe(false);
    expect(statuses.has('yellow')).toBe(true);

    // The node comes back on its data; the cluster returns to green.
    startClusterNode(victim, nodes);
    let green = false;
    // A bound on recovery on a loaded 2-core machine, not a speed claim.
    const deadline = Date.now() + 300_000;
    while (!green && Date.now() < deadline) green = await clusterReady(o, TEST_CLUSTER_NODES, 'green');
    expect(green).toBe(true);
    outage = false;
    recovered = true;
    await sleep(3000);
    writing = false;
    asking = false;
    await Promise.all([writer, questioner]);

    // Every question answered, right, before, during and after the outage.
    expect(asked.failures).toEqual([]);
    expect(asked.during).toBeGreaterThanOrEqual(questions.length);
    expect(asked.ok).toBeGreaterThanOrEqual(questions.length);

    // Nothing lost: every content written is in history, counted, and each file's current state is its last content.
    const total = [...written.values()].reduce((s, w) => s + w.length, 0);
    let seen = 0;
    await until(
      async () => {
        await c.refresh();
        seen = 0;
        for (const p of paths) {
          const history = new Set((await historyDocs(c, host, p)).map((d) => d.mitra.content));
          seen += written.get(p)!.filter((t) => history.has(t)).length;
        }
        return seen === total;
      },
      180_000,
      () => `history holds ${seen} of the ${total} contents written; agent:\n${agentTail()}`,
    );
    expect(seen).toBe(total);
    expect(agent.child.exitCode).toBeNull();
    console.log(
      `cluster-3node: ${total} contents written to ${paths.length} files, ${seen} in history; ` +
        `${asked.during} answers during the outage (health ${[...statuses].join('/')}), ${asked.ok} outside it, 0 failures`,
    );
    for (const p of paths) expect((await currentDoc(c, host, p))?.mitra.content).toBe(written.get(p)!.at(-1));
  } finally {
    agent.child.kill('SIGTERM');
    await agent;
  }
}, 900_000);
