import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { currentStateId } from '@mitra/core';
import { dropPrefix } from './cleanup';

/**
 * Change → searchable on the inotify path: a real `mitra agent` (frequency
 * 300 s, so only the file watcher can explain a quick arrival) watches one
 * file; the file is rewritten `changes` times, each time with a new token, and
 * the time from the write to the first search of the current-state index
 * that finds the token (a match query, so after a refresh, not a realtime
 * GET) is recorded. Changes are one after another: the next write waits for
 * the previous one to be found.
 */
const MITRA_BIN = resolve(__dirname, '..', '..', 'cli', 'bin', 'mitra.js');
const POLL_MS = 20;
const GIVE_UP_MS = 30_000;

export interface SearchableResult {
  changes: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  minMs: number;
  /** Load average at the start (1 min), since the figure depends on it. */
  loadAverage: number;
}

export async function benchSearchable(client: Client, url: string, changes = 50): Promise<SearchableResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-bench-searchable-'));
  const prefix = 'bench-searchable-';
  const host = 'bench-searchable-host';
  const file = join(dir, 'app.conf');
  // Not `token = ...`: the agent would redact that value as a secret.
  writeFileSync(file, 'marker = start\n');
  const cfg = join(dir, 'runner.yaml');
  writeFileSync(
    cfg,
    [
      `log: {file: ${join(dir, 'runner.log')}, maxsize: 10, level: warn}`,
      `indexer: {prefix: ${prefix}, maxsize: 10}`,
      `files: [${file}]`,
      'frequency: 300',
      `host_name: ${host}`,
      `state_dir: ${join(dir, 'state')}`,
      'packages: off',
      'sysctl: off',
      '',
    ].join('\n'),
  );
  const env = { ...process.env, MITRA_ES_URL: url };
  const agent = spawn(process.execPath, [MITRA_BIN, 'agent', '-c', cfg], { stdio: 'ignore', env });
  const id = currentStateId(host, file);
  const found = async (token: string): Promise<boolean> => {
    const res = await client.search({
      index: `${prefix}current`,
      size: 0,
      query: { bool: { filter: [{ ids: { values: [id] } }, { match_phrase: { 'mitra.content': token } }] } },
    });
    return ((res.hits.total as { value: number } | undefined)?.value ?? 0) > 0;
  };
  const waitFor = async (token: string, since: number): Promise<number> => {
    for (;;) {
      if (await found(token).catch(() => false)) return Date.now() - since;
      if (agent.exitCode !== null) throw new Error(`the agent exited (${agent.exitCode}): see ${dir}/runner.log`);
      if (Date.now() - since > GIVE_UP_MS) throw new Error(`${token} not searchable within ${GIVE_UP_MS} ms`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };
  try {
    // The first cycle (and the agent installing the assets on a fresh prefix) is not part of the figure.
    await waitFor('start', Date.now());
    const { loadavg } = await import('node:os');
    const loadAverage = Math.round(loadavg()[0] * 10) / 10;
    const times: number[] = [];
    for (let i = 0; i < changes; i++) {
      const token = `change${i}x${Date.now().toString(36)}`;
      const t0 = Date.now();
      writeFileSync(file, `marker = ${token}\n`);
      times.push(await waitFor(token, t0));
    }
    const sorted = [...times].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    return { changes, p50Ms: at(0.5), p99Ms: at(0.99), minMs: sorted[0], maxMs: sorted[sorted.length - 1], loadAverage };
  } finally {
    agent.kill('SIGTERM');
    if (agent.exitCode === null) await new Promise((r) => agent.once('exit', r));
    await dropPrefix(client, prefix).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
