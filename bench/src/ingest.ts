import { existsSync, readFileSync } from 'node:fs';
import type { Client } from '@elastic/elasticsearch';
import { DEFAULT_FILES } from '@mitra/beats';
import { buildMappings, HOST_JOIN, snapshotPipeline, type WireInput } from '@mitra/core';
import { installAssets, loadAssets } from '@mitra/ingest-pipelines';
import { deleteIndicesOf, dropPrefix } from './cleanup';

/**
 * Ingest throughput: the same mixed documents through `<prefix>snapshot`
 * versus raw `_bulk` into an index with the same mappings and no pipeline.
 * Raw documents carry what the pipeline would otherwise compute (_id, _index),
 * so the difference is the pipeline's parsing, hashing and routing.
 *
 * Then the same three per file path (where the cost is), and, with
 * `BENCH_BASELINE_ASSETS=<an ingest-pipelines/assets folder>` (say a checkout of
 * main), that folder's pipelines under their own prefix in the same rounds, so
 * a before/after comparison sees the same load.
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

export interface IngestRates {
  /** WireInput documents through the snapshot pipeline. */
  pipelineDocsPerSec: number;
  /** The same wire documents, raw _bulk, no pipeline. */
  rawDocsPerSec: number;
  /** pipeline ÷ raw wire: issue 13's headline figure (target ≥ 0.75). */
  ratio: number;
  /** The pipeline's output documents (already parsed), raw _bulk: separates parsing cost from indexing the parsed fields. */
  rawParsedDocsPerSec: number;
  ratioToParsed: number;
  /** The pipeline alone: each document is dropped after it (no indexing), so this is the pipeline's own cost. */
  pipelineOnlyDocsPerSec: number;
  /**
   * The wire documents through a pipeline that only routes them (one script: the sha256 _id and the
   * index, nothing parsed or added), indexed: what any pipeline that routes costs on this engine.
   */
  routeOnlyDocsPerSec: number;
  /** route only ÷ raw wire: the ceiling of the headline ratio set by the ingest machinery alone. */
  routeOnlyRatio: number;
  /** The baseline assets' snapshot pipeline (BENCH_BASELINE_ASSETS), same documents, same rounds. */
  baselineDocsPerSec?: number;
  /** The baseline pipeline alone (dropped after it). */
  baselineOnlyDocsPerSec?: number;
}

export interface IngestResult extends IngestRates {
  documents: number;
  rounds: number;
  baselineAssets?: string;
  /** The same figures for the documents of each file path. */
  byPath: ({ path: string; documents: number } & IngestRates)[];
}

/**
 * The routing a document of the pipeline's output needs when it is indexed raw:
 * the host join (HOST_JOIN) routes every joined document by host name, and the
 * engine refuses a child without one.
 */
export const joinRouting = (d: object): { routing?: string } => {
  const doc = d as { host?: { name?: string } };
  return HOST_JOIN.field in d && doc.host?.name ? { routing: doc.host.name } : {};
};

/** What the pipeline makes of the documents, via _simulate, to index them raw. */
async function parsedDocuments(client: Client, pipeline: string, docs: WireInput[]): Promise<WireInput[]> {
  const out: WireInput[] = [];
  for (let i = 0; i < docs.length; i += 500) {
    const res = await client.ingest.simulate({ id: pipeline, docs: docs.slice(i, i + 500).map((d) => ({ _source: d })) });
    for (const r of res.docs) out.push(r.doc!._source as WireInput);
  }
  return out;
}

const PREFIX = 'bench-ingest-';
const BASELINE_PREFIX = 'bench-ingest-base-';
const RAW = `${PREFIX}raw`;

/** `<prefix>snapshot` followed by a drop: times the pipeline without indexing. */
const dropAfter = (prefix: string) => `${prefix}bench-drop`;
const ROUTE_ONLY = `${PREFIX}bench-route`;

async function installDropAfter(client: Client, prefix: string): Promise<void> {
  await client.ingest.putPipeline({ id: dropAfter(prefix), processors: [{ pipeline: { name: snapshotPipeline(prefix) } }, { drop: {} }] });
}

/** The snapshot pipeline's routing alone (its last lines), into an index like the raw one: the floor of any routing pipeline. */
async function installRouteOnly(client: Client): Promise<void> {
  const source = "ctx._id = (ctx.host.name + '_' + ctx.file.path).sha256(); ctx._index = params.index;";
  await client.ingest.putPipeline({
    id: ROUTE_ONLY,
    processors: [{ script: { lang: 'painless', source, params: { index: `${RAW}-routed` } } }],
  });
}

/**
 * Another assets folder's pipelines under BASELINE_PREFIX, over this tree's templates for that prefix:
 * the documents are indexed with the same mappings, so only the pipelines differ.
 */
async function installBaseline(client: Client, dir: string): Promise<void> {
  await installAssets(client, BASELINE_PREFIX);
  for (const a of loadAssets(BASELINE_PREFIX, dir)) {
    if (a.kind === 'pipeline') await client.ingest.putPipeline({ id: a.id, ...a.body } as never);
  }
}

/** Median docs/s of `rounds` alternating rounds: pipeline, pipeline alone, raw wire, route only, raw parsed output (and the baseline pipeline). */
async function measure(client: Client, docs: WireInput[], parsed: WireInput[], rounds: number, baseline: boolean): Promise<IngestRates> {
  const rates: Record<'p' | 'q' | 'r' | 'b' | 'po' | 'bo' | 'ro', number[]> = { p: [], q: [], r: [], b: [], po: [], bo: [], ro: [] };
  const piped = () => ({ index: { _index: 'x' } });
  for (let r = 0; r < rounds; r++) {
    rates.p.push(docs.length / (await bulkAll(client, docs, piped, snapshotPipeline(PREFIX))));
    if (baseline) rates.b.push(docs.length / (await bulkAll(client, docs, piped, snapshotPipeline(BASELINE_PREFIX))));
    rates.po.push(docs.length / (await bulkAll(client, docs, piped, dropAfter(PREFIX))));
    if (baseline) rates.bo.push(docs.length / (await bulkAll(client, docs, piped, dropAfter(BASELINE_PREFIX))));
    rates.q.push(docs.length / (await bulkAll(client, docs, (_d, i) => ({ index: { _index: RAW, _id: String(i) } }))));
    rates.ro.push(docs.length / (await bulkAll(client, docs, piped, ROUTE_ONLY)));
    rates.r.push(
      docs.length / (await bulkAll(client, parsed, (d, i) => ({ index: { _index: `${RAW}-parsed`, _id: String(i), ...joinRouting(d) } }))),
    );
  }
  const [p, q, r] = [median(rates.p), median(rates.q), median(rates.r)];
  return {
    pipelineDocsPerSec: Math.round(p),
    rawDocsPerSec: Math.round(q),
    ratio: Number((p / q).toFixed(2)),
    rawParsedDocsPerSec: Math.round(r),
    ratioToParsed: Number((p / r).toFixed(2)),
    pipelineOnlyDocsPerSec: Math.round(median(rates.po)),
    routeOnlyDocsPerSec: Math.round(median(rates.ro)),
    routeOnlyRatio: Number((median(rates.ro) / q).toFixed(2)),
    ...(baseline ? { baselineDocsPerSec: Math.round(median(rates.b)), baselineOnlyDocsPerSec: Math.round(median(rates.bo)) } : {}),
  };
}

export async function benchIngest(client: Client, hosts: number, rounds = 3): Promise<IngestResult> {
  const baselineAssets = process.env.BENCH_BASELINE_ASSETS;
  await deleteIndicesOf(client, PREFIX);
  await installAssets(client, PREFIX);
  await installDropAfter(client, PREFIX);
  await installRouteOnly(client);
  if (baselineAssets) {
    await installBaseline(client, baselineAssets);
    await installDropAfter(client, BASELINE_PREFIX);
  }
  for (const index of [RAW, `${RAW}-parsed`, `${RAW}-routed`]) {
    await client.indices.create({
      index,
      settings: { number_of_shards: 1, number_of_replicas: 0, 'mapping.total_fields.limit': 5000 },
      mappings: buildMappings() as never,
    });
  }
  const docs = mixedDocuments(hosts);
  const parsed = await parsedDocuments(client, snapshotPipeline(PREFIX), docs);
  // Warm-up: compiles the painless scripts and warms the JIT for every path.
  await measure(client, docs.slice(0, 2000), parsed.slice(0, 2000), 1, Boolean(baselineAssets));
  const overall = await measure(client, docs, parsed, rounds, Boolean(baselineAssets));
  const byPath: IngestResult['byPath'] = [];
  for (const path of [...new Set(docs.map((d) => d.file.path))]) {
    const keep = docs.map((d) => d.file.path === path);
    const mine = docs.filter((_d, i) => keep[i]);
    const rates = await measure(
      client,
      mine,
      parsed.filter((_d, i) => keep[i]),
      rounds,
      Boolean(baselineAssets),
    );
    byPath.push({ path, documents: mine.length, ...rates });
  }
  // The baseline's prefix starts with this one: one drop removes both.
  await dropPrefix(client, PREFIX);
  process.stderr.write(table(overall, byPath));
  return { documents: docs.length, rounds, ...overall, ...(baselineAssets ? { baselineAssets } : {}), byPath };
}

/** Where the cost is: one row per file path, docs/s, on stderr (the JSON record goes to stdout). */
function table(overall: IngestRates, byPath: IngestResult['byPath']): string {
  const cells = (r: IngestRates) =>
    [r.pipelineDocsPerSec, r.rawDocsPerSec, r.ratio, r.rawParsedDocsPerSec, r.ratioToParsed, r.pipelineOnlyDocsPerSec, r.routeOnlyRatio]
      .concat(r.baselineDocsPerSec === undefined ? [] : [r.baselineDocsPerSec, r.baselineOnlyDocsPerSec ?? 0])
      .map((v) => String(v).padStart(10))
      .join('');
  const head = `${'path'.padEnd(28)}${['pipeline', 'raw wire', 'ratio', 'raw out', 'p÷out', 'p only', 'route÷raw', 'base', 'base only'].map((h) => h.padStart(10)).join('')}\n`;
  const rows = byPath.map((r) => `${r.path.padEnd(28)}${cells(r)}\n`).join('');
  return `${head}${rows}${'ALL (headline: ratio)'.padEnd(28)}${cells(overall)}\n`;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
