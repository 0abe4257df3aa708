import { existsSync, readFileSync } from 'node:fs';
import type { Client } from '@elastic/elasticsearch';
import { DEFAULT_FILES } from '@mitra/beats';
import { buildMappings, snapshotPipeline, type WireInput } from '@mitra/core';
import { installAssets } from '@mitra/ingest-pipelines';

/**
 * Ingest throughput: the same mixed documents through `<prefix>snapshot`
 * versus raw `_bulk` into an index with the same mappings and no pipeline.
 * Raw documents carry what the pipeline would otherwise compute (_id, _index),
 * so the difference is the pipeline's parsing, hashing and routing.
 */

/** The agent's default file set (the original nine plus the page-cache kit and os-release), as far as this machine has it. */
const STANDARD_FILES = DEFAULT_FILES.filter((path) => existsSync(path));

/** The standard file set of this machine, plus a 150-package inventory, for `hosts` hosts. */
export function mixedDocuments(hosts: number): WireInput[] {
  const files = STANDARD_FILES.map((path) => ({ path, content: readFileSync(path, 'utf8') }));
  const packages = Array.from({ length: 150 }, (_, i) => `pkg-${i}\t1.${i}.0-1\tamd64`).join('\n');
  const at = new Date().toISOString();
  const docs: WireInput[] = [];
  for (let h = 0; h < hosts; h++) {
    const name = `bench-${String(h).padStart(5, '0')}`;
    for (const f of files) docs.push({ '@timestamp': at, host: { name }, file: { path: f.path }, mitra: { content: f.content } });
    docs.push({ '@timestamp': at, host: { name }, file: { path: 'mitra:packages' }, mitra: { content: packages, format: 'dpkg' } });
  }
  return docs;
}

async function bulkAll(
  client: Client,
  docs: WireInput[],
  action: (d: WireInput, i: number) => object,
  pipeline?: string,
  batch = 500,
): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < docs.length; i += batch) {
    const slice = docs.slice(i, i + batch);
    const res = await client.bulk({ pipeline, operations: slice.flatMap((d, j) => [action(d, i + j), d]) });
    if (res.errors) throw new Error(`bulk errors: ${JSON.stringify(res.items.find((it) => it.index?.error)?.index?.error)}`);
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export interface IngestResult {
  documents: number;
  rounds: number;
  /** WireInput documents through the snapshot pipeline. */
  pipelineDocsPerSec: number;
  /** The same wire documents, raw _bulk, no pipeline. */
  rawDocsPerSec: number;
  ratio: number;
  /** The pipeline's output documents (already parsed), raw _bulk: separates parsing cost from indexing the parsed fields. */
  rawParsedDocsPerSec: number;
  ratioToParsed: number;
}

/** What the pipeline makes of the documents, via _simulate, to index them raw. */
async function parsedDocuments(client: Client, pipeline: string, docs: WireInput[]): Promise<WireInput[]> {
  const out: WireInput[] = [];
  for (let i = 0; i < docs.length; i += 500) {
    const res = await client.ingest.simulate({ id: pipeline, docs: docs.slice(i, i + 500).map((d) => ({ _source: d })) });
    for (const r of res.docs) out.push(r.doc!._source as WireInput);
  }
  return out;
}

export async function benchIngest(client: Client, hosts: number, rounds = 3): Promise<IngestResult> {
  const prefix = 'bench-ingest-';
  const raw = `${prefix}raw`;
  await client.indices.delete({ index: `${prefix}*` }, { ignore: [404] });
  await installAssets(client, prefix);
  for (const index of [raw, `${raw}-parsed`]) {
    await client.indices.create({
      index,
      settings: { number_of_shards: 1, number_of_replicas: 0, 'mapping.total_fields.limit': 5000 },
      mappings: buildMappings() as never,
    });
  }
  const docs = mixedDocuments(hosts);
  const pipeline = snapshotPipeline(prefix);
  const parsed = await parsedDocuments(client, pipeline, docs);
  const pipelineRates: number[] = [];
  const rawRates: number[] = [];
  const parsedRates: number[] = [];
  // Warm-up: compiles the painless scripts and warms the JIT for both paths.
  await bulkAll(client, docs.slice(0, 2000), () => ({ index: { _index: 'x' } }), pipeline);
  await bulkAll(client, docs.slice(0, 2000), (_d, i) => ({ index: { _index: raw, _id: `w${i}` } }));
  for (let r = 0; r < rounds; r++) {
    pipelineRates.push(docs.length / (await bulkAll(client, docs, () => ({ index: { _index: 'x' } }), pipeline)));
    rawRates.push(docs.length / (await bulkAll(client, docs, (_d, i) => ({ index: { _index: raw, _id: String(i) } }))));
    parsedRates.push(docs.length / (await bulkAll(client, parsed, (_d, i) => ({ index: { _index: `${raw}-parsed`, _id: String(i) } }))));
  }
  await client.indices.delete({ index: `${prefix}*` }, { ignore: [404] });
  const p = median(pipelineRates);
  const q = median(rawRates);
  const r = median(parsedRates);
  return {
    documents: docs.length,
    rounds,
    pipelineDocsPerSec: Math.round(p),
    rawDocsPerSec: Math.round(q),
    ratio: Number((p / q).toFixed(2)),
    rawParsedDocsPerSec: Math.round(r),
    ratioToParsed: Number((p / r).toFixed(2)),
  };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
