import { parseArgs } from 'node:util';
import type { Client } from '@elastic/elasticsearch';
import {
  connect,
  currentIndex,
  explainError,
  isMitraError,
  resolveConnection,
  resolveIndexConfig,
  snapshotPipeline,
  UsageError,
} from '@mitra/core';
import { installAssets } from '@mitra/ingest-pipelines';
import { hostDocuments, simulateFleet, type FleetOptions, type SimHost } from './simulator';

export interface LoadStats {
  hosts: number;
  documents: number;
  requests: number;
}

/**
 * Posts a simulated fleet through the real ingestion path: `_bulk` with
 * `?pipeline=<prefix>snapshot`, which parses, hashes, assigns ids and routes
 * each document to the current or a daily history index. Hosts are generated
 * and sent in batches, so memory stays bounded for any fleet size; `onHost`
 * sees every host (the tests keep them as ground truth).
 */
export async function loadFleet(
  client: Client,
  prefix: string,
  opts: FleetOptions & { batchDocs?: number; onHost?: (h: SimHost) => void },
): Promise<LoadStats> {
  const pipeline = snapshotPipeline(prefix);
  const stats: LoadStats = { hosts: 0, documents: 0, requests: 0 };
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (!batch.length) return;
    await postBulk(client, prefix, pipeline, batch);
    stats.documents += batch.length;
    stats.requests++;
    batch = [];
  };
  for (const host of simulateFleet(opts)) {
    opts.onHost?.(host);
    stats.hosts++;
    batch.push(...hostDocuments(host));
    if (batch.length >= (opts.batchDocs ?? 1000)) await flush();
  }
  await flush();
  await client.indices.refresh({ index: `${prefix}*`, allow_no_indices: true, ignore_unavailable: true });
  return stats;
}

async function postBulk(client: Client, prefix: string, pipeline: string, docs: Record<string, unknown>[]): Promise<void> {
  // The pipeline sets _index and _id itself; the index named here only has to be valid.
  const operations = docs.flatMap((d) => [{ index: { _index: currentIndex(prefix) } }, d]);
  // Loading test data is not what is measured: give a busy machine (or OpenSearch, slower here) time, and never retry (a
  // timed-out bulk that the client re-sends doubles the load that made it time out).
  const res = await client.bulk({ pipeline, operations }, { requestTimeout: 300_000, maxRetries: 0 });
  if (!res.errors) return;
  const failed = res.items.find((i) => i.index?.error)?.index;
  throw new Error(
    `bulk load failed for ${res.items.filter((i) => i.index?.error).length} documents, first: ${JSON.stringify(failed?.error)}`,
  );
}

const USAGE = `usage: node test/dist/fleet/load.js --hosts N [--prefix P] [--days D] [--seed S] [--es URL]

Loads a simulated fleet of N hosts (current state and D days of history, default 3)
through the <prefix>snapshot ingest pipeline, installing the assets first.`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      hosts: { type: 'string' },
      prefix: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      es: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const hosts = positiveInt(values.hosts, '--hosts');
  const days = values.days === undefined ? 3 : positiveInt(values.days, '--days');
  const seed = values.seed === undefined ? 42 : positiveInt(values.seed, '--seed');
  const { prefix } = resolveIndexConfig({ prefix: values.prefix });
  const connection = await connect(resolveConnection({ es: values.es }));
  try {
    await installAssets(connection.client, prefix);
    const started = Date.now();
    const stats = await loadFleet(connection.client, prefix, { hosts, days, seed });
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `loaded ${stats.hosts} hosts, ${stats.documents} documents in ${stats.requests} bulk requests, ${seconds.toFixed(1)} s (${Math.round(stats.documents / seconds)} docs/s), prefix "${prefix}"`,
    );
    return 0;
  } catch (e) {
    throw explainError(e, connection.url);
  } finally {
    await connection.client.close();
  }
}

function positiveInt(text: string | undefined, flag: string): number {
  const n = Number(text);
  if (!text || !Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} "${text ?? ''}" must be a positive whole number; see --help`);
  return n;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      console.error(`load: ${(e as Error).message}`);
      process.exitCode = isMitraError(e) ? e.exitCode : 1;
    },
  );
}
