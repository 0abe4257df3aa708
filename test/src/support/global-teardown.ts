import { engineOptions, stopEngine } from '@mitra/engine';

/** Stops the engine if global-setup started it; runs even when tests fail. */
export default async function globalTeardown(): Promise<void> {
  if (!(globalThis as { __mitraEngineStarted?: number }).__mitraEngineStarted) return;
  const port = Number(process.env.MITRA_TEST_ES_PORT) || 9200;
  await stopEngine(engineOptions({ port, log: () => {} }));
}
