import { watch, type FSWatcher } from 'node:fs';
import { posix } from 'node:path';

export const DEBOUNCE_MS = 300;
/** Under a constant stream of events, fire at least this often. */
const MAX_WAIT_MS = 2000;

/**
 * Watches the directories of regular files (inotify through fs.watch: no
 * polling) and reports which watched names changed, debounced so an editor's
 * write-rename-chmod burst becomes one report. Directories, not files, are
 * watched so replaced files (new inode) and files created later are seen.
 */
export class Watcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private wanted = new Map<string, (name: string) => boolean>();
  private pending = new Set<string>();
  private timer?: NodeJS.Timeout;
  private firstPendingAt = 0;

  constructor(
    private readonly onChange: (paths: string[]) => void,
    private readonly onError: (dir: string, e: Error) => void,
    private readonly debounceMs = DEBOUNCE_MS,
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
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private add(dir: string): void {
    try {
      const w = watch(dir, { persistent: true }, (_event, name) => this.event(dir, name?.toString()));
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
    if (!this.pending.size) this.firstPendingAt = Date.now();
    this.pending.add(posix.join(dir, name));
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.debounceMs, this.firstPendingAt + MAX_WAIT_MS - Date.now()));
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    const paths = [...this.pending].sort();
    this.pending.clear();
    if (paths.length) this.onChange(paths);
  }
}
