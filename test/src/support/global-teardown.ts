import { engineOptions, stopEngine } from '@mitra/engine';
import { stopTestCluster } from './multinode';

/** Stops the engine if global-setup started it, and the 3-node test's cluster; runs even when tests fail. */
export default async function globalTeardown(): Promise<void> {
  await stopTestCluster();
  if (!(globalThis as { __mitraEngineStarted?: number }).__mitraEngineStarted) return;
  const port = Number(process.env.MITRA_TEST_ES_PORT) || 9200;
  await stopEngine(engineOptions({ port, log: () => {} }));
}
