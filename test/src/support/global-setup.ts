import { engineOptions, probe, startEngine } from '@mitra/engine';

/**
 * Starts the local engine for the integration suite unless one already answers
 * on the port (a developer's running engine is reused and left running).
 * MITRA_TEST_ES_PORT picks another port, MITRA_ENGINE_FLAVOR another engine
 * (e.g. opensearch: test/src/compat/opensearch.test.ts runs the pipeline tests so).
 */
export default async function globalSetup(): Promise<void> {
  const port = Number(process.env.MITRA_TEST_ES_PORT) || 9200;
  const o = engineOptions({ port, log: () => {} });
  process.env.MITRA_ES_URL = `http://127.0.0.1:${port}`;
  if (await probe(o)) return;
  const started = await startEngine(o);
  (globalThis as { __mitraEngineStarted?: number }).__mitraEngineStarted = started.pid;
}
