import type { Client } from '@elastic/elasticsearch';

/**
 * Deletes every index of a benchmark's prefix by name: Elasticsearch 8 and 9
 * refuse a wildcard delete (action.destructive_requires_name defaults to true),
 * so the same benchmark runs on every flavour.
 */
export async function deleteIndicesOf(client: Client, prefix: string): Promise<void> {
  const names = Object.keys(await client.indices.get({ index: `${prefix}*`, allow_no_indices: true, ignore_unavailable: true }));
  if (names.length) await client.indices.delete({ index: names.join(',') });
}

/** Removes everything a benchmark made under its prefix: indices (by name), index templates and ingest pipelines. */
export async function dropPrefix(client: Client, prefix: string): Promise<void> {
  await deleteIndicesOf(client, prefix);
  await client.indices.deleteIndexTemplate({ name: `${prefix}*` }, { ignore: [404] });
  await client.ingest.deletePipeline({ id: `${prefix}*` }, { ignore: [404] });
}
