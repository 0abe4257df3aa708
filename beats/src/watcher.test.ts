import type { Clock } from './clock';
import { Watcher, type DirWatch, type WatchDir } from './watcher';

/** A clock a test moves by hand: timers fire in time order when `advance` passes them. */
class FakeClock implements Clock {
  private t = 1_000_000;
  private seq = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  now = (): number => this.t;
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (handle: unknown): void => void this.timers.delete(handle as number);
  get pending(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].fn();
    }
    this.t = end;
  }
}

/** fs.watch stand-in: directories a test fires events into, or makes fail. */
class FakeWatches {
  readonly open = new Map<string, { onEvent: (name: string | undefined) => void; onError?: (e: Error) => void }>();
  readonly missing = new Set<string>();
  watch: WatchDir = (dir, onEvent) => {
    if (this.missing.has(dir)) throw Object.assign(new Error(`ENOENT: no such file or directory, watch '${dir}'`), { code: 'ENOENT' });
    const entry: { onEvent: typeof onEvent; onError?: (e: Error) => void } = { onEvent };
    this.open.set(dir, entry);
    const handle: DirWatch = {
      on: (_event, listener) => (entry.onError = listener),
      close: () => this.open.delete(dir),
    };
    return handle;
  };
  fire(dir: string, name: string | undefined): void {
    this.open.get(dir)?.onEvent(name);
  }
}

function setup(debounceMs = 300) {
  const clock = new FakeClock();
  const fs = new FakeWatches();
  const reports: string[][] = [];
  const errors: string[] = [];
  const watcher = new Watcher(
    (paths) => reports.push(paths),
    (dir, e) => errors.push(`${dir}: ${e.message}`),
    debounceMs,
    clock,
    fs.watch,
  );
  watcher.update(new Map([['/etc', (name: string) => name === 'hosts' || name === 'resolv.conf']]));
  return { clock, fs, reports, errors, watcher };
}

describe('Watcher (injected clock and fs.watch)', () => {
  it('an editor burst (write, rename, chmod) on one file is one report after the debounce', () => {
    const { clock, fs, reports } = setup();
    fs.fire('/etc', 'hosts');
    clock.advance(100);
    fs.fire('/etc', 'hosts');
    clock.advance(100);
    fs.fire('/etc', 'hosts');
    clock.advance(299);
    expect(reports).toEqual([]);
    clock.advance(1);
    expect(reports).toEqual([['/etc/hosts']]);
  });

  it('names nobody asked for, and events without a name, are ignored', () => {
    const { clock, fs, reports } = setup();
    fs.fire('/etc', 'passwd');
    fs.fire('/etc', undefined);
    clock.advance(10_000);
    expect(reports).toEqual([]);
  });

  it('under constant writes a file is still reported at least every 2 s', () => {
    const { clock, fs, reports } = setup();
    for (let i = 0; i < 50; i++) {
      fs.fire('/etc', 'hosts');
      clock.advance(100);
    }
    // 5 s of writes every 100 ms: reported at 2 s and 4 s, not only once the writes stop.
    expect(reports).toEqual([['/etc/hosts'], ['/etc/hosts']]);
    clock.advance(300);
    expect(reports).toHaveLength(3);
  });

  it('a busy neighbour does not delay another file; files settling together are one report', () => {
    const { clock, fs, reports } = setup();
    fs.fire('/etc', 'resolv.conf');
    for (let i = 0; i < 5; i++) {
      fs.fire('/etc', 'hosts');
      clock.advance(100);
    }
    expect(reports).toEqual([['/etc/resolv.conf']]);
    clock.advance(300);
    expect(reports).toEqual([['/etc/resolv.conf'], ['/etc/hosts']]);
    fs.fire('/etc', 'resolv.conf');
    fs.fire('/etc', 'hosts');
    clock.advance(300);
    expect(reports[2]).toEqual(['/etc/hosts', '/etc/resolv.conf']);
  });

  it('idle, nothing is scheduled: no timer fires without an event', () => {
    const { clock, fs } = setup();
    expect(clock.pending).toBe(0);
    fs.fire('/etc', 'hosts');
    clock.advance(1000);
    expect(clock.pending).toBe(0);
  });

  it('an unwatchable directory is reported, not thrown; update() drops directories no longer wanted', () => {
    const { fs, errors, watcher } = setup();
    fs.missing.add('/opt/app');
    watcher.update(new Map([['/opt/app', () => true]]));
    expect(errors).toEqual(["/opt/app: ENOENT: no such file or directory, watch '/opt/app'"]);
    expect(watcher.watching).toEqual([]);
    expect(fs.open.has('/etc')).toBe(false);
  });

  it('close() cancels pending reports', () => {
    const { clock, fs, reports, watcher } = setup();
    fs.fire('/etc', 'hosts');
    watcher.close();
    clock.advance(10_000);
    expect(reports).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});
