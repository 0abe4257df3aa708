import { writeFileSync } from 'node:fs';
import { hostname, release } from 'node:os';
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
import { currentIndex, hostsByKernel, searchSnapshots } from '@mitra/core';
import { currentDoc, historyDocs, removeTempDirs, tempDir, testAgent } from './agent-helpers';
import { runMitra } from './support/cli';
import { testCluster, type TestCluster } from './support/cluster';
import { markStartedByTest, stopTestCluster, testClusterOptions, TEST_CLUSTER_NODES } from './support/multinode';

/**
 * A real 3-node cluster (one JVM per node, 127.0.0.1): setup uses replicas, and
 * one node killed with SIGKILL while the agent ships loses nothing, the fleet
 * questions keep answering, and the cluster is green again once the node is back.
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

test('a node killed while the agent ships: nothing lost, questions answer, green again when it is back', async () => {
  const path = join(dir, 'app.conf');
  const agent = testAgent(c, { files: [path, '/proc/version'], elasticsearch: { url: urls } }, join(dir, 'state'));
  const written: string[] = [];
  const shipVersions = async (from: number, to: number) => {
    for (let v = from; v <= to; v++) {
      const content = `version = ${v}\n`;
      writeFileSync(path, content);
      written.push(content);
      await agent.runOnce();
    }
  };
  await shipVersions(1, 3);

  // Kill the node holding the current-state primary: its replica must take over.
  await c.refresh();
  const primary = (await c.client.cat.shards({ index: currentIndex(c.prefix), format: 'json', h: 'prirep,node' })).find(
    (s) => s.prirep === 'p',
  );
  const victim = nodes.find((n) => n.name === primary?.node) as ClusterNode;
  expect(victim).toBeDefined();
  const pid = readPid(victim.options) as number;
  const shipping = shipVersions(4, 9);
  process.kill(pid, 'SIGKILL');
  await shipping;

  // The cluster saw the node go; every primary is active on the two left (yellow: replicas missing, or green once re-replicated).
  const survivor = nodes.find((n) => n !== victim) as ClusterNode;
  const down = await health(survivor.options.port, '?wait_for_nodes=2&timeout=60s');
  expect(down.number_of_nodes).toBe(2);
  expect(['yellow', 'green']).toContain(down.status);

  // The fleet questions answer from the two remaining nodes.
  await c.refresh();
  const byKernel = await hostsByKernel(c.client, c.prefix, { kernel: release() });
  expect(byKernel.hosts.map((h) => h.host)).toContain(hostname());
  const found = await searchSnapshots(c.client, c.prefix, { query: `filename:"${path}" AND content:"version = 9"` });
  expect(found.total).toBe(1);

  // The node comes back with its data; the cluster returns to green.
  startClusterNode(victim, nodes);
  let green = false;
  // A bound on recovery on a loaded 2-core machine, not a speed claim.
  const deadline = Date.now() + 300_000;
  while (!green && Date.now() < deadline) green = await clusterReady(o, TEST_CLUSTER_NODES, 'green');
  expect(green).toBe(true);
  await shipVersions(10, 11);

  // Nothing lost: every version written is in history, the newest is the current state.
  await c.refresh();
  const history = await historyDocs(c, hostname(), path);
  expect(history.map((d) => d.mitra.content).sort()).toEqual([...written].sort());
  expect((await currentDoc(c, hostname(), path))?.mitra.content).toBe('version = 11\n');
  expect(agent.status().spool.files).toBe(0);
}, 600_000);
