import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent, Logger, parseAgentConfig, type AgentOptions, type CycleSummary } from '@mitra/beats';
import { currentIndex, currentStateId, historyIndices, type RawConfigFile, type WireDoc } from '@mitra/core';
import type { TestCluster } from './support/cluster';

/** Helpers shared by the agent integration tests (agent*.test.ts). */

export const REPO = resolve(__dirname, '../..');
export const MITRA_BIN = join(REPO, 'cli/bin/mitra.js');

const made: string[] = [];

export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `mitra-${name}-`));
  made.push(dir);
  return dir;
}

/** Removes every directory tempDir made in this test file (call in afterAll). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * Replaces a file the way editors and package managers do (write aside, rename):
 * writeFileSync truncates first, and an agent reading between the truncate and
 * the write sees, and rightly records, an empty file.
 */
export function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** Lines the agent logged, kept for assertions instead of cluttering the test output. */
export function memoryLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: new Logger({ level: 'debug', maxBytes: Infinity, stderr: (l) => lines.push(l.trimEnd()) }), lines };
}

/**
 * An in-process agent pointed at the test cluster's prefix. `env: {}` so the
 * jest process's MITRA_ES_URL does not override the URL under test.
 */
export function testAgent(cluster: TestCluster, raw: RawConfigFile, stateDir: string, options: AgentOptions = {}): Agent {
  const config = parseAgentConfig(
    {
      packages: 'off',
      sysctl: 'off',
      ...raw,
      indexer: { prefix: cluster.prefix, ...raw.indexer },
      elasticsearch: { url: cluster.url, ...raw.elasticsearch },
    },
    { env: {}, stateDir },
  );
  return new Agent(config, { log: memoryLogger().log, ship: { retries: 1, backoffMs: 20 }, ...options });
}

export async function currentDoc(cluster: TestCluster, host: string, path: string): Promise<WireDoc | undefined> {
  const res = await cluster.client.get<WireDoc>({ index: currentIndex(cluster.prefix), id: currentStateId(host, path) }, { ignore: [404] });
  return res.found ? res._source : undefined;
}

/** History documents of one file, oldest first, with their ids. */
export async function historyDocs(cluster: TestCluster, host: string, path: string): Promise<(WireDoc & { _id: string })[]> {
  const res = await cluster.client.search<WireDoc>({
    index: historyIndices(cluster.prefix),
    allow_no_indices: true,
    size: 1000,
    query: { bool: { filter: [{ term: { 'host.name': host } }, { term: { 'file.path': path } }] } },
    sort: [{ '@timestamp': 'asc' }],
  });
  return res.hits.hits.map((h) => ({ ...h._source!, _id: h._id! }));
}

/** Fans an agent's onCycle out to waiters: `next(test, ms)` resolves with the next matching cycle summary. */
export function cycleFeed(): {
  onCycle: (s: CycleSummary) => void;
  next: (test: (s: CycleSummary) => boolean, ms: number) => Promise<CycleSummary>;
} {
  const waiters = new Set<(s: CycleSummary) => void>();
  return {
    onCycle: (s) => waiters.forEach((w) => w(s)),
    // Rejects after `ms`: the bound the feature promises, not a speed measurement.
    next: (test, ms) =>
      new Promise((resolve, reject) => {
        const waiter = (s: CycleSummary) => {
          if (!test(s)) return;
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve(s);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching agent cycle within ${ms} ms`));
        }, ms);
        waiters.add(waiter);
      }),
  };
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The real `mitra` command as a subprocess (needs `npx tsc -b`), without the test process's MITRA_* environment. */
export function runMitra(args: string[], options: SpawnOptions = {}): Promise<Run> & { child: ReturnType<typeof spawn> } {
  if (!existsSync(join(REPO, 'cli/dist/main.js'))) throw new Error('cli/dist is missing: run `npx tsc -b` before the agent tests');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MITRA_')));
  const child = spawn(process.execPath, [MITRA_BIN, ...args], { cwd: REPO, env, ...options });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return Object.assign(done, { child });
}
