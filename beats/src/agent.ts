import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { ConfigError, readConfigFile } from '@mitra/core';
import { decide, fingerprintOfDoc, type FileMemory } from './changes';
import { collectFile } from './collectors/files';
import { PackageCollector } from './collectors/packages';
import { MemorySampler } from './sampler';
import { collectSysctl } from './collectors/sysctl';
import { secretGuardFor, type SecretGuard } from './secrets';
import { parseAgentConfig, type AgentConfig, type ConfigSources } from './config';
import { expandFiles, isConfigured, watchPlan } from './filelist';
import { AGENT_VERSION, hostName, resolveFqdn, type HostIdentity } from './identity';
import { Logger } from './log';
import { DEFAULT_SHIP_OPTIONS, Shipper, type ShipOptions } from './shipper';
import { Spool, type SpoolStats } from './spool';
import { AgentState, defaultStateDir, type CycleSummary } from './state';
import { Watcher } from './watcher';
import { toWireDoc, type Snapshot, type WireDoc } from './wire';

export interface AgentOptions {
  /** Defaults to a logger built from the config's log: section. */
  log?: Logger;
  ship?: Partial<ShipOptions>;
  /** Debounce of file events, default 300 ms. */
  debounceMs?: number;
  /** Called after every cycle (periodic, file event or resend) with its summary. */
  onCycle?: (summary: CycleSummary) => void;
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
  private readonly shipper: Shipper;
  private readonly packages: PackageCollector;
  private readonly identity: HostIdentity;
  private readonly secrets: SecretGuard;
  private readonly sampler?: MemorySampler;
  private watcher?: Watcher;
  private queue: Promise<unknown> = Promise.resolve();
  private cycleTimer?: NodeJS.Timeout;
  private resendTimer?: NodeJS.Timeout;
  private resendDelayMs = 5000;
  private running = false;
  private readonly debounceMs?: number;
  private readonly onCycle?: (summary: CycleSummary) => void;

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
    this.shipper = new Shipper(config.connection, config.prefix, this.log, { ...DEFAULT_SHIP_OPTIONS, ...options.ship });
    this.packages = new PackageCollector(config.packages, config.hostfs);
    this.identity = { name: hostName(config.hostName) };
    this.debounceMs = options.debounceMs;
    this.onCycle = options.onCycle;
    this.spool.removeTemporaries();
    this.recoverFromSpool();
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
    return this.serial(() => this.cycle('cycle'));
  }

  /** Re-reads only the given host-visible paths (what the watcher reports). */
  runPaths(paths: string[], trigger: CycleSummary['trigger'] = 'watch'): Promise<CycleSummary> {
    return this.serial(() => this.cycle(trigger, paths));
  }

  /** `--once`: identity (FQDN bounded by its timeout), one cycle, then close. */
  async runOnce(): Promise<CycleSummary> {
    if (this.config.fqdn) this.identity.fqdn = await resolveFqdn(this.identity.name);
    try {
      return await this.runCycle();
    } finally {
      await this.shipper.close();
    }
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
    await this.queue.catch(() => undefined);
    await this.shipper.close();
    this.state.save();
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

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private scheduleCycle(delayMs: number): void {
    this.cycleTimer = setTimeout(() => {
      void this.runCycle()
        .catch((e) => this.log.error(`cycle failed: ${(e as Error).message}`))
        .finally(() => this.running && this.scheduleCycle(this.config.frequencyMs));
    }, delayMs);
  }

  private async cycle(trigger: CycleSummary['trigger'], only?: string[]): Promise<CycleSummary> {
    const started = Date.now();
    const timestamp = new Date(started).toISOString();
    const files = only ? only.filter((p) => isConfigured(p, this.config)) : expandFiles(this.config);
    if (!only && this.watcher) this.watcher.update(watchPlan(this.config, files));
    const { hostfs, maxFileBytes: maxBytes } = this.config;
    const snapshots = files.map((path) => collectFile(path, { hostfs, maxBytes, secrets: this.secrets }));
    if (!only) snapshots.push(...(await this.virtualSnapshots()));
    const outgoing = snapshots.map((s) => this.prepare(s, timestamp));
    const summary = await this.deliver(outgoing, trigger, timestamp);
    summary.tookMs = Date.now() - started;
    this.finish(summary);
    return summary;
  }

  private async virtualSnapshots(): Promise<Snapshot[]> {
    const out: Snapshot[] = [];
    const sysctl = collectSysctl(this.config.sysctl, this.config.hostfs, (key, why) => this.log.debug(`sysctl: skipped ${key} (${why})`));
    if (sysctl) out.push(sysctl);
    const packages = await this.packages.collect();
    if (packages) out.push(packages);
    return out;
  }

  /** Change detection: a changed snapshot goes out twice (current + history), an unchanged one once. */
  private prepare(snapshot: Snapshot, timestamp: string): Outgoing {
    const decision = decide(snapshot, this.state.memory(this.identity.name, snapshot.path), timestamp);
    const ctx = { host: { ...this.identity }, timestamp, tags: this.config.tags, agentVersion: AGENT_VERSION };
    const docs = [toWireDoc(snapshot, ctx, 'current', decision.changedAt)];
    if (decision.changed) docs.push(toWireDoc(snapshot, ctx, 'history', decision.changedAt));
    if (snapshot.state !== 'present') {
      const line = `${snapshot.path}: ${snapshot.state}${snapshot.reason ? ` (${snapshot.reason})` : ''}`;
      if (decision.changed) this.log.warn(line);
      else this.log.debug(line);
    }
    return { snapshot, docs, changed: decision.changed, memory: decision.memory };
  }

  private async deliver(outgoing: Outgoing[], trigger: CycleSummary['trigger'], at: string): Promise<CycleSummary> {
    const docs = outgoing.flatMap((o) => o.docs);
    const summary = newSummary(outgoing, trigger, at);
    let failed = new Set<WireDoc>();
    if (this.config.output === 'spool') {
      failed = this.toSpool(docs, summary);
    } else {
      const drained = await this.resend(summary);
      const outcome = drained ? await this.shipper.ship(docs) : { shipped: 0, rejected: 0, rejectedDocs: [], unsent: docs };
      summary.shipped = outcome.shipped;
      summary.rejected = outcome.rejected;
      if (outcome.error) summary.error = outcome.error;
      if (outcome.unsent.length) failed = this.toSpool(outcome.unsent, summary);
      for (const d of outcome.rejectedDocs) failed.add(d);
    }
    for (const o of outgoing) {
      if (o.changed && !o.docs.some((d) => failed.has(d))) this.state.remember(this.identity.name, o.snapshot.path, o.memory);
    }
    return summary;
  }

  /** Spools documents; returns the ones that could not be written (disk full…), which stay undelivered. */
  private toSpool(docs: WireDoc[], summary: CycleSummary): Set<WireDoc> {
    if (!docs.length) return new Set();
    try {
      this.spool.write(docs);
      summary.spooled += docs.length;
      return new Set();
    } catch (e) {
      const message = `spool: cannot write to ${this.spool.dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): ${docs.length} snapshot(s) not saved; they are collected again next cycle`;
      this.log.error(message);
      summary.error = message;
      return new Set(docs);
    }
  }

  /** Sends spooled files, oldest first; true when the spool is empty afterwards. */
  private async resend(summary: CycleSummary): Promise<boolean> {
    for (const file of this.spool.files()) {
      const docs = this.spool.read(file.name);
      const outcome = await this.shipper.ship(docs);
      summary.resent += outcome.shipped;
      summary.rejected += outcome.rejected;
      if (outcome.unsent.length) {
        summary.error = outcome.error;
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
    try {
      this.state.save();
    } catch (e) {
      this.log.error(
        `state: cannot save ${this.state.dir}/state.json (${(e as NodeJS.ErrnoException).code}): changes may be re-sent after a restart`,
      );
    }
    // A resend attempt that moved nothing is only interesting when debugging.
    const quiet = summary.trigger === 'resend' && !summary.resent;
    (quiet ? this.log.debug : this.log.info)(describe(summary));
    if (summary.error) (quiet ? this.log.debug : this.log.warn)(`ship: ${summary.error}`);
    this.scheduleResend();
    this.onCycle?.(summary);
  }

  private spoolEmptyOrOwnedByFilebeat(): boolean {
    return this.config.output === 'spool' || this.spool.files().length === 0;
  }

  /** While the spool holds documents, try again sooner than the next cycle, backing off up to `frequency`. */
  private scheduleResend(): void {
    clearTimeout(this.resendTimer);
    if (!this.running || this.config.output === 'spool' || !this.spool.files().length) {
      this.resendDelayMs = 5000;
      return;
    }
    const delay = Math.min(this.resendDelayMs, this.config.frequencyMs);
    this.resendDelayMs = Math.min(this.resendDelayMs * 2, this.config.frequencyMs);
    this.resendTimer = setTimeout(() => void this.runPaths([], 'resend').catch(() => undefined), delay);
  }

  /**
   * After a crash, the spool may hold changes the state file never recorded
   * (killed between the spool write and the state save). Adopting them keeps
   * a restart from sending the same change again as a second history document.
   */
  private recoverFromSpool(): void {
    for (const file of this.spool.files()) {
      for (const doc of this.spool.read(file.name)) {
        if (doc.mitra?.target !== 'current' || !doc.mitra.changed_at) continue;
        const known = this.state.memory(doc.host.name, doc.file.path);
        if (known && known.changedAt >= doc.mitra.changed_at) continue;
        this.state.remember(doc.host.name, doc.file.path, { fingerprint: fingerprintOfDoc(doc), changedAt: doc.mitra.changed_at });
      }
    }
  }
}

function newSummary(outgoing: Outgoing[], trigger: CycleSummary['trigger'], at: string): CycleSummary {
  const present = outgoing.filter((o) => o.snapshot.state === 'present');
  return {
    at,
    trigger,
    read: present.length,
    skipped: outgoing
      .filter((o) => o.snapshot.state !== 'present')
      .map(({ snapshot: s }) => ({ path: s.path, state: s.state, ...(s.reason ? { reason: s.reason } : {}) })),
    bytes: present.reduce((n, o) => n + (o.snapshot.stat?.size ?? 0), 0),
    changed: outgoing.filter((o) => o.changed).length,
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
