import {
  currentStateId,
  explainError,
  historyId,
  notElasticsearch,
  parseServerInfo,
  responseReason,
  responseStatus,
  transportFailure,
  type ConnectionConfig,
  currentIndex,
  snapshotPipeline,
  type WireDoc,
} from '@mitra/core/dist/base';
import { assetsInPlace, installAssetsWithClient } from './assets';
import { storedFingerprint, type FileMemory } from './changes';
import { HttpTransport, type BulkItem, type Transport } from './http';
import type { Logger } from './log';
import { sealed, sealOutcome } from './seal';

export interface ShipOptions {
  batchDocs: number;
  /** Bulk request body limit, measured on the serialised NDJSON. */
  batchBytes: number;
  /**
   * Retries of what a bulk could not deliver (429, 5xx, connection errors):
   * the agent spools it at once and resends with exponential backoff from
   * backoffMs; `--once` gives up after `retries` resends.
   */
  retries: number;
  backoffMs: number;
}

export const DEFAULT_SHIP_OPTIONS: ShipOptions = { batchDocs: 500, batchBytes: 8 * 1024 * 1024, retries: 3, backoffMs: 500 };

export interface ShipOutcome {
  shipped: number;
  /** Refused by the cluster for good (mapping or pipeline error in that document): logged, not retried. */
  rejected: number;
  rejectedDocs: WireDoc[];
  /** Not delivered because the cluster is unreachable or failing: the caller spools them. */
  unsent: WireDoc[];
  /** Why something is unsent, one line. */
  error?: string;
  /** True when waiting can help (429, 5xx, connection errors); false for 401/403 or a missing pipeline. */
  retryable?: boolean;
}

/** A failure of the whole request: the rest of the documents wait for a better moment. */
export class Unsent extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const IDLE_RELEASE_MS = 5000;
/** Ids per _mget when recalling what the cluster holds. */
const RECALL_IDS = 1000;

interface StoredCurrent {
  mitra?: { state?: unknown; changed_at?: unknown };
  file?: { hash?: { sha256?: unknown } };
}

/**
 * Bulk indexing through the <prefix>snapshot pipeline, one attempt per call:
 * whatever is not delivered comes back as `unsent`, and the agent spools it
 * before retrying, so a retry never holds changes only in memory. Connects
 * lazily (and again after a failure), and on the first connection installs
 * the templates and pipelines the cluster lacks, as Beats do.
 */
export class Shipper {
  private transport?: Transport;
  private readonly pipeline: string;
  private idleTimer?: NodeJS.Timeout;
  /** Templates and pipelines: not looked at yet, present (installed if need be), or not ours to install. */
  private assets: 'unchecked' | 'ok' | 'refused' = 'unchecked';

  constructor(
    private readonly connection: ConnectionConfig,
    private readonly prefix: string,
    private readonly log: Logger,
    private readonly options: ShipOptions = DEFAULT_SHIP_OPTIONS,
    /** The way to the cluster (unit tests: a scripted one). */
    private readonly newTransport: (c: ConnectionConfig) => Transport = (c) => new HttpTransport(c),
  ) {
    this.pipeline = snapshotPipeline(prefix);
  }

  async ship(docs: WireDoc[]): Promise<ShipOutcome> {
    const outcome: ShipOutcome = { shipped: 0, rejected: 0, rejectedDocs: [], unsent: [] };
    if (!docs.length) return outcome;
    clearTimeout(this.idleTimer);
    try {
      return await this.shipBatches(docs, outcome);
    } finally {
      this.releaseWhenIdle();
    }
  }

  /**
   * What the cluster holds of these paths of `host`, as the agent remembers a file: the current-state
   * document's state and content hash, and its changed_at (the @timestamp of the history version in
   * force). For paths the agent has no memory of (a new state directory: reinstalled, state lost), so
   * an unchanged file does not become a second version and a changed one closes the version it replaces.
   * Empty for what the cluster cannot say (unreachable, no index, not sent by an agent).
   */
  async recall(host: string, paths: string[]): Promise<Map<string, FileMemory>> {
    const out = new Map<string, FileMemory>();
    if (!paths.length) return out;
    clearTimeout(this.idleTimer);
    try {
      const transport = await this.connected();
      const fields = 'mitra.state,mitra.changed_at,file.hash.sha256';
      for (let i = 0; i < paths.length; i += RECALL_IDS) {
        const chunk = paths.slice(i, i + RECALL_IDS);
        const res = await transport.request<{ docs?: { found?: boolean; _source?: StoredCurrent }[] }>(
          'POST',
          `/${currentIndex(this.prefix)}/_mget?_source_includes=${fields}`,
          { ids: chunk.map((path) => currentStateId(host, path)) },
          { ignore: [404] },
        );
        (res?.docs ?? []).forEach((d, j) => {
          const { state, changed_at: changedAt } = d._source?.mitra ?? {};
          const sha = d._source?.file?.hash?.sha256;
          if (!d.found || typeof state !== 'string' || typeof changedAt !== 'string') return;
          out.set(chunk[j], { fingerprint: storedFingerprint(state, typeof sha === 'string' ? sha : undefined), changedAt });
        });
      }
    } catch {
      // Not known, then: the agent goes on as with a new file.
    } finally {
      this.releaseWhenIdle();
    }
    return out;
  }

  /**
   * Between cycles the agent must cost nothing: the client's HTTP agent keeps
   * sockets for 10 minutes and ticks a timer every second while it does, so
   * connections are closed once no bulk has been sent for a few seconds.
   */
  private releaseWhenIdle(): void {
    this.idleTimer = setTimeout(() => void this.disconnect(), IDLE_RELEASE_MS);
    this.idleTimer.unref();
  }

  private async shipBatches(docs: WireDoc[], outcome: ShipOutcome): Promise<ShipOutcome> {
    const batches = batch(docs, this.options, this.prefix);
    for (let i = 0; i < batches.length; i++) {
      try {
        const result = await this.send(batches[i]);
        outcome.shipped += result.shipped;
        outcome.rejected += result.rejected.length;
        outcome.rejectedDocs.push(...result.rejected);
        if (result.retry.length) {
          // Refused for now item by item (429 inside a 200): the cluster answers, so the next batches still go.
          outcome.unsent.push(...result.retry);
          outcome.error = `${result.retry.length} document(s) refused for now (429/5xx): ${result.retryReason}`;
          outcome.retryable = true;
        }
      } catch (e) {
        const failure = e instanceof Unsent ? e : new Unsent((e as Error).message, false);
        outcome.error = failure.message;
        outcome.retryable = failure.retryable;
        // One by one, never push(...list): a cycle can hold 200,000 documents, which a spread overflows the call stack with.
        for (const left of batches.slice(i)) for (const x of left) outcome.unsent.push(x.doc);
        await this.disconnect();
        break;
      }
    }
    return outcome;
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    await this.disconnect();
  }

  private async send(docs: Serialised[]): Promise<BatchResult> {
    const transport = await this.connected();
    let items: BulkItem[];
    try {
      items = await transport.bulk(
        this.pipeline,
        docs.flatMap((d) => [d.action, d.json, ...d.follow]),
      );
    } catch (e) {
      throw classify(e, this.connection.nodes[0]);
    }
    const result: BatchResult = { shipped: 0, rejected: [], retry: [] };
    let next = 0;
    for (const { doc, follow } of docs) {
      const verdict = classifyItem(items[next++] ?? { status: 0, error: { reason: 'no answer for this document' } });
      // The update closing the previous version, if the document brought one (beats/src/seal.ts).
      const seal = follow.length ? items[next++] : undefined;
      const outcome = seal ? sealOutcome(seal.status, seal.error) : 'done';
      if (outcome === 'failed')
        this.log.warn(`ship: could not close the previous version of ${doc.file.path}: ${oneLine(seal?.error?.reason ?? '')}`);
      if (verdict.kind === 'pipeline-missing') throw this.pipelineMissing();
      if (verdict.kind === 'shipped' && outcome === 'retry') {
        result.retry.push(doc);
        result.retryReason = `${seal?.status} ${oneLine(seal?.error?.reason ?? seal?.error?.type ?? '')}`;
      } else if (verdict.kind === 'shipped') result.shipped++;
      else if (verdict.kind === 'retry') {
        result.retry.push(doc);
        result.retryReason = `${verdict.status} ${verdict.reason}`;
      } else {
        result.rejected.push(doc);
        this.log.error(`ship: ${doc.file.path} (${doc.mitra.target}) rejected by the cluster (${verdict.status}): ${verdict.reason}`);
      }
    }
    return result;
  }

  /** Waiting does not bring a pipeline back; the operator (or our next connection) must install it. */
  private pipelineMissing(): Unsent {
    if (this.assets === 'refused') {
      // The setup line already named the command: say it once.
      return new Unsent(`pipeline ${this.pipeline} is not installed and these credentials may not install it`, false);
    }
    // Removed since we checked: install it again at the next connection.
    this.assets = 'unchecked';
    return new Unsent(`pipeline ${this.pipeline} is not installed on the cluster: run mitra setup --prefix ${this.prefix}`, false);
  }

  /**
   * The connected transport (`request`, `bulk`), for other writers of a cycle;
   * throws `Unsent` (with `retryable`) when the cluster cannot be reached.
   */
  ready(): Promise<Transport> {
    return this.connected();
  }

  /** A transport whose server answered GET / as Elasticsearch or OpenSearch, with the assets checked once. */
  private async connected(): Promise<Transport> {
    if (this.transport) return this.transport;
    const transport = this.newTransport(this.connection);
    const url = this.connection.nodes[0];
    try {
      // No retries on the probe: an unreachable cluster should fail in milliseconds, not after backoff.
      parseServerInfo(await transport.request('GET', '/', undefined, { retries: 0 }), url);
    } catch (e) {
      transport.close();
      throw new Unsent(oneLine((notElasticsearch(e, url) ?? explainError(e, url)).message), true);
    }
    if (this.assets === 'unchecked') await this.installMissingAssets(transport);
    this.transport = transport;
    return transport;
  }

  /**
   * Like Beats: templates and pipelines are installed when missing or different
   * (versions are content hashes; installAssets leaves equal ones alone). Without the
   * rights for it (401/403), one line says which command to run, and shipping goes on
   * (the assets may be installed by someone else meanwhile).
   */
  private async installMissingAssets(transport: Transport): Promise<void> {
    try {
      if (await assetsInPlace(transport, this.prefix)) {
        this.assets = 'ok';
        return;
      }
      const { changed } = await installAssetsWithClient(this.connection, this.prefix);
      this.assets = 'ok';
      if (changed.length) {
        this.log.info(
          `setup: ${changed.length} template(s)/pipeline(s) installed or upgraded for prefix ${this.prefix}: ${changed.join(', ')}`,
        );
      }
    } catch (e) {
      const status = responseStatus(e);
      if (status !== 401 && status !== 403) {
        transport.close();
        throw classify(e, this.connection.nodes[0]);
      }
      this.assets = 'refused';
      this.log.error(
        `setup: these credentials may not install Mitra's templates and pipelines (${status}): run mitra setup --prefix ${this.prefix} with an account that may (manage_index_templates, manage_pipeline)`,
      );
    }
  }

  private async disconnect(): Promise<void> {
    const transport = this.transport;
    this.transport = undefined;
    transport?.close();
  }
}

interface BatchResult {
  shipped: number;
  rejected: WireDoc[];
  retry: WireDoc[];
  retryReason?: string;
}

/** What one bulk item's answer means for its document. */
export type ItemVerdict =
  | { kind: 'shipped' }
  | { kind: 'retry' | 'rejected'; status: number; reason: string }
  | { kind: 'pipeline-missing'; status: number; reason: string };

/**
 * A bulk item: accepted; refused for now (429, 5xx: resent later); rejected
 * for good (a mapping error, the pipeline's own rejection, which 7.x answers
 * with 500 but retrying cannot help); or the pipeline is missing (404), which
 * stops the whole request.
 */
export function classifyItem(item: BulkItem): ItemVerdict {
  if (!item.error) return { kind: 'shipped' };
  const status = item.status ?? 0;
  const reason = oneLine(item.error.reason ?? item.error.type ?? 'unknown error');
  if (/pipeline with id \[.*\] does not exist/.test(reason)) return { kind: 'pipeline-missing', status, reason };
  const final = item.error.type === 'fail_processor_exception';
  if (!final && (status === 429 || status >= 500)) return { kind: 'retry', status, reason };
  return { kind: 'rejected', status, reason };
}

/** 429, 5xx and connection problems are worth a retry; anything else (401, 403, 400) waits for the operator. */
export function classify(e: unknown, url: string): Unsent {
  const message = oneLine(explainError(e, url).message);
  const status = responseStatus(e);
  if (status !== undefined) {
    return status === 429 || status >= 500
      ? new Unsent(message, true)
      : new Unsent(`${message} (${oneLine(responseReason(e as never))})`, false);
  }
  const failure = transportFailure(e);
  return new Unsent(message, failure === 'timeout' || failure === 'unreachable');
}

const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ');

/** The same ids the pipeline assigns; setting them here keeps re-delivery idempotent even before the pipeline runs. */
export function documentId(d: WireDoc): string {
  return d.mitra.target === 'history' ? historyId(d.host.name, d.file.path, d['@timestamp']) : currentStateId(d.host.name, d.file.path);
}

/** A document serialised once: its bulk action line, its JSON, and their size on the wire. */
interface Serialised {
  doc: WireDoc;
  action: string;
  json: string;
  /** Bulk lines after the document's own: the update closing the version it replaces. */
  follow: string[];
  bytes: number;
}

/**
 * Splits documents into bulk requests bounded by count and by the bytes of the
 * NDJSON body (a document bigger than batchBytes goes alone). Each document is
 * serialised here once, and that text is what is sent.
 */
export function batch(docs: WireDoc[], options: Pick<ShipOptions, 'batchDocs' | 'batchBytes'>, prefix = 'mitra-'): Serialised[][] {
  const index = currentIndex(prefix);
  const batches: Serialised[][] = [];
  let current: Serialised[] = [];
  let bytes = 0;
  for (const doc of docs) {
    // Any index will do (the pipeline sets _index and _id); ours keeps a request without the pipeline harmless.
    const action = JSON.stringify({ index: { _index: index, _id: documentId(doc) } });
    const { json, follow } = sealed(doc, prefix);
    const size = Buffer.byteLength(action) + Buffer.byteLength(json) + follow.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) + 2;
    if (current.length && (current.length >= options.batchDocs || bytes + size > options.batchBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push({ doc, action, json, follow, bytes: size });
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}
