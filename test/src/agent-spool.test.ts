import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentId } from '@mitra/beats';
import { currentDoc, historyDocs, runMitra, removeTempDirs, tempDir, testAgent, writeAtomically } from './agent-helpers';
import { testCluster, type TestCluster } from './support/cluster';
import { type WireDoc } from '@mitra/core';

/** A closed port: the shared engine keeps running, the agent just cannot reach it. */
const DOWN = 'http://127.0.0.1:1';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await testCluster('agent-spool');
  await cluster.setup();
});
afterAll(async () => {
  removeTempDirs();
  await cluster.cleanup();
});

const contents = (docs: WireDoc[]) => docs.map((d) => d.mitra.content);

describe('agent spool', () => {
  it('spools while the cluster is down, then delivers every change exactly once, spool first', async () => {
    const dir = tempDir('spool');
    const state = join(dir, 'state');
    const [a, b] = [join(dir, 'a.conf'), join(dir, 'b.conf')];
    const host = 'spool-host';
    writeFileSync(a, 'a1\n');
    writeFileSync(b, 'b1\n');
    const down = testAgent(cluster, { files: [a, b], host_name: host, elasticsearch: { url: DOWN } }, state);
    // Each cycle: changed files go out as current + history, unchanged ones as current only; plus the host
    // document (the same two paths every cycle: history the first time only).
    expect(await down.runCycle()).toMatchObject({ changed: 2, shipped: 0, spooled: 4 + 2 });
    writeFileSync(a, 'a2\n');
    expect(await down.runCycle()).toMatchObject({ changed: 1, spooled: 3 + 1 });
    writeFileSync(a, 'a3\n');
    writeFileSync(b, 'b2\n');
    expect(await down.runCycle()).toMatchObject({ changed: 2, spooled: 4 + 1 });
    const unchanged = await down.runCycle();
    expect(unchanged).toMatchObject({ changed: 0, spooled: 2 + 1 });
    expect(unchanged.error).toMatch(/cannot reach Elasticsearch at http:\/\/127\.0\.0\.1:1/);
    expect(down.status().spool.files).toBe(4);
    await down.stop();

    // Back up, and one more change made meanwhile: the spool goes first, so current ends at a4.
    writeFileSync(a, 'a4\n');
    const up = testAgent(cluster, { files: [a, b], host_name: host }, state);
    expect(await up.runCycle()).toMatchObject({ resent: 13 + 5, changed: 1, shipped: 3 + 1, spooled: 0, rejected: 0 });
    expect(up.status().spool.files).toBe(0);
    await cluster.refresh();
    expect(contents(await historyDocs(cluster, host, a))).toEqual(['a1\n', 'a2\n', 'a3\n', 'a4\n']);
    expect(contents(await historyDocs(cluster, host, b))).toEqual(['b1\n', 'b2\n']);
    expect((await currentDoc(cluster, host, a))?.mitra.content).toBe('a4\n');
    expect((await currentDoc(cluster, host, b))?.mitra.content).toBe('b2\n');

    // Nothing new: no history growth.
    expect(await up.runCycle()).toMatchObject({ changed: 0, resent: 0, shipped: 2 + 1 });
    await cluster.refresh();
    expect(await historyDocs(cluster, host, a)).toHaveLength(4);
    await up.stop();
  });

  it('loses nothing already spooled when a subprocess agent is killed with -9', async () => {
    const dir = tempDir('spool-kill');
    const state = join(dir, 'state');
    const file = join(dir, 'c.conf');
    const host = 'kill-host';
    const config = join(dir, 'runner.yaml');
    writeFileSync(file, 'v0\n');
    writeFileSync(
      config,
      `files: [${file}]
frequency: 0.2
host_name: ${host}
indexer: {prefix: ${cluster.prefix}}
elasticsearch: {url: '${DOWN}'}
packages: off
sysctl: off
log: {file: ${dir}/agent.log, level: debug}
`,
    );
    const agent = runMitra(['agent', '-c', config, '--state-dir', state]);
    const spool = join(state, 'spool');
    const spooled = (): WireDoc[] =>
      safeList(spool)
        .filter((n) => n.endsWith('.ndjson'))
        .flatMap((n) => readFileSync(join(spool, n), 'utf8').split('\n').filter(Boolean))
        .map((l) => JSON.parse(l) as WireDoc);
    for (let i = 0; i <= 4; i++) {
      // A cycle every 0.2 s on a loaded machine can fall between writeFileSync's truncate and write.
      if (i) writeAtomically(file, `v${i}\n`);
      await until(() => spooled().some((d) => d.mitra.target === 'history' && d.mitra.content === `v${i}\n`), 15_000, agent);
    }
    agent.child.kill('SIGKILL');
    expect((await agent).signal).toBe('SIGKILL');

    const onDisk = spooled();
    expect(new Set(onDisk.filter((d) => d.mitra.target === 'history' && d.file.path === file).map((d) => d.mitra.content))).toEqual(
      new Set(['v0\n', 'v1\n', 'v2\n', 'v3\n', 'v4\n']),
    );
    // The worst moment for a kill: after a spool write, before the state file caught up.
    // Without state.json the agent must learn what it already sent from the spool itself.
    rmSync(join(state, 'state.json'));
    const up = testAgent(cluster, { files: [file], host_name: host }, state);
    expect(await up.runCycle()).toMatchObject({ changed: 0, spooled: 0, rejected: 0 });
    await up.stop();
    await cluster.refresh();
    // Every spooled document is in the cluster under the id the pipeline gives it.
    const ids = [...new Set(onDisk.map(documentId))];
    const found = await cluster.client.search({ index: `${cluster.prefix}*`, size: 1000, query: { ids: { values: ids } }, _source: false });
    expect(new Set(found.hits.hits.map((h) => h._id))).toEqual(new Set(ids));
    // One history document per change, none twice.
    expect(contents(await historyDocs(cluster, host, file))).toEqual(['v0\n', 'v1\n', 'v2\n', 'v3\n', 'v4\n']);
  });
});

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** Waits for a condition the running subprocess brings about; fails early if it died. */
async function until(check: () => boolean, ms: number, agent: { child: { exitCode: number | null } }): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (agent.child.exitCode !== null) throw new Error(`agent exited with ${agent.child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`condition not reached within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
