import { errors, type Client } from '@elastic/elasticsearch';
import {
  connect,
  type ConnectionConfig,
  currentIndex,
  currentStateId,
  explainError,
  historyId,
  responseReason,
  snapshotPipeline,
  type WireDoc,
} from '@mitra/core';
import { installAssets } from '@mitra/ingest-pipelines';
import type { Logger } from './log';

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
class Unsent extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const IDLE_RELEASE_MS = 5000;

/**
 * Bulk indexing through the <prefix>snapshot pipeline, one attempt per call:
 * whatever is not delivered comes back as `unsent`, and the agent spools it
 * before retrying, so a retry never holds changes only in memory. Connects
 * lazily (and again after a failure), and on the first connection installs
 * the templates and pipelines the cluster lacks, as Beats do.
 */
export class Shipper {
  private client?: Client;
  private readonly pipeline: string;
  private idleTimer?: NodeJS.Timeout;
  /** Templates and pipelines: not looked at yet, present (installed if need be), or not ours to install. */
  private assets: 'unchecked' | 'ok' | 'refused' = 'unchecked';

  constructor(
    private readonly connection: ConnectionConfig,
    private readonly prefix: string,
    private readonly log: Logger,
    private readonly options: ShipOptions = DEFAULT_SHIP_OPTIONS,
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
   * Between cycles the agent must cost nothing: the client's HTTP agent keeps
   * sockets for 10 minutes and ticks a timer every second while it does, so
   * connections are closed once no bulk has been sent for a few seconds.
   */
  private releaseWhenIdle(): void {
    this.idleTimer = setTimeout(() => void this.disconnect(), IDLE_RELEASE_MS);
    this.idleTimer.unref();
  }

  private async shipBatches(docs: WireDoc[], outcome: ShipOutcome): Promise<ShipOutcome> {
    const batches = batch(docs, this.options, currentIndex(this.prefix));
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
        outcome.unsent.push(...batches.slice(i).flatMap((b) => b.map((x) => x.doc)));
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
    const client = await this.connected();
    const operations = docs.flatMap((d) => [d.action, d.json]);
    let response;
    try {
      response = await client.bulk({ pipeline: this.pipeline, operations });
    } catch (e) {
      throw classify(e, this.connection.nodes[0]);
    }
    const result: BatchResult = { shipped: 0, rejected: [], retry: [] };
    response.items.forEach((item, i) => {
      const op = item.index;
      const doc = docs[i].doc;
      if (!op?.error) {
        result.shipped++;
        return;
      }
      const status = op.status ?? 0;
      const reason = oneLine(op.error.reason ?? op.error.type ?? 'unknown error');
      if (/pipeline with id \[.*\] does not exist/.test(reason)) throw this.pipelineMissing();
      // The pipeline's own rejection (no host.name, bad target...) is a 500 on 7.x but final: retrying cannot help.
      const final = op.error.type === 'fail_processor_exception';
      if (!final && (status === 429 || status >= 500)) {
        result.retry.push(doc);
        result.retryReason = `${status} ${reason}`;
      } else {
        result.rejected.push(doc);
        this.log.error(`ship: ${doc.file.path} (${doc.mitra.target}) rejected by the cluster (${status}): ${reason}`);
      }
    });
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

  private async connected(): Promise<Client> {
    if (this.client) return this.client;
    let client: Client;
    try {
      client = (await connect(this.connection)).client;
    } catch (e) {
      throw new Unsent((e as Error).message, true);
    }
    if (this.assets === 'unchecked') await this.installMissingAssets(client);
    this.client = client;
    return client;
  }

  /**
   * Like Beats: templates and pipelines are installed when missing or older
   * (installAssets keeps newer ones and leaves equal ones alone). Without the
   * rights for it, one line says which command to run, and shipping goes on
   * (the assets may be installed by someone else meanwhile).
   */
  private async installMissingAssets(client: Client): Promise<void> {
    try {
      const results = await installAssets(client, this.prefix);
      this.assets = 'ok';
      const changed = results.filter((r) => r.action === 'installed' || r.action === 'upgraded');
      if (changed.length) {
        this.log.info(
          `setup: ${changed.length} template(s)/pipeline(s) installed or upgraded for prefix ${this.prefix}: ${changed.map((r) => r.id).join(', ')}`,
        );
      }
    } catch (e) {
      if (!(e instanceof errors.ResponseError) || (e.statusCode !== 401 && e.statusCode !== 403)) {
        await client.close().catch(() => undefined);
        throw classify(e, this.connection.nodes[0]);
      }
      this.assets = 'refused';
      this.log.error(
        `setup: these credentials may not install Mitra's templates and pipelines (${e.statusCode}): run mitra setup --prefix ${this.prefix} with an account that may (manage_index_templates, manage_pipeline)`,
      );
    }
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }
}

interface BatchResult {
  shipped: number;
  rejected: WireDoc[];
  retry: WireDoc[];
  retryReason?: string;
}

/** 429, 5xx and connection problems are worth a retry; anything else (401, 403, 400) waits for the operator. */
function classify(e: unknown, url: string): Unsent {
  const message = oneLine(explainError(e, url).message);
  if (e instanceof errors.ResponseError) {
    const status = e.statusCode ?? 0;
    return status === 429 || status >= 500 ? new Unsent(message, true) : new Unsent(`${message} (${oneLine(responseReason(e))})`, false);
  }
  if (e instanceof errors.ConnectionError || e instanceof errors.TimeoutError || e instanceof errors.NoLivingConnectionsError) {
    return new Unsent(message, true);
  }
  return new Unsent(message, false);
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
  bytes: number;
}

/**
 * Splits documents into bulk requests bounded by count and by the bytes of the
 * NDJSON body (a document bigger than batchBytes goes alone). Each document is
 * serialised here once, and that text is what is sent.
 */
export function batch(docs: WireDoc[], options: Pick<ShipOptions, 'batchDocs' | 'batchBytes'>, index = 'mitra-current'): Serialised[][] {
  const batches: Serialised[][] = [];
  let current: Serialised[] = [];
  let bytes = 0;
  for (const doc of docs) {
    // Any index will do (the pipeline sets _index and _id); ours keeps a request without the pipeline harmless.
    const action = JSON.stringify({ index: { _index: index, _id: documentId(doc) } });
    const json = JSON.stringify(doc);
    const size = Buffer.byteLength(action) + Buffer.byteLength(json) + 2;
    if (current.length && (current.length >= options.batchDocs || bytes + size > options.batchBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push({ doc, action, json, bytes: size });
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}
