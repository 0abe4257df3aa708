import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { ConfigError, HOST_DOC_PATH, readConfigFile, type WireDoc } from '@mitra/core/dist/base';
import { decide, fingerprintOfDoc, type FileMemory } from './changes';
import { collectFile, snapshotsByPath } from './collectors/files';
import { PackageCollector } from './collectors/packages';
import { MemorySampler } from './sampler';
import { collectSysctl } from './collectors/sysctl';
import { hostDocument, withoutRefused } from './collectors/host';
import { secretGuardFor, type SecretGuard } from './secrets';
import { parseAgentConfig, type AgentConfig, type ConfigSources } from './config';
import { expandFiles, isConfigured, shippable, watchPlan } from './filelist';
import { AGENT_VERSION, hostName, resolveFqdn, type HostIdentity } from './identity';
import { Logger } from './log';
import { DEFAULT_SHIP_OPTIONS, Shipper, type ShipOptions, type ShipOutcome } from './shipper';
import { Spool, type SpoolStats } from './spool';
import { AgentState, defaultStateDir, type CycleSummary } from './state';
import { Watcher } from './watcher';
import { toWireDoc, type Snapshot } from './wire';

export interface AgentOptions {
  /** Defaults to a logger built from the config's log: section. */
  log?: Logger;
  ship?: Partial<ShipOptions>;
  /** Debounce of file events, default 300 ms. */
  debounceMs?: number;
  /** Called after every cycle (periodic, file event or resend) with its summary. */
  onCycle?: (summary: CycleSummary) => void;
  /** Bytes of documents that may wait in memory for delivery; beyond it they go to the spool. Default 16 MB. */
  queueBytes?: number;
  /** How --once waits between resends (tests record the backoff instead of sleeping). */
  sleep?: (ms: number) => Promise<void>;
  /** Replaces the bulk shipper (unit tests: a cluster that hangs or fails on cue). */
  shipper?: Pick<Shipper, 'ship' | 'close'> & Partial<Pick<Shipper, 'recall'>>;
}

export interface AgentStatus {
  host: string;
  stateDir: string;
  output: AgentConfig['output'];
  lastSuccess?: string;
  lastCycle?: CycleSummary;
  spool: SpoolStats;
}

/** One snapshot's outgoing documents and the memory to keep once they are durable. */
interface Outgoing {
  snapshot: Snapshot;
  docs: WireDoc[];
  changed: boolean;
  memory: FileMemory;
}

/**
 * The host agent: collects, detects change, ships or spools. Cycles never
 * overlap (a periodic cycle and a file event queue behind each other), and
 * state is only advanced for documents that reached Elasticsearch or the spool.
 */
export class Agent {
  readonly log: Logger;
  readonly state: AgentState;
  readonly spool: Spool;
  private readonly shipper: Pick<Shipper, 'ship' | 'close'> & Partial<Pick<Shipper, 'recall'>>;
  private readonly packages: PackageCollector;
  private readonly identity: HostIdentity;
  private readonly secrets: SecretGuard;
  private readonly sampler?: MemorySampler;
  private watcher?: Watcher;
  /** Collection runs one cycle at a time on this chain... */
  private collecting: Promise<unknown> = Promise.resolve();
  /** ...and delivery on this one, so a slow or failing cluster never holds up reading. */
  private shipping: Promise<unknown> = Promise.resolve();
  /** Bytes of documents handed to delivery and not yet shipped or spooled: the bounded queue. */
  private queuedBytes = 0;
  /** Set while the last delivery left documents in the spool: new ones go straight to the spool. */
  private down?: { error: string; retryable: boolean };
  /** What was handed to delivery per (host, path) but is not durable yet, so the next cycle compares against it. */
  private readonly pending = new Map<string, FileMemory>();
  /** Paths with no memory that the cluster was asked about in this run (recall), so it is asked once. */
  private readonly recalled = new Set<string>();
  private cycleTimer?: NodeJS.Timeout;
  private resendTimer?: NodeJS.Timeout;
  private resendDelayMs: number;
  /** The collection order (epoch ms, never going back) of the last cycle, or of the newest spool file at start. */
  private lastCollectedAt = 0;
  private running = false;
  private readonly shipOptions: ShipOptions;
  private readonly queueCapBytes: number;
  private readonly debounceMs?: number;
  private readonly onCycle?: (summary: CycleSummary) => void;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    readonly config: AgentConfig,
    options: AgentOptions = {},
  ) {
    if (config.hostfs && !existsSync(config.hostfs)) {
      throw new ConfigError(
        `hostfs ${config.hostfs} does not exist: mount the host's root there (e.g. -v /:${config.hostfs}:ro) or remove hostfs`,
      );
    }
    this.log = options.log ?? new Logger({ level: config.log.level, file: config.log.file, maxBytes: config.log.maxBytes });
    const stateDir = config.stateDir ?? defaultStateDir();
    this.state = new AgentState(stateDir);
    this.secrets = secretGuardFor(config, stateDir, (line) => this.log.warn(line));
    this.spool = new Spool(config.spool.dir ?? join(stateDir, 'spool'), config.spool.maxBytes, this.log, config.output === 'spool');
    this.shipOptions = { ...DEFAULT_SHIP_OPTIONS, ...options.ship };
    this.shipper = options.shipper ?? new Shipper(config.connection, config.prefix, this.log, this.shipOptions);
    this.resendDelayMs = this.shipOptions.backoffMs;
    this.queueCapBytes = options.queueBytes ?? DEFAULT_QUEUE_BYTES;
    this.sleep = options.sleep ?? sleep;
    this.packages = new PackageCollector(config.packages, config.hostfs);
    this.identity = { name: hostName(config.hostName) };
    this.debounceMs = options.debounceMs;
    this.onCycle = options.onCycle;
    this.spool.removeTemporaries();
    this.recoverFromSpool();
    for (const file of this.spool.files()) this.lastCollectedAt = Math.max(this.lastCollectedAt, file.collectedAt);
    this.sampler = this.memorySampler();
  }

  /** memory_interval: short-interval samples of the /proc memory files, straight to the cluster (not through the spool). */
  private memorySampler(): MemorySampler | undefined {
    const { memoryIntervalMs, output, hostfs, prefix, connection } = this.config;
    if (!memoryIntervalMs) return undefined;
    if (output === 'spool') {
      this.log.warn(
        'memory_interval needs output: elasticsearch (samples go straight to the cluster); no memory samples with output: spool',
      );
      return undefined;
    }
    return new MemorySampler({ hostfs, prefix, connection, intervalMs: memoryIntervalMs, log: this.log, host: () => this.identity.name });
  }

  /** Reads and validates a runner.yaml. */
  static fromFile(path: string, sources: Omit<ConfigSources, 'source'> = {}, options: AgentOptions = {}): Agent {
    return new Agent(parseAgentConfig(readConfigFile(path), { ...sources, source: path }), options);
  }

  get host(): HostIdentity {
    return this.identity;
  }

  /** One full cycle: every configured file, sysctl and packages. */
  runCycle(): Promise<CycleSummary> {
    return this.cycle('cycle');
  }

  /** Re-reads only the given host-visible paths (what the watcher reports). */
  runPaths(paths: string[], trigger: CycleSummary['trigger'] = 'watch'): Promise<CycleSummary> {
    return this.cycle(trigger, paths);
  }

  /**
   * `--once`: identity (FQDN bounded by its timeout), one cycle, then up to
   * `ship.retries` resends with exponential backoff while what the cluster
   * refused for now (429, 5xx, unreachable) waits in the spool.
   */
  async runOnce(): Promise<CycleSummary> {
    if (this.config.fqdn) this.identity.fqdn = await resolveFqdn(this.identity.name);
    try {
      const summary = await this.runCycle();
      for (let attempt = 0; attempt < this.shipOptions.retries && this.worthResending(summary); attempt++) {
        await this.sleep(this.shipOptions.backoffMs * 2 ** attempt);
        const resend = await this.runPaths([], 'resend');
        summary.resent += resend.resent;
        summary.rejected += resend.rejected;
        summary.error = resend.error;
      }
      return summary;
    } finally {
      await this.shipper.close();
    }
  }

  private worthResending(summary: CycleSummary): boolean {
    // No error, yet spooled: a cycle bigger than the in-memory queue goes straight to the spool, to be sent from there.
    const waiting = !summary.error || !!this.down?.retryable;
    return this.config.output === 'elasticsearch' && waiting && this.spool.files().length > 0;
  }

  /** Long-lived mode: a cycle now, then every `frequency`, plus file events in between. */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.config.fqdn) void resolveFqdn(this.identity.name).then((fqdn) => (this.identity.fqdn = fqdn));
    this.watcher = new Watcher(
      (real) => void this.runPaths(real.map((p) => p.slice(this.config.hostfs.length))).catch((e) => this.log.error(`watch: ${e}`)),
      (dir, e) =>
        this.log.debug(`watch: cannot watch ${dir} (${(e as NodeJS.ErrnoException).code ?? e.message}); the periodic cycle covers it`),
      this.debounceMs,
    );
    this.scheduleCycle(0);
    this.sampler?.start();
    this.log.info(
      `agent started: host ${this.identity.name}, every ${this.config.frequencyMs / 1000} s, output ${this.config.output}, state ${this.state.dir}`,
    );
  }

  /** Stops timers and watches, lets a running cycle finish, saves state. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.cycleTimer);
    clearTimeout(this.resendTimer);
    this.watcher?.close();
    await this.sampler?.stop();
    await this.collecting.catch(() => undefined);
    await this.shipping.catch(() => undefined);
    await this.shipper.close();
    this.saveState();
  }

  status(): AgentStatus {
    return {
      host: this.identity.name,
      stateDir: this.state.dir,
      output: this.config.output,
      lastSuccess: this.state.lastSuccess,
      lastCycle: this.state.lastCycle,
      spool: this.spool.stats(),
    };
  }

  /** Which directories the watcher currently holds (for tests and --status). */
  get watching(): string[] {
    return this.watcher?.watching ?? [];
  }

  private serial<T>(chain: 'collecting' | 'shipping', task: () => Promise<T>): Promise<T> {
    const next = this[chain].then(task, task);
    this[chain] = next.catch(() => undefined);
    return next;
  }

  private scheduleCycle(delayMs: number): void {
    this.cycleTimer = setTimeout(() => {
      void this.runCycle()
        .catch((e) => this.log.error(`cycle failed: ${(e as Error).message}`))
        .finally(() => this.running && this.scheduleCycle(this.config.frequencyMs));
    }, delayMs);
  }

  /** Collects on the collecting chain, then hands the documents over; resolves once they are shipped or spooled. */
  private async cycle(trigger: CycleSummary['trigger'], only?: string[]): Promise<CycleSummary> {
    const started = Date.now();
    // Spool files sort by collection order: it only moves forward, so a clock stepped back cannot put a newer batch before an older one.
    const order = (this.lastCollectedAt = Math.max(started, this.lastCollectedAt + 1));
    const batch = await this.serial('collecting', () => this.collect(trigger, only, started, order));
    const summary = await this.handOver(batch);
    summary.tookMs = Date.now() - started;
    this.finish(summary);
    return summary;
  }

  private async collect(trigger: CycleSummary['trigger'], only: string[] | undefined, started: number, order: number): Promise<Collected> {
    const timestamp = new Date(started).toISOString();
    const warn = (line: string) => this.log.warn(line);
    const files = only ? only.filter((p) => isConfigured(p, this.config) && shippable(p, warn)) : expandFiles(this.config, warn);
    if (!only && this.watcher) this.watcher.update(watchPlan(this.config, files));
    const { hostfs } = this.config;
    const { maxBytes, limitName } = contentLimit(this.config);
    const snapshots = snapshotsByPath(files.map((path) => collectFile(path, { hostfs, maxBytes, limitName, secrets: this.secrets })));
    if (!only) {
      snapshots.push(...(await this.virtualSnapshots()));
      // A full cycle only: the host document lists what the host sends, so a watched file alone must not rewrite it.
      snapshots.push(hostDocument(snapshots));
    }
    await this.recall(snapshots);
    const outgoing = snapshots.map((s) => this.prepare(s, timestamp));
    return { outgoing, summary: newSummary(outgoing, trigger, timestamp), started: order };
  }

  /**
   * The bounded queue between collection and shipping: documents wait in
   * memory for the shipping chain only while the cluster is answering and the
   * queue has room; otherwise they are spooled at once (durable, and reading
   * goes on). The spool keeps collection order, since its files are named by
   * collection time.
   */
  private async handOver(batch: Collected): Promise<CycleSummary> {
    const { outgoing, summary } = batch;
    const docs = outgoing.flatMap((o) => o.docs);
    const bytes = docs.reduce((n, d) => n + approximateBytes(d), 0);
    if (this.config.output === 'spool' || (docs.length && this.mustSpoolNow(bytes))) {
      const failed = this.toSpool(docs, summary, batch.started);
      if (this.down && this.config.output === 'elasticsearch') summary.error ??= this.down.error;
      this.settle(outgoing, failed);
      return summary;
    }
    this.queuedBytes += bytes;
    try {
      return await this.serial('shipping', () => this.deliver(batch, docs));
    } finally {
      this.queuedBytes -= bytes;
    }
  }

  private async virtualSnapshots(): Promise<Snapshot[]> {
    const out: Snapshot[] = [];
    const sysctl = collectSysctl(this.config.sysctl, this.config.hostfs, (key, why) => this.log.debug(`sysctl: skipped ${key} (${why})`));
    if (sysctl) out.push(sysctl);
    const packages = await this.packages.collect();
    if (packages) out.push(packages);
    return out;
  }

  /**
   * A path this agent has no memory of may still be in the cluster (state directory lost, agent reinstalled):
   * what the cluster holds becomes the memory, once per path and run. Without it, every file went out as a new
   * version that closed nothing, so the version already there stayed in force too (search --at answered both).
   */
  private async recall(snapshots: Snapshot[]): Promise<void> {
    if (this.config.output !== 'elasticsearch' || !this.shipper.recall || this.down) return;
    const host = this.identity.name;
    const unknown = snapshots
      .map((s) => s.path)
      .filter((path) => {
        const key = AgentState.key(host, path);
        return !this.recalled.has(key) && !this.pending.has(key) && !this.state.memory(host, path);
      });
    if (!unknown.length) return;
    for (const path of unknown) this.recalled.add(AgentState.key(host, path));
    for (const [path, memory] of await this.shipper.recall(host, unknown)) this.state.remember(host, path, memory);
  }

  /** Change detection: a changed snapshot goes out twice (current + history), an unchanged one once. */
  private prepare(snapshot: Snapshot, timestamp: string): Outgoing {
    const key = AgentState.key(this.identity.name, snapshot.path);
    const previous = this.pending.get(key) ?? this.state.memory(this.identity.name, snapshot.path);
    const decision = decide(snapshot, previous, timestamp);
    if (decision.changed) this.pending.set(key, decision.memory);
    const ctx = {
      host: { ...this.identity },
      timestamp,
      tags: this.config.tags,
      agentVersion: AGENT_VERSION,
      // Filebeat ships the spool: this agent never sees a refusal, so cannot keep the host document to what the cluster holds.
      confirmsHostDoc: this.config.output === 'elasticsearch',
    };
    const docs = [toWireDoc(snapshot, ctx, 'current', decision.changedAt)];
    if (decision.changed) docs.push(toWireDoc(snapshot, ctx, 'history', decision.changedAt, previous?.changedAt));
    if (snapshot.state !== 'present') {
      const line = `${snapshot.path}: ${snapshot.state}${snapshot.reason ? ` (${snapshot.reason})` : ''}`;
      if (decision.changed) this.log.warn(line);
      else this.log.debug(line);
    }
    return { snapshot, docs, changed: decision.changed, memory: decision.memory };
  }

  /** Long-lived, with the cluster known to be away (the resend timer probes it), or the queue full. */
  private mustSpoolNow(bytes: number): boolean {
    return (this.running && this.down !== undefined) || this.queuedBytes + bytes > this.queueCapBytes;
  }

  private async deliver(batch: Collected, docs: WireDoc[]): Promise<CycleSummary> {
    const { outgoing, summary } = batch;
    let failed = new Set<WireDoc>();
    // Only what was collected before this batch goes first; later spool files follow it (collection order).
    const drained = await this.resend(summary, batch.started);
    const outcome: ShipOutcome = drained
      ? await this.shipper.ship(docs)
      : { shipped: 0, rejected: 0, rejectedDocs: [], unsent: docs, error: this.down?.error, retryable: this.down?.retryable };
    summary.shipped = outcome.shipped;
    summary.rejected += outcome.rejected;
    if (outcome.error) summary.error = outcome.error;
    if (outcome.unsent.length) {
      // Spooled before any retry: a kill -9 while the cluster is away loses nothing.
      failed = this.toSpool(outcome.unsent, summary, batch.started);
      this.down = { error: outcome.error ?? 'not delivered', retryable: outcome.retryable ?? true };
    } else if (drained) {
      this.down = undefined;
    }
    for (const d of outcome.rejectedDocs) failed.add(d);
    await this.shipHostDocWithoutRefused(docs, outcome.rejectedDocs, summary, batch.started);
    this.settle(outgoing, failed);
    return summary;
  }

  /** The host document shipped with documents the cluster refused goes again without their paths (withoutRefused). */
  private async shipHostDocWithoutRefused(
    shipped: WireDoc[],
    refused: WireDoc[],
    summary: CycleSummary,
    collectedAt: number,
  ): Promise<void> {
    const corrected = withoutRefused(shipped, refused);
    if (!corrected.length) return;
    this.log.warn(`host document: shipped again without the path(s) the cluster refused, so host questions do not count on them`);
    const outcome = await this.shipper.ship(corrected);
    summary.shipped += outcome.shipped;
    summary.rejected += outcome.rejected;
    this.toSpool(outcome.unsent, summary, collectedAt);
  }

  /** Advances the memory of what is durable; what failed is forgotten as pending, so the next cycle sends it again. */
  private settle(outgoing: Outgoing[], failed: Set<WireDoc>): void {
    for (const o of outgoing) {
      if (!o.changed) continue;
      const key = AgentState.key(this.identity.name, o.snapshot.path);
      if (this.pending.get(key) === o.memory) this.pending.delete(key);
      if (o.docs.some((d) => failed.has(d))) continue;
      const known = this.state.memory(this.identity.name, o.snapshot.path);
      if (!known || known.changedAt <= o.memory.changedAt) this.state.remember(this.identity.name, o.snapshot.path, o.memory);
    }
  }

  /** Spools documents; returns the ones that could not be written (disk full…), which stay undelivered. */
  private toSpool(docs: WireDoc[], summary: CycleSummary, collectedAt: number): Set<WireDoc> {
    if (!docs.length) return new Set();
    try {
      this.spool.write(docs, collectedAt);
      summary.spooled += docs.length;
      return new Set();
    } catch (e) {
      const message = `spool: cannot write to ${this.spool.dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): ${docs.length} snapshot(s) not saved; they are collected again next cycle`;
      this.log.error(message);
      summary.error = message;
      return new Set(docs);
    }
  }

  /** Sends spooled files, oldest first (those collected up to `until`, epoch ms); true when all of them went. */
  private async resend(summary: CycleSummary, until = Infinity): Promise<boolean> {
    for (const file of this.spool.files()) {
      if (file.collectedAt > until) break;
      const docs = this.readSpoolFile(file.name);
      if (!docs) {
        // Kept, not skipped: later files wait behind it (collection order), and new documents go to the spool meanwhile.
        summary.error = `spool: cannot read ${join(this.spool.dir, file.name)}: make it readable by the agent's user, or remove it`;
        this.down = { error: summary.error, retryable: false };
        return false;
      }
      const outcome = await this.shipper.ship(docs);
      summary.resent += outcome.shipped;
      summary.rejected += outcome.rejected;
      await this.shipHostDocWithoutRefused(docs, outcome.rejectedDocs, summary, file.collectedAt);
      if (outcome.unsent.length && outcome.shipped + outcome.rejected) {
        // Part of the file went (429 on some items): keep only the rest, so nothing is sent twice without need.
        this.spool.replace(file.name, outcome.unsent);
      }
      if (outcome.unsent.length) {
        summary.error = outcome.error;
        this.down = { error: outcome.error ?? 'not delivered', retryable: outcome.retryable ?? true };
        return false;
      }
      this.spool.remove(file.name);
      this.log.info(`spool: resent ${file.name} (${docs.length} snapshot(s))`);
    }
    return true;
  }

  private finish(summary: CycleSummary): void {
    const ok = isSuccess(summary, this.config.output) && this.spoolEmptyOrOwnedByFilebeat();
    this.state.recordCycle(summary, ok);
    this.saveState();
    // A resend attempt that moved nothing is only interesting when debugging.
    const quiet = summary.trigger === 'resend' && !summary.resent;
    (quiet ? this.log.debug : this.log.info)(describe(summary));
    if (summary.error) (quiet ? this.log.debug : this.log.warn)(`ship: ${summary.error}`);
    this.scheduleResend();
    this.onCycle?.(summary);
  }

  /** Saves state.json; a state directory that cannot be written is logged, never thrown (also when stopping). */
  private saveState(): void {
    try {
      this.state.save();
    } catch (e) {
      this.log.error(
        `state: cannot save ${this.state.dir}/state.json (${(e as NodeJS.ErrnoException).code}): changes may be re-sent after a restart`,
      );
    }
  }

  private spoolEmptyOrOwnedByFilebeat(): boolean {
    return this.config.output === 'spool' || this.spool.files().length === 0;
  }

  /** While the spool holds documents, try again sooner than the next cycle, backing off up to `frequency`. */
  private scheduleResend(): void {
    if (!this.running || this.config.output === 'spool' || !this.spool.files().length) {
      clearTimeout(this.resendTimer);
      this.resendTimer = undefined;
      this.resendDelayMs = this.shipOptions.backoffMs;
      return;
    }
    // An armed timer stays armed: cycles finishing every 200 ms during an outage must not push the probe back forever.
    if (this.resendTimer) return;
    const cap = Math.min(this.config.frequencyMs, MAX_RESEND_DELAY_MS);
    const delay = Math.min(this.resendDelayMs, cap);
    this.resendDelayMs = Math.min(this.resendDelayMs * 2, cap);
    this.resendTimer = setTimeout(() => {
      this.resendTimer = undefined;
      void this.runPaths([], 'resend').catch(() => undefined);
    }, delay);
  }

  /** A spool file's documents, or undefined (logged) when it cannot be read (permissions, not a file). */
  private readSpoolFile(name: string): WireDoc[] | undefined {
    try {
      return this.spool.read(name);
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      this.log.error(`spool: cannot read ${join(this.spool.dir, name)} (${why}): make it readable by the agent's user, or remove it`);
      return undefined;
    }
  }

  /**
   * After a crash, the spool may hold changes the state file never recorded
   * (killed between the spool write and the state save). Adopting them keeps
   * a restart from sending the same change again as a second history document.
   */
  private recoverFromSpool(): void {
    for (const file of this.spool.files()) {
      for (const doc of this.readSpoolFile(file.name) ?? []) {
        if (doc.mitra?.target !== 'current' || !doc.mitra.changed_at) continue;
        const known = this.state.memory(doc.host.name, doc.file.path);
        if (known && known.changedAt >= doc.mitra.changed_at) continue;
        this.state.remember(doc.host.name, doc.file.path, { fingerprint: fingerprintOfDoc(doc), changedAt: doc.mitra.changed_at });
      }
    }
  }
}

interface Collected {
  outgoing: Outgoing[];
  summary: CycleSummary;
  /** Collection order (epoch ms, never going back): the spool file's name, so the spool stays in collection order. */
  started: number;
}

/** Documents that may wait in memory for delivery before new ones go straight to the spool. */
export const DEFAULT_QUEUE_BYTES = 16 * 1024 * 1024;
/** While the spool holds documents, the cluster is tried at least this often (backoff from ship.backoffMs). */
const MAX_RESEND_DELAY_MS = 60_000;

/** The content limit: the smaller of indexer.maxsize and the hard ceiling indexer.max_content_mb, named for messages. */
export function contentLimit(config: Pick<AgentConfig, 'maxFileBytes' | 'maxContentBytes'>): { maxBytes: number; limitName: string } {
  if (config.maxFileBytes <= config.maxContentBytes) return { maxBytes: config.maxFileBytes, limitName: 'maxsize' };
  return { maxBytes: config.maxContentBytes, limitName: 'max_content_mb' };
}

const approximateBytes = (d: WireDoc): number => (d.mitra.content?.length ?? 0) + 512;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** read, skipped, bytes and changed are about what was read from the host; shipped, spooled, resent and rejected count documents (the host document's too). */
function newSummary(outgoing: Outgoing[], trigger: CycleSummary['trigger'], at: string): CycleSummary {
  const read = outgoing.filter((o) => o.snapshot.path !== HOST_DOC_PATH);
  const present = read.filter((o) => o.snapshot.state === 'present');
  return {
    at,
    trigger,
    read: present.length,
    skipped: read
      .filter((o) => o.snapshot.state !== 'present')
      .map(({ snapshot: s }) => ({ path: s.path, state: s.state, ...(s.reason ? { reason: s.reason } : {}) })),
    bytes: present.reduce((n, o) => n + (o.snapshot.stat?.size ?? 0), 0),
    changed: read.filter((o) => o.changed).length,
    shipped: 0,
    spooled: 0,
    resent: 0,
    rejected: 0,
    tookMs: 0,
  };
}

/** Everything reached its output: the cluster (or, with output: spool, the spool). */
export function isSuccess(s: CycleSummary, output: AgentConfig['output']): boolean {
  if (s.error || s.rejected) return false;
  return output === 'spool' || s.spooled === 0;
}

export function describe(s: CycleSummary): string {
  const skipped = s.skipped.length ? ` (${s.skipped.map((k) => `${k.state}: ${k.path}`).join(', ')})` : '';
  return (
    `${s.trigger}: ${s.read} read, ${s.skipped.length} skipped${skipped}, ${s.bytes} bytes, ${s.changed} changed, ` +
    `${s.shipped} shipped, ${s.resent} resent, ${s.spooled} spooled, ${s.rejected} rejected, took ${s.tookMs} ms`
  );
}
