import { execFileSync } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentDoc, historyDocs, removeTempDirs, runMitra, tempDir } from './agent-helpers';
import { testCluster, type TestCluster } from './support/cluster';

/**
 * One big file must not take the cluster down: with the original `maxsize: -1`
 * the hard ceiling (indexer.max_content_mb) still applies, and the agent sends
 * only the size and the sha256 of what is over it.
 */
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await testCluster('agent-large');
  await cluster.setup();
});
afterAll(async () => {
  removeTempDirs();
  await cluster.cleanup();
});

const MB = 1024 * 1024;
/** Outside truth: coreutils, not our own hashing. */
const sha256sum = (path: string): string => execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0];

describe('large files', () => {
  it('50 MB and 500 MB files with maxsize -1 become too_large with their size and sha256; the engine stays healthy', async () => {
    const dir = tempDir('large');
    const [big, huge, small] = [join(dir, 'big.log'), join(dir, 'huge.img'), join(dir, 'small.conf')];
    // Sparse files: 50 MB and 500 MB of zeros (read in full by the agent), no disk used.
    writeFileSync(big, 'start of a big log\n');
    truncateSync(big, 50 * MB);
    writeFileSync(huge, '');
    truncateSync(huge, 500 * MB);
    writeFileSync(small, 'small = 1\n');
    const host = 'large-host';
    const config = join(dir, 'runner.yaml');
    // The original format; maxsize -1 meant "no limit" in the old tool.
    writeFileSync(
      config,
      `log: {file: ${dir}/runner.log, maxsize: 10, level: info}
indexer: {prefix: ${cluster.prefix}, es_host: 127.0.0.1, es_port: ${new URL(cluster.url).port}, maxsize: -1}
files: [${big}, ${huge}, ${small}]
frequency: 300
host_name: ${host}
packages: off
sysctl: off
`,
    );
    const run = await runMitra(['agent', '--once', '-c', config, '--state-dir', join(dir, 'state')]);
    expect(run.stderr).toMatch(/cycle: 1 read, 2 skipped/);
    expect(run.code).toBe(0);
    await cluster.refresh();

    for (const [path, size] of [
      [big, 50 * MB],
      [huge, 500 * MB],
    ] as const) {
      const doc = (await currentDoc(cluster, host, path)) as unknown as {
        file: { size: number; hash?: { sha256?: string } };
        mitra: { state: string; reason: string; content?: string };
      };
      expect(doc.mitra.state).toBe('too_large');
      expect(doc.mitra.content).toBeUndefined();
      expect(doc.file.size).toBe(size);
      expect(doc.file.hash?.sha256).toBe(sha256sum(path));
      expect(doc.mitra.reason).toBe(`${size} bytes is over max_content_mb 4 MB`);
      expect(await historyDocs(cluster, host, path)).toHaveLength(1);
    }

    const health = await cluster.client.cluster.health({ index: `${cluster.prefix}*` });
    expect(health.status).not.toBe('red');
    const firstBig = sha256sum(big);
    // The cluster still takes a small snapshot afterwards; and a new version of a big file is history too
    // (its hash changed), while an unchanged one is not.
    writeFileSync(small, 'small = 2\n');
    writeFileSync(big, 'another start\n');
    truncateSync(big, 50 * MB);
    const again = await runMitra(['agent', '--once', '-c', config, '--state-dir', join(dir, 'state')]);
    expect(again.code).toBe(0);
    await cluster.refresh();
    expect((await historyDocs(cluster, host, small)).map((d) => d.mitra.content)).toEqual(['small = 1\n', 'small = 2\n']);
    expect(await historyDocs(cluster, host, huge)).toHaveLength(1);
    const versions = await historyDocs(cluster, host, big);
    expect(versions.map((d) => (d.file as { hash?: { sha256?: string } }).hash?.sha256)).toEqual([firstBig, sha256sum(big)]);
    // Reading 1.1 GB of sparse zeros and hashing it twice (agent and sha256sum) takes a while on 2 shared cores.
  }, 600_000);
});
