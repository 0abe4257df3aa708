import type { Client } from '@elastic/elasticsearch';
import { connect, type Connection, resolveConnection, snapshotPipeline } from '@mitra/core';
import { installAssets } from '@mitra/ingest-pipelines';

/**
 * One isolated corner of the real engine per test file: its own prefix, so its
 * own pipelines, templates and indices. Tests run in parallel without sharing state.
 */
export interface TestCluster {
  connection: Connection;
  client: Client;
  prefix: string;
  pipeline: string;
  url: string;
  /** Installs the templates and pipelines under this prefix. */
  setup(): Promise<void>;
  /** Sends wire documents through this prefix's pipeline, refreshed; answers the errors of the documents refused. */
  ingest(docs: object[]): Promise<unknown[]>;
  refresh(): Promise<void>;
  /** Deletes everything under the prefix and closes the client. */
  cleanup(): Promise<void>;
}

export async function testCluster(name: string): Promise<TestCluster> {
  // The pid keeps two concurrent runs of the same file (two developers, or a
  // watch run) from deleting each other's indices.
  const prefix = `t-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${process.pid}-`;
  const connection = await connect(resolveConnection({}, {}, process.env));
  const client = connection.client;
  await removePrefix(client, prefix);
  return {
    connection,
    client,
    prefix,
    pipeline: snapshotPipeline(prefix),
    url: connection.url,
    setup: async () => {
      await installAssets(client, prefix);
    },
    ingest: async (docs) => {
      const res = await client.bulk({
        pipeline: snapshotPipeline(prefix),
        operations: docs.flatMap((d) => [{ index: { _index: 'x' } }, d]),
        refresh: true,
      });
      return res.items.filter((i) => i.index?.error).map((i) => i.index?.error);
    },
    refresh: async () => {
      await client.indices.refresh({ index: `${prefix}*`, allow_no_indices: true, ignore_unavailable: true });
    },
    cleanup: async () => {
      await removePrefix(client, prefix);
      await client.close();
    },
  };
}

async function removePrefix(client: Client, prefix: string): Promise<void> {
  await client.indices.delete({ index: `${prefix}*`, allow_no_indices: true, ignore_unavailable: true }, { ignore: [404] });
  await client.indices.deleteIndexTemplate({ name: `${prefix}*` }, { ignore: [404] });
  await client.ingest.deletePipeline({ id: `${prefix}*` }, { ignore: [404] });
}

/** The client, counting the search requests made through it (a question's cost in requests), and keeping them (what it asked). */
export function countingSearches(client: Client): { client: Client; searches: () => number; requests: () => unknown[] } {
  const requests: unknown[] = [];
  const counted = Object.create(client) as Client;
  counted.search = ((...args: Parameters<Client['search']>) => {
    requests.push(args[0]);
    return client.search(...(args as [never]));
  }) as Client['search'];
  return { client: counted, searches: () => requests.length, requests: () => [...requests] };
}
