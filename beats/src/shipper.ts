import { errors, type Client } from '@elastic/elasticsearch';
import { connect, currentStateId, explainError, historyId, responseReason, type ConnectionConfig } from '@mitra/core';
import { snapshotPipeline } from '@mitra/ingest-pipelines';
import type { Logger } from './log';
import type { WireDoc } from './wire';

export interface ShipOptions {
  batchDocs: number;
  batchBytes: number;
  /** Retries of one batch on 429/5xx/connection errors, with exponential backoff from backoffMs. */
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
}

/** Thrown inside a batch when the whole rest should wait for a better moment. */
class Postpone extends Error {}

const IDLE_RELEASE_MS = 5000;

/**
 * Bulk indexing through the <prefix>snapshot pipeline. Connects lazily (and
 * again after a failure), so an agent started while the cluster is down
 * simply spools until it comes back.
 */
export class Shipper {
  private client?: Client;
  private readonly pipeline: string;
  private idleTimer?: NodeJS.Timeout;

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
    const batches = batch(docs, this.options);
    for (let i = 0; i < batches.length; i++) {
      try {
        const { shipped, rejected } = await this.sendWithRetries(batches[i]);
        outcome.shipped += shipped;
        outcome.rejected += rejected.length;
        outcome.rejectedDocs.push(...rejected);
      } catch (e) {
        outcome.error = (e as Error).message;
        outcome.unsent = batches.slice(i).flat();
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

  private async sendWithRetries(docs: WireDoc[]): Promise<{ shipped: number; rejected: WireDoc[] }> {
    let pending = docs;
    let shipped = 0;
    const rejected: WireDoc[] = [];
    for (let attempt = 0; ; attempt++) {
      let result: BatchResult;
      try {
        result = await this.send(pending);
      } catch (e) {
        if (!(e instanceof Retryable) || attempt >= this.options.retries) throw e;
        this.log.warn(`ship: ${e.message}; retry ${attempt + 1}/${this.options.retries} in ${this.delay(attempt)} ms`);
        await sleep(this.delay(attempt));
        continue;
      }
      shipped += result.shipped;
      rejected.push(...result.rejected);
      if (!result.retry.length) return { shipped, rejected };
      if (attempt >= this.options.retries)
        throw new Retryable(`${result.retry.length} document(s) still refused with 429/5xx after ${attempt + 1} attempts`);
      this.log.warn(
        `ship: ${result.retry.length} document(s) refused for now (429/5xx); retry ${attempt + 1}/${this.options.retries} in ${this.delay(attempt)} ms`,
      );
      pending = result.retry;
      await sleep(this.delay(attempt));
    }
  }

  private delay = (attempt: number): number => this.options.backoffMs * 2 ** attempt;

  private async send(docs: WireDoc[]): Promise<BatchResult> {
    const client = await this.connected();
    const operations = docs.flatMap((d) => [{ index: { _index: `${this.prefix}current`, _id: documentId(d) } }, d]);
    let response;
    try {
      response = await client.bulk({ pipeline: this.pipeline, operations });
    } catch (e) {
      throw classify(e, this.connection.nodes[0]);
    }
    const result: BatchResult = { shipped: 0, rejected: [], retry: [] };
    response.items.forEach((item, i) => {
      const op = item.index;
      const doc = docs[i];
      if (!op?.error) {
        result.shipped++;
        return;
      }
      const status = op.status ?? 0;
      const reason = op.error.reason ?? op.error.type ?? 'unknown error';
      if (/pipeline with id \[.*\] does not exist/.test(reason)) {
        throw new Postpone(`pipeline ${this.pipeline} is not installed on the cluster: run mitra setup --prefix ${this.prefix}`);
      }
      // The pipeline's own rejection (no host.name, bad target...) is a 500 on 7.x but final: retrying cannot help.
      const final = op.error.type === 'fail_processor_exception';
      if (!final && (status === 429 || status >= 500)) result.retry.push(doc);
      else {
        result.rejected.push(doc);
        this.log.error(`ship: ${doc.file.path} (${doc.mitra.target}) rejected by the cluster (${status}): ${reason}`);
      }
    });
    return result;
  }

  private async connected(): Promise<Client> {
    if (this.client) return this.client;
    try {
      this.client = (await connect(this.connection)).client;
      return this.client;
    } catch (e) {
      // Down or refusing us: nothing to gain from retrying now; the documents are spooled.
      throw new Postpone((e as Error).message);
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
}

class Retryable extends Error {}

/** 429, 5xx and connection problems are worth a retry; anything else (401, 403, 400) postpones the batch. */
function classify(e: unknown, url: string): Error {
  const message = explainError(e, url).message;
  if (e instanceof errors.ResponseError) {
    const status = e.statusCode ?? 0;
    return status === 429 || status >= 500 ? new Retryable(message) : new Postpone(`${message} (${responseReason(e)})`);
  }
  if (e instanceof errors.ConnectionError || e instanceof errors.TimeoutError || e instanceof errors.NoLivingConnectionsError) {
    return new Retryable(message);
  }
  return new Postpone(message);
}

/** The same ids the pipeline assigns; setting them here keeps re-delivery idempotent even before the pipeline runs. */
export function documentId(d: WireDoc): string {
  return d.mitra.target === 'history' ? historyId(d.host.name, d.file.path, d['@timestamp']) : currentStateId(d.host.name, d.file.path);
}

/** Splits documents into bulk requests bounded by count and by approximate bytes. */
export function batch(docs: WireDoc[], options: Pick<ShipOptions, 'batchDocs' | 'batchBytes'>): WireDoc[][] {
  const batches: WireDoc[][] = [];
  let current: WireDoc[] = [];
  let bytes = 0;
  for (const doc of docs) {
    const size = (doc.mitra.content?.length ?? 0) + 512;
    if (current.length && (current.length >= options.batchDocs || bytes + size > options.batchBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(doc);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
