import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent, Logger, ORIGINAL_FILES } from '@mitra/beats';
import { connect, resolveConnection } from '@mitra/core';
import { runOutageScenario } from '@mitra/test/dist/agent-outage-scenario';
import { testCluster } from '@mitra/test/dist/support/cluster';
import { dropPrefix } from './cleanup';
import { median } from './ingest';

/**
 * The agent's cost on a host: CPU and wall time of one full cycle of the
 * standard file set (the original nine files + packages + sysctl), with
 * `output: spool` so the network is out of the figure; then a real long-running
 * `mitra agent` subprocess: peak and steady RSS, and CPU while idle between cycles.
 */
const MITRA_BIN = resolve(__dirname, '..', '..', 'cli', 'bin', 'mitra.js');
/**
 * The node flag beats/README.md's systemd unit started the agent with until the agent held its young
 * generation small itself (cli/src/agent-main.ts): measured beside the plain start, for comparison.
 */
const CAPPED_YOUNG_GENERATION = ['--max-semi-space-size=1'];
const spawnAgent = (configPath: string, flags: string[] = []) =>
  spawn(process.execPath, [...flags, MITRA_BIN, 'agent', '-c', configPath], { stdio: 'ignore' });

function config(dir: string, frequency: number, output: 'spool' | 'elasticsearch', files: string[] = ORIGINAL_FILES): string {
  const path = join(dir, 'runner.yaml');
  writeFileSync(
    path,
    [
      `log: {file: ${join(dir, 'runner.log')}, maxsize: 10, level: warn}`,
      'indexer: {prefix: bench-agent-, es_host: 127.0.0.1, es_port: 9200, maxsize: 10}',
      `files: [${files.join(', ')}]`,
      `frequency: ${frequency}`,
      `state_dir: ${join(dir, 'state')}`,
      `output: ${output}`,
      '',
    ].join('\n'),
  );
  return path;
}

export interface AgentCycleResult {
  firstCycle: { cpuMs: number; wallMs: number };
  steadyCycle: { cpuMs: number; wallMs: number; runs: number };
}

export async function benchAgentCycle(runs = 10): Promise<AgentCycleResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-bench-agent-'));
  try {
    const agent = Agent.fromFile(config(dir, 300, 'spool'), {}, { log: new Logger({ level: 'error', maxBytes: 0, stderr: () => {} }) });
    const measure = async () => {
      const cpu0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      await agent.runOnce();
      const cpu = process.cpuUsage(cpu0);
      return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs: Number(process.hrtime.bigint() - t0) / 1e6 };
    };
    const first = await measure();
    const steady = [];
    for (let i = 0; i < runs; i++) steady.push(await measure());
    await agent.stop();
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      firstCycle: { cpuMs: round(first.cpuMs), wallMs: round(first.wallMs) },
      steadyCycle: { cpuMs: round(median(steady.map((s) => s.cpuMs))), wallMs: round(median(steady.map((s) => s.wallMs))), runs },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const procStatus = (pid: number, key: string): number =>
  Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** utime + stime of a process, in ms (clock ticks are 100 Hz on Linux). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface IdleResult {
  frequencySeconds: number;
  seconds: number;
  cpuMs: number;
  /** CPU per 10 s of the window: after a cycle V8's memory reducer runs a few GCs, then nothing. */
  cpuMsPer10s: number[];
  rssMiB: number;
  peakRssMiB: number;
}

interface BusyResult {
  frequencySeconds: number;
  seconds: number;
  peakRssMiB: number;
  steadyRssMiB: number;
}

export interface AgentProcessResult {
  /** Started as the systemd unit and a hand start do: `node mitra.js agent`, no node flags. */
  busy: BusyResult;
  /** Started with CAPPED_YOUNG_GENERATION, the unit's former flag. */
  busyCapped: BusyResult;
  /** The standard file set: its watched directories include /tmp (the original /tmp/pkgs), which other processes may churn. */
  idle: IdleResult;
  /** Files in a directory of the benchmark's own: nothing changes in any watched directory. */
  idleQuiet: IdleResult;
}

const IDLE_SECONDS = 60;

/** A real agent at the default frequency: after start-up and the first cycle, CPU (utime+stime from /proc/<pid>/stat) over 60 s. */
async function idleRun(dir: string, files?: string[]): Promise<IdleResult> {
  const idle = spawnAgent(config(dir, 300, 'elasticsearch', files));
  try {
    await sleep(15_000); // start-up, the first cycle, the shipper's idle release of its sockets (5 s)
    const cpu0 = cpuMsOf(idle.pid!);
    const slices: number[] = [];
    for (let t = 0, last = cpu0; t < IDLE_SECONDS; t += 10) {
      await sleep(10_000);
      const now = cpuMsOf(idle.pid!);
      slices.push(now - last);
      last = now;
    }
    return {
      frequencySeconds: 300,
      seconds: IDLE_SECONDS,
      cpuMs: cpuMsOf(idle.pid!) - cpu0,
      cpuMsPer10s: slices,
      rssMiB: Math.round(procStatus(idle.pid!, 'VmRSS')),
      peakRssMiB: Math.round(procStatus(idle.pid!, 'VmHWM')),
    };
  } finally {
    await stop(idle);
  }
}

/** A cycle every second for 30 s: RSS every 0.5 s, the steady value (median of the last 10 s) and the peak (VmHWM). */
async function busyRun(dir: string, flags?: string[]): Promise<BusyResult> {
  const busy = spawnAgent(config(dir, 1, 'elasticsearch'), flags);
  try {
    const rss: number[] = [];
    for (let i = 0; i < 60; i++) {
      await sleep(500);
      rss.push(procStatus(busy.pid!, 'VmRSS'));
    }
    const peak = procStatus(busy.pid!, 'VmHWM');
    return { frequencySeconds: 1, seconds: 30, peakRssMiB: Math.round(peak), steadyRssMiB: Math.round(median(rss.slice(-20))) };
  } finally {
    await stop(busy);
  }
}

/** A real `mitra agent` shipping to the local engine, started as deployed: busy (a cycle a second; also with the unit's former flag), and two idle runs. */
export async function benchAgentProcess(): Promise<AgentProcessResult> {
  const dirs = [0, 1, 2, 3].map(() => mkdtempSync(join(tmpdir(), 'mitra-bench-agent-')));
  const [busyDir, cappedDir, idleDir, quietDir] = dirs;
  try {
    // The assets in place first, as on any host after the first: the figure is the agent's own, not the installer's.
    await new Promise((r) =>
      spawn(process.execPath, [MITRA_BIN, 'setup', '--prefix', 'bench-agent-'], { stdio: 'ignore' }).once('exit', r),
    );
    const busy = await busyRun(busyDir);
    const busyCapped = await busyRun(cappedDir, CAPPED_YOUNG_GENERATION);
    const quietFiles = ['a.conf', 'b.conf', 'c.conf'].map((f) => join(quietDir, 'etc', f));
    mkdirSync(join(quietDir, 'etc'));
    for (const f of quietFiles) writeFileSync(f, `${f} = 1\n`);
    return {
      busy,
      busyCapped,
      idle: await idleRun(idleDir),
      idleQuiet: await idleRun(quietDir, quietFiles),
    };
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await dropAgentPrefix('bench-agent-');
  }
}

/** Stops an agent and waits for it to be gone, so nothing it still ships lands after its prefix is dropped. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([gone, sleep(10_000).then(() => child.kill('SIGKILL'))]);
}

/** Removes what a benchmark's agents left on the engine under their prefix: indices, templates and pipelines. */
async function dropAgentPrefix(prefix: string): Promise<void> {
  const { client } = await connect(resolveConnection());
  try {
    await dropPrefix(client, prefix);
  } finally {
    await client.close();
  }
}

export interface AgentLargeFilesResult {
  files: { path: string; megabytes: number }[];
  cycleWallMs: number;
  peakRssMiB: number;
  steadyRssMiB: number;
  states: string[];
}

/**
 * A real `mitra agent` with the original `maxsize: -1` and a 50 MB and a 500 MB
 * file (sparse: read in full, no disk used), shipping to the local engine: its
 * peak RSS (VmHWM) over the first cycle, which reads and hashes both.
 */
export async function benchAgentLargeFiles(): Promise<AgentLargeFilesResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-bench-agent-large-'));
  const MB = 1024 * 1024;
  const files = [
    { path: join(dir, 'big.log'), megabytes: 50 },
    { path: join(dir, 'huge.img'), megabytes: 500 },
  ];
  for (const f of files) {
    writeFileSync(f.path, 'x\n');
    truncateSync(f.path, f.megabytes * MB);
  }
  const prefix = 'bench-agent-large-';
  const url = new URL(process.env.MITRA_ES_URL ?? 'http://127.0.0.1:9200');
  const cfg = join(dir, 'runner.yaml');
  writeFileSync(
    cfg,
    [
      `log: {file: ${join(dir, 'runner.log')}, maxsize: 10, level: info}`,
      `indexer: {prefix: ${prefix}, es_host: ${url.hostname}, es_port: ${url.port || 9200}, maxsize: -1}`,
      `files: [${files.map((f) => f.path).join(', ')}]`,
      'frequency: 300',
      `state_dir: ${join(dir, 'state')}`,
      'packages: off',
      'sysctl: off',
      '',
    ].join('\n'),
  );
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MITRA_')));
  const child = spawn(process.execPath, [MITRA_BIN, 'agent', '-c', cfg], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  try {
    const t0 = Date.now();
    while (!/cycle: /.test(stderr)) {
      if (child.exitCode !== null) throw new Error(`agent exited: ${stderr}`);
      if (Date.now() - t0 > 300_000) throw new Error('no cycle within 300 s');
      await sleep(200);
    }
    const cycleWallMs = Number(/took (\d+) ms/.exec(stderr)?.[1]);
    await sleep(5000);
    const peak = procStatus(child.pid!, 'VmHWM');
    const steady = procStatus(child.pid!, 'VmRSS');
    const states = stderr.split('\n').filter((l) => /too_large/.test(l) && !/cycle:/.test(l));
    return { files, cycleWallMs, peakRssMiB: Math.round(peak), steadyRssMiB: Math.round(steady), states };
  } finally {
    await stop(child);
    rmSync(dir, { recursive: true, force: true });
    await dropAgentPrefix(prefix);
  }
}

export interface AgentOutageResult {
  intervalMs: number;
  outageSeconds: number;
  writes: number;
  seenInHistory: number;
  duplicates: number;
  missing: number;
  drops: string[];
  peakRssMiB: number[];
}

/** The outage test's scenario (test/src/agent-outage-scenario.ts), recorded: changes written vs changes in history. */
export async function benchAgentOutage(): Promise<AgentOutageResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-bench-agent-outage-'));
  const cluster = await testCluster('bench-agent-outage');
  try {
    await cluster.setup();
    const r = await runOutageScenario(cluster, { dir, host: 'bench-outage-host' });
    return {
      intervalMs: 200,
      outageSeconds: 30,
      writes: r.writes,
      seenInHistory: r.seen,
      duplicates: r.duplicates,
      missing: r.missing.length,
      drops: r.drops,
      peakRssMiB: r.peakRssMiB.map(Math.round),
    };
  } finally {
    await cluster.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}
