import {
  FLAVORS,
  engineOptions,
  readCredentials,
  startEngine,
  stopEngine,
  type Credentials,
  type EngineOptions,
  type FlavorName,
} from '@mitra/engine';

/**
 * Another engine flavour for a compatibility test file, beside the default
 * engine the integration suite shares. An engine already running is reused and
 * left running; one this file starts is stopped by release(), even when tests fail.
 */
export interface FlavorEngine {
  options: EngineOptions;
  url: string;
  startedHere: boolean;
  /** Startup time when this file started it (cold start), else 0. */
  seconds: number;
  release(): Promise<void>;
}

/** Cold starts of the non-default flavours take 20-60 s on 2 busy cores. */
export const ENGINE_START_TIMEOUT_MS = 240_000;

/**
 * The port of a flavour for the tests: MITRA_TEST_ES9_PORT / MITRA_TEST_OPENSEARCH_PORT,
 * else the flavour's default (9210, 9220) — never MITRA_ENGINE_PORT, which names
 * the suite's 7.10 engine: a flavour there would find that engine answering.
 */
export function flavorTestPort(flavor: FlavorName): number {
  return Number(process.env[`MITRA_TEST_${flavor.toUpperCase()}_PORT`]) || FLAVORS[flavor].defaultPort;
}

export async function useEngine(flavor: FlavorName): Promise<FlavorEngine> {
  const options = engineOptions({ flavor, port: flavorTestPort(flavor), log: () => {} });
  const started = await startEngine(options, ENGINE_START_TIMEOUT_MS - 10_000);
  return {
    options,
    url: started.url,
    startedHere: !started.alreadyRunning,
    seconds: started.seconds,
    release: async () => {
      if (!started.alreadyRunning) await stopEngine(options);
    },
  };
}

/** The secured flavour's CA, users and API key (written by the engine at its first start). */
export function securedCredentials(engine: FlavorEngine): Credentials {
  const c = readCredentials(engine.options.dataDir);
  if (!c?.apiKey)
    throw new Error(`no credentials with an API key in ${engine.options.dataDir}: the es9 engine did not finish its first start`);
  return c;
}
