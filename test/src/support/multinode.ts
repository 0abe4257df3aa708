import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterNodes, engineOptions, stopCluster, type EngineOptions } from '@mitra/engine';

/**
 * The 3-node cluster test/src/cluster-3node.test.ts starts on its own ports
 * (MITRA_TEST_CLUSTER_PORT, +1, +2; default 9291-9293), small heaps. A marker in
 * the first node's data dir says "a test started it", so the global teardown
 * stops it even when the test file crashed, and never a developer's own cluster.
 */
export const TEST_CLUSTER_NODES = 3;

export function testClusterOptions(): EngineOptions {
  const port = Number(process.env.MITRA_TEST_CLUSTER_PORT) || 9291;
  // The suite's single engine (MITRA_TEST_ES_PORT, default 9200) must not sit on one of the cluster's ports.
  const single = Number(process.env.MITRA_TEST_ES_PORT) || 9200;
  if (single >= port && single < port + TEST_CLUSTER_NODES) {
    throw new Error(
      `MITRA_TEST_CLUSTER_PORT ${port} puts the 3-node cluster on ${port}-${port + TEST_CLUSTER_NODES - 1}, which holds the suite's engine (MITRA_TEST_ES_PORT ${single}): pick another base port`,
    );
  }
  return engineOptions({ flavor: 'es7', port, heap: process.env.MITRA_TEST_CLUSTER_HEAP ?? '384m', log: () => {} });
}

const marker = (o: EngineOptions) => join(clusterNodes(o, TEST_CLUSTER_NODES)[0].options.dataDir, 'started-by-test');

export function markStartedByTest(o: EngineOptions): void {
  writeFileSync(marker(o), String(process.pid));
}

/** Stops the test's cluster if a test started it (afterAll, and the global teardown as the safety net). */
export async function stopTestCluster(o: EngineOptions = testClusterOptions()): Promise<void> {
  if (!existsSync(marker(o))) return;
  await stopCluster(o);
  rmSync(marker(o), { force: true });
}
