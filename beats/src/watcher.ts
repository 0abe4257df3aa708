import { watch } from 'node:fs';
import { posix } from 'node:path';
import { systemClock, type Clock } from './clock';

/** fs.watch as the watcher uses it (tests pass their own, which fires events on cue). */
export type WatchDir = (dir: string, onEvent: (name: string | undefined) => void) => DirWatch;
export interface DirWatch {
  on(event: 'error', listener: (e: Error) => void): unknown;
  close(): void;
}

const watchDir: WatchDir = (dir, onEvent) => watch(dir, { persistent: true }, (_event, name) => onEvent(name?.toString()));

export const DEBOUNCE_MS = 300;
/** Under a constant stream of events, fire at least this often. */
const MAX_WAIT_MS = 2000;

/**
 * Watches the directories of regular files (inotify through fs.watch: no
 * polling) and reports which watched names changed, debounced per path so an
 * editor's write-rename-chmod burst becomes one report, while a busy file next
 * to it does not delay (and so hide versions of) this one. Directories, not
 * files, are watched so replaced files (new inode) and files created later are seen.
 */
export class Watcher {
  private readonly watchers = new Map<string, DirWatch>();
  private wanted = new Map<string, (name: string) => boolean>();
  /** Per path: its debounce timer and when its burst began. */
  private pending = new Map<string, { timer: unknown; since: number }>();
  /** Paths whose debounce ended, reported together at the next tick. */
  private ready = new Set<string>();
  private flushScheduled = false;

  constructor(
    private readonly onChange: (paths: string[]) => void,
    private readonly onError: (dir: string, e: Error) => void,
    private readonly debounceMs = DEBOUNCE_MS,
    private readonly clock: Clock = systemClock,
    private readonly watchFn: WatchDir = watchDir,
  ) {}

  /**
   * Sets what to watch: for each directory (a real path, hostfs included), a
   * test of the names in it that matter. Directories no longer wanted are unwatched.
   */
  update(dirs: Map<string, (name: string) => boolean>): void {
    this.wanted = dirs;
    for (const [dir, w] of this.watchers) {
      if (dirs.has(dir)) continue;
      w.close();
      this.watchers.delete(dir);
    }
    for (const dir of dirs.keys()) {
      if (!this.watchers.has(dir)) this.add(dir);
    }
  }

  get watching(): string[] {
    return [...this.watchers.keys()];
  }

  close(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    for (const p of this.pending.values()) this.clock.clearTimeout(p.timer);
    this.pending.clear();
    this.ready.clear();
  }

  private add(dir: string): void {
    try {
      const w = this.watchFn(dir, (name) => this.event(dir, name));
      w.on('error', (e) => {
        this.watchers.delete(dir);
        this.onError(dir, e);
      });
      this.watchers.set(dir, w);
    } catch (e) {
      // Directory absent or not watchable: the periodic cycle still covers its files.
      this.onError(dir, e as Error);
    }
  }

  private event(dir: string, name: string | undefined): void {
    if (!name || !this.wanted.get(dir)?.(name)) return;
    const path = posix.join(dir, name);
    const now = this.clock.now();
    const previous = this.pending.get(path);
    if (previous) this.clock.clearTimeout(previous.timer);
    const since = previous?.since ?? now;
    const wait = Math.max(0, Math.min(this.debounceMs, since + MAX_WAIT_MS - now));
    this.pending.set(path, { since, timer: this.clock.setTimeout(() => this.settle(path), wait) });
  }

  private settle(path: string): void {
    this.pending.delete(path);
    this.ready.add(path);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Paths settling at the same instant are reported together.
    this.clock.setTimeout(() => this.flush(), 0);
  }

  private flush(): void {
    this.flushScheduled = false;
    const paths = [...this.ready].sort();
    this.ready.clear();
    if (paths.length) this.onChange(paths);
  }
}
