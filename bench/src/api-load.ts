import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import autocannon from 'autocannon';
import { API_ROUTES, handleApi } from '@mitra/core';
import { captureRequests, ensureFleet, loadAverage, type SentRequest } from './queries';

/**
 * HTTP API under load: `mitra serve` (its own process, ephemeral loopback
 * port) against the 10k-host fleet, loaded with autocannon; then the very
 * Elasticsearch requests that route sends, loaded straight at Elasticsearch
 * with the same connections, workers and duration. The requests are captured
 * by running the route's handler once with the bench's client and recording
 * what the client sent, so the direct load is the same query, byte for byte.
 *
 * A route may send several requests per call (composite aggregation pages):
 * the direct load then replays that sequence on each connection, and the
 * comparison is per call — calls/s and mean latency (a call's latency is the
 * sum of its requests', so its mean is k × the per-request mean); percentiles
 * compare exactly only for single-request routes, which is why the Lucene
 * search route is loaded too.
 */

export interface LoadOptions {
  connections: number;
  workers: number;
  durationSeconds: number;
}

const DEFAULTS: LoadOptions = {
  connections: Number(process.env.BENCH_CONNECTIONS) || 200,
  workers: 2,
  durationSeconds: Number(process.env.BENCH_DURATION) || 60,
};
// Under 200 connections a slow query queues for many seconds: neither side may time out, or errors replace latencies.
const TIMEOUT_SECONDS = 300;

interface RouteUnderLoad {
  name: string;
  pathname: string;
  query: Record<string, string>;
}

const ROUTES: RouteUnderLoad[] = [
  { name: 'hosts --kernel 4.4', pathname: '/api/mitra/hosts', query: { kernel: '4.4' } },
  { name: 'search (Lucene)', pathname: '/api/mitra/search', query: { query: 'filename:"/etc/fstab" AND content:ext4' } },
];

export interface LoadFigures {
  /** Mean completed requests per second (autocannon's per-second samples). */
  requestsPerSec: number;
  /** Route calls per second: requestsPerSec / requests per call. */
  callsPerSec: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Mean latency of one route call (k × the per-request mean for a k-request sequence). */
  meanCallMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

export interface RouteLoadResult {
  route: string;
  url: string;
  /** Elasticsearch requests per route call, and what they were. */
  esRequestsPerCall: number;
  esRequests: { method: string; path: string; bytes: number }[];
  api: LoadFigures;
  elasticsearch: LoadFigures;
  /** (API p99 − ES p99) / ES p99: exact for single-request routes only. */
  addedP99?: number;
  /** (API mean call latency − ES mean call latency) / ES mean call latency. */
  addedMeanCall: number;
  targetAddedP99: number;
  pass?: boolean;
  loadBefore: number[];
  loadAfter: number[];
}

export interface ApiLoadResult {
  options: LoadOptions;
  fleet: { prefix: string; hosts: number; reused: boolean };
  routes: RouteLoadResult[];
}

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function benchApiLoad(client: Client, esUrl: string, options: LoadOptions = DEFAULTS): Promise<ApiLoadResult> {
  const fleet = await ensureFleet(client);
  const server = await startServe(fleet.prefix);
  try {
    const routes: RouteLoadResult[] = [];
    for (const route of ROUTES) routes.push(await loadRoute(client, fleet.prefix, route, server.url, esUrl, options));
    return { options, fleet: { prefix: fleet.prefix, hosts: fleet.hosts, reused: fleet.reused }, routes };
  } finally {
    server.child.kill('SIGTERM');
  }
}

async function loadRoute(
  client: Client,
  prefix: string,
  route: RouteUnderLoad,
  apiUrl: string,
  esUrl: string,
  options: LoadOptions,
): Promise<RouteLoadResult> {
  const sent = await routeRequests(client, prefix, route);
  const path = `${route.pathname}?${new URLSearchParams(route.query)}`;
  log(`api-load: ${route.name}: ${path} sends ${sent.length} Elasticsearch request(s)`);
  const get: autocannon.Request[] = [{ method: 'GET', path }];
  await warmUp(client, apiUrl, get);
  const loadBefore = loadAverage();
  const api = figures(await cannon(apiUrl, get, options), 1);
  log(`api-load: API  ${fmt(api)}`);
  await drained(client);
  const direct: autocannon.Request[] = sent.map((r) => ({
    method: r.method as autocannon.Request['method'],
    path: r.querystring ? `${r.path}?${r.querystring}` : r.path,
    body: r.body,
    headers: { 'content-type': 'application/json' },
  }));
  await warmUp(client, esUrl, direct);
  const es = figures(await cannon(esUrl, direct, options), sent.length);
  log(`api-load: ES   ${fmt(es)}`);
  await drained(client);
  const single = sent.length === 1;
  const addedP99 = single ? ratio(api.p99Ms, es.p99Ms) : undefined;
  return {
    route: route.name,
    url: path,
    esRequestsPerCall: sent.length,
    esRequests: sent.map((r) => ({ method: r.method, path: r.path, bytes: Buffer.byteLength(r.body) })),
    api,
    elasticsearch: es,
    ...(addedP99 === undefined ? {} : { addedP99, pass: addedP99 < 0.2 }),
    addedMeanCall: ratio(api.meanCallMs, es.meanCallMs),
    targetAddedP99: 0.2,
    loadBefore,
    loadAfter: loadAverage(),
  };
}

/** The Elasticsearch requests one call of the route sends: its real handler, run once with the bench's client. */
async function routeRequests(client: Client, prefix: string, route: RouteUnderLoad): Promise<SentRequest[]> {
  const query = Object.fromEntries(Object.entries(route.query).map(([k, v]) => [k, [v]]));
  const { result, requests } = await captureRequests(client, () =>
    handleApi(API_ROUTES, { client, prefix }, 'GET', route.pathname, { query, body: undefined }),
  );
  if (result.status !== 200) throw new Error(`${route.pathname} answered ${result.status}: ${JSON.stringify(result.body)}`);
  return requests;
}

/**
 * Warm-up (JIT, caches, keep-alive) by a fixed number of calls on a few
 * connections, so every warm-up request completes: a timed warm-up would
 * leave queued calls running into the measurement.
 */
async function warmUp(client: Client, url: string, requests: autocannon.Request[]): Promise<void> {
  await autocannon({ url, requests, connections: 4, amount: 20 * requests.length, timeout: TIMEOUT_SECONDS });
  await drained(client);
}

/**
 * Waits until Elasticsearch has no search running or queued: when autocannon
 * stops, calls still in flight keep the API server and the engine busy, and
 * must not spill into the next measurement. Other work shares the engine, so
 * the wait is capped.
 */
async function drained(client: Client, capMs = 120_000): Promise<void> {
  const started = Date.now();
  let quiet = 0;
  while (quiet < 2 && Date.now() - started < capMs) {
    const stats = await client.nodes.stats({ metric: 'thread_pool' });
    const busy = Object.values(stats.nodes).reduce((n, node) => {
      const pool = node.thread_pool?.search;
      return n + (pool?.active ?? 0) + (pool?.queue ?? 0);
    }, 0);
    // The stats request itself does not run on the search pool, so idle reads 0.
    quiet = busy === 0 ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function cannon(url: string, requests: autocannon.Request[], o: LoadOptions): Promise<autocannon.Result> {
  return autocannon({
    url,
    requests,
    connections: o.connections,
    workers: o.workers,
    duration: o.durationSeconds,
    timeout: TIMEOUT_SECONDS,
  });
}

function figures(r: autocannon.Result, perCall: number): LoadFigures {
  return {
    requestsPerSec: round(r.requests.average),
    callsPerSec: round(r.requests.average / perCall),
    p50Ms: r.latency.p50,
    p90Ms: r.latency.p90,
    p99Ms: r.latency.p99,
    meanMs: round(r.latency.average),
    meanCallMs: round(r.latency.average * perCall),
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

const fmt = (f: LoadFigures) =>
  `${f.requestsPerSec} req/s (${f.callsPerSec} calls/s), p50 ${f.p50Ms} p90 ${f.p90Ms} p99 ${f.p99Ms} ms, mean call ${f.meanCallMs} ms, non-2xx ${f.non2xx}, errors ${f.errors}`;
const ratio = (a: number, b: number) => Math.round(((a - b) / b) * 1000) / 1000;
const round = (x: number) => Math.round(x * 10) / 10;

/** `mitra serve` on an ephemeral loopback port, resolving with its URL once it listens. */
async function startServe(prefix: string): Promise<{ child: ChildProcess; url: string }> {
  const bin = resolve(__dirname, '..', '..', 'cli', 'bin', 'mitra.js');
  const child = spawn(process.execPath, [bin, 'serve', '--host', '127.0.0.1', '--port', '0', '--prefix', prefix], {
    // The request log (one line per request) is discarded: the load would make it the bottleneck of the pipe.
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MITRA_ES_TIMEOUT_MS: String(TIMEOUT_SECONDS * 1000) },
  });
  return new Promise((resolveUrl, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /mitra serve: (http:\/\/[\d.]+:\d+)/.exec(stderr);
      if (m) resolveUrl({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`mitra serve exited (${code}) before listening: ${stderr.trim()}`)));
  });
}
