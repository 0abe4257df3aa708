import { readFileSync } from 'node:fs';
import { samplePipeline, samplesIndex, samplesIndices, type ConnectionConfig } from '@mitra/core/dist/base';
import { HttpTransport, type Transport } from './http';
import type { Logger } from './log';

/** The /proc memory files a sample reads; the `<prefix>sample` pipeline parses each with the snapshot parsers. */
export const SAMPLE_FILES = {
  meminfo: '/proc/meminfo',
  vmstat: '/proc/vmstat',
  zoneinfo: '/proc/zoneinfo',
  buddyinfo: '/proc/buddyinfo',
} as const;
export type SampleFile = keyof typeof SAMPLE_FILES;

/** A sample on the wire: contents of the four files at one instant; the pipeline keeps only their numbers. */
export interface SampleDoc {
  '@timestamp': string;
  host: { name: string };
  mitra: { sample: Partial<Record<SampleFile, string>> };
}

export interface SamplerOptions {
  hostfs: string;
  host: () => string;
  prefix: string;
  connection: ConnectionConfig;
  intervalMs: number;
  log: Logger;
  /** Samples sent per bulk request (default: one minute's worth). */
  batch?: number;
  /** Samples kept in memory while the cluster is out of reach (default: one day's worth, at most 20,000). */
  maxBuffered?: number;
}

/**
 * The zoneinfo lines the parser reads (zone headers, free pages, watermarks,
 * sizes). A modern kernel prints dozens of per-CPU and per-node counter lines
 * per zone; sending only these keeps a sample a few kB on any machine.
 * This filters lines, it does not parse: numbers are still made by the pipeline.
 */
const ZONEINFO_LINE = /^(Node \d+, zone\s|\s+(pages free|min|low|high|spanned|present|managed)\s+\d+\s*$)/;

export function trimZoneinfo(text: string): string {
  return text
    .split('\n')
    .filter((l) => ZONEINFO_LINE.test(l))
    .join('\n')
    .concat('\n');
}

/** Reads one sample; a file that cannot be read is left out (a container without /proc/buddyinfo still samples meminfo). */
export function readSample(hostfs: string, host: string, at = new Date()): SampleDoc {
  const sample: SampleDoc['mitra']['sample'] = {};
  for (const [kind, path] of Object.entries(SAMPLE_FILES) as [SampleFile, string][]) {
    try {
      const text = readFileSync(hostfs + path, 'utf8');
      sample[kind] = kind === 'zoneinfo' ? trimZoneinfo(text) : text;
    } catch {
      // Absent on this kernel or not readable: the sample carries the others.
    }
  }
  return { '@timestamp': at.toISOString(), host: { name: host }, mitra: { sample } };
}

/**
 * Short-interval memory samples (`memory_interval`), separate from the full
 * cycle: no history document, no change detection, no content stored. Samples
 * are batched (one bulk a minute by default) and kept in memory while the
 * cluster is away, up to a bound; beyond it the oldest are dropped with an
 * ERROR line. The full-content history of the same files goes on as before.
 */
export class MemorySampler {
  private readonly buffer: SampleDoc[] = [];
  private timer?: NodeJS.Timeout;
  private transport?: Transport;
  private sending?: Promise<void>;
  private dropped = 0;
  private readonly batch: number;
  private readonly maxBuffered: number;

  constructor(private readonly o: SamplerOptions) {
    this.batch = o.batch ?? Math.max(1, Math.round(60_000 / o.intervalMs));
    this.maxBuffered = o.maxBuffered ?? Math.min(20_000, Math.ceil(86_400_000 / o.intervalMs));
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.o.intervalMs);
    this.o.log.info(`memory samples every ${this.o.intervalMs / 1000} s into ${samplesIndices(this.o.prefix)}, ${this.batch} per bulk`);
  }

  /** Stops sampling and sends what is buffered (once). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sending;
    await this.flush();
    this.transport?.close();
    this.transport = undefined;
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** One sample now; a bulk when a batch is full. */
  tick(at = new Date()): void {
    this.buffer.push(readSample(this.o.hostfs, this.o.host(), at));
    if (this.buffer.length > this.maxBuffered) {
      const excess = this.buffer.length - this.maxBuffered;
      this.buffer.splice(0, excess);
      this.dropped += excess;
      if (this.dropped === excess || this.dropped % 1000 < excess)
        this.o.log.error(
          `memory samples: cluster unreachable, ${this.dropped} oldest sample(s) dropped so far (buffer holds ${this.maxBuffered})`,
        );
    }
    if (this.buffer.length >= this.batch && !this.sending) {
      this.sending = this.flush().finally(() => (this.sending = undefined));
    }
  }

  /** Sends every buffered sample; on failure they stay buffered for the next attempt. */
  async flush(): Promise<void> {
    while (this.buffer.length) {
      const docs = this.buffer.slice(0, Math.max(this.batch, 500));
      try {
        this.transport ??= new HttpTransport(this.o.connection);
        const action = JSON.stringify({ index: { _index: samplesIndex(this.o.prefix) } });
        const items = await this.transport.bulk(
          samplePipeline(this.o.prefix),
          docs.flatMap((d) => [action, JSON.stringify(d)]),
        );
        const failed = items.filter((i) => i.error);
        if (failed.length) this.o.log.error(`memory samples: ${failed.length} refused: ${failed[0].error?.reason ?? 'unknown'}`);
      } catch (e) {
        this.o.log.warn(`memory samples: ${(e as Error).message.split('\n')[0]}; ${this.buffer.length} kept for the next attempt`);
        this.transport?.close();
        this.transport = undefined;
        return;
      }
      this.buffer.splice(0, docs.length);
    }
  }
}
