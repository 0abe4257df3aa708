import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyDocs, runMitra, writeAtomically, type Run } from './agent-helpers';
import { startProxy } from './agent-proxy';
import type { TestCluster } from './support/cluster';

/**
 * The outage scenario shared by test/src/agent-outage.test.ts (which asserts on
 * it) and bench/src/agent.ts (which records its figures): a real `mitra agent`
 * process behind a loopback proxy to the real engine; files replaced every
 * `intervalMs`; the proxy closed for `outageMs` (the engine keeps running for
 * everyone else); the agent killed with -9 in the middle of the outage and
 * started again; then every distinct content written is looked up in history.
 */
export interface OutageOptions {
  dir: string;
  host: string;
  /**
   * Files written round robin, one every intervalMs: with 10 files each one
   * changes every 2 s, which leaves room for the event-loop and scheduler stalls
   * of a loaded machine (over 1 s seen on 2 shared cores) between its versions.
   */
  files?: number;
  intervalMs?: number;
  beforeMs?: number;
  outageMs?: number;
  /** When, into the outage, the agent is killed with -9 (and restarted). */
  killAfterMs?: number;
  afterMs?: number;
  /** How long to wait for history to catch up once the cluster is back. */
  settleMs?: number;
}

export interface OutageResult {
  /** Every content written, per file, in order. */
  written: Map<string, string[]>;
  /** History contents per file, oldest first (duplicates included). */
  history: Map<string, string[]>;
  writes: number;
  seen: number;
  duplicates: number;
  missing: string[];
  /** Lines of both agents' stderr that report dropped snapshots. */
  drops: string[];
  /** Peak RSS (MiB) of the agent process before and after the kill. */
  peakRssMiB: number[];
  killed: Run;
  /** Whether the restarted agent was still running when the scenario ended (it should be). */
  aliveAtEnd: boolean;
  /** Its last stderr lines, for a failure's message. */
  lastStderr: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runOutageScenario(cluster: TestCluster, options: OutageOptions): Promise<OutageResult> {
  const { dir, host, files = 10, intervalMs = 200, beforeMs = 3000, outageMs = 30_000, afterMs = 3000, settleMs = 180_000 } = options;
  const killAfterMs = options.killAfterMs ?? outageMs / 2;
  const proxy = await startProxy(cluster.url);
  const paths = Array.from({ length: files }, (_, i) => join(dir, `f${i}.conf`));
  const written = new Map(paths.map((p) => [p, [] as string[]]));
  let n = 0;
  const write = (path: string) => {
    const text = `${path.slice(dir.length + 1)} change ${n++}\n`;
    writeAtomically(path, text);
    written.get(path)!.push(text);
  };
  paths.forEach(write);
  const config = join(dir, 'runner.yaml');
  writeFileSync(
    config,
    `log: {file: ${dir}/agent.log, maxsize: 10, level: info}
indexer: {prefix: ${cluster.prefix}}
elasticsearch: {url: '${proxy.url}'}
files: [${paths.join(', ')}]
frequency: 300
host_name: ${host}
packages: off
sysctl: off
`,
  );
  // Wrapped: an async function would unwrap the returned run (a promise) instead of handing it over.
  const start = async (): Promise<{ run: ReturnType<typeof runMitra> }> => {
    const run = runMitra(['agent', '-c', config, '--state-dir', join(dir, 'state')]);
    let stderr = '';
    run.child.stderr?.on('data', (d) => (stderr += d));
    await until(() => /cycle: /.test(stderr), 60_000, run.child);
    return { run };
  };
  const rss: number[] = [];
  let agent = (await start()).run;
  const sample = setInterval(() => (rss[rss.length - 1] = Math.max(rss[rss.length - 1] ?? 0, peakRss(agent.child.pid))), 500);
  rss.push(0);
  // The writer: one file replaced every intervalMs, round robin, paused while no agent runs.
  let writing = true;
  let paused = false;
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      if (!paused) write(paths[i % paths.length]);
      await sleep(intervalMs);
    }
  })();
  try {
    await sleep(beforeMs);
    await proxy.close();
    await sleep(killAfterMs);
    // Nobody can see changes made while no agent runs: the writer waits for the new one.
    paused = true;
    rss[rss.length - 1] = Math.max(rss[rss.length - 1], peakRss(agent.child.pid));
    agent.child.kill('SIGKILL');
    const killed = await agent;
    agent = (await start()).run;
    rss.push(0);
    paused = false;
    await sleep(outageMs - killAfterMs);
    await proxy.open();
    await sleep(afterMs);
    writing = false;
    await writer;
    const total = [...written.values()].reduce((s, w) => s + w.length, 0);
    const history = new Map<string, string[]>();
    const deadline = Date.now() + settleMs;
    for (;;) {
      await cluster.refresh();
      let seen = 0;
      for (const p of paths) {
        const contents = (await historyDocs(cluster, host, p)).map((d) => d.mitra.content ?? '');
        history.set(p, contents);
        seen += new Set(contents).size;
      }
      if ((seen >= total && spoolEmpty(join(dir, 'state', 'spool'))) || Date.now() > deadline) break;
      await sleep(1000);
    }
    const aliveAtEnd = agent.child.exitCode === null;
    agent.child.kill('SIGTERM');
    const last = await agent;
    const drops = [killed.stderr, last.stderr].flatMap((s) => s.split('\n')).filter((l) => /DROPPED|dropped|lost/.test(l));
    let seen = 0;
    let duplicates = 0;
    const missing: string[] = [];
    for (const p of paths) {
      const h = history.get(p) ?? [];
      const distinct = new Set(h);
      seen += [...distinct].filter((c) => written.get(p)!.includes(c)).length;
      duplicates += h.length - distinct.size;
      missing.push(...written.get(p)!.filter((c) => !distinct.has(c)));
    }
    return {
      written,
      history,
      writes: total,
      seen,
      duplicates,
      missing,
      drops,
      peakRssMiB: rss,
      killed,
      aliveAtEnd,
      lastStderr: last.stderr.split('\n').slice(-15),
    };
  } finally {
    writing = false;
    clearInterval(sample);
    if (agent.child.exitCode === null) agent.child.kill('SIGKILL');
    await proxy.stop();
  }
}

function spoolEmpty(dir: string): boolean {
  try {
    return !readdirSync(dir).some((n) => n.endsWith('.ndjson'));
  } catch {
    return true;
  }
}

function peakRss(pid: number | undefined): number {
  try {
    return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

async function until(check: () => boolean, ms: number, child: { exitCode: number | null }): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (child.exitCode !== null) throw new Error(`agent exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error(`agent did not log a cycle within ${ms} ms`);
    await sleep(100);
  }
}
