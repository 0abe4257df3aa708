import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { FLAVORS, flavorDataDir } from './flavors';
import { requestJson } from './http';
import { EngineError, ensureBuilt, isAlive, launch, logFile, probe, readPid, sleep, stopEngine, tail, type EngineOptions } from './engine';

/**
 * A local multi-node cluster of the default engine (Elasticsearch 7.10.2): one
 * JVM per node, so a test can kill one node (SIGKILL) and start it again while
 * the others keep serving. Node i (1-based) of a cluster on base port P listens
 * on HTTP P+i-1 and transport P+i-1+TRANSPORT_OFFSET, all on 127.0.0.1, and
 * keeps its data in engine/.data/<P>-node<i>/.
 */

/** Transport ports sit 1000 above the HTTP ports: outside 9300-9399, where single nodes pick theirs. */
export const TRANSPORT_OFFSET = 1000;
export const MAX_NODES = 9;

export interface ClusterNode {
  /** 1-based */
  index: number;
  name: string;
  transportPort: number;
  /** Port and data dir of this node, as for a single node. */
  options: EngineOptions;
}

const nodeDir = (o: EngineOptions, i: number) => `${flavorDataDir(FLAVORS[o.flavor], o.port)}-node${i}`;

/** The nodes of a cluster of `count` nodes on o.port, o.port+1, ... */
export function clusterNodes(o: EngineOptions, count: number): ClusterNode[] {
  if (o.flavor !== 'es7') throw new EngineError(`--nodes is only supported for the default flavour (es7), not ${o.flavor}`);
  if (!Number.isInteger(count) || count < 2 || count > MAX_NODES) {
    throw new EngineError(`--nodes ${count}: a cluster has 2 to ${MAX_NODES} nodes (1 is the single node: leave --nodes out)`);
  }
  if (o.port + count - 1 + TRANSPORT_OFFSET > 65535) {
    throw new EngineError(
      `--port ${o.port} leaves no room for ${count} nodes (transport ports are +${TRANSPORT_OFFSET}): use a lower port`,
    );
  }
  return Array.from({ length: count }, (_, k) => {
    const i = k + 1;
    const port = o.port + k;
    return {
      index: i,
      name: `mitra-${o.port}-node${i}`,
      transportPort: port + TRANSPORT_OFFSET,
      options: { ...o, port, dataDir: nodeDir(o, i) },
    };
  });
}

/** How many nodes a cluster on o.port has data dirs for (0: none, it is a single node or nothing). */
export function clusterSize(o: EngineOptions): number {
  let n = 0;
  while (n < MAX_NODES && existsSync(nodeDir(o, n + 1))) n++;
  return n >= 2 ? n : 0;
}

function launchArgs(node: ClusterNode, all: ClusterNode[]): string[] {
  return [
    String(node.transportPort),
    `mitra-${all[0].options.port}`,
    node.name,
    all.map((n) => `127.0.0.1:${n.transportPort}`).join(','),
    all.map((n) => n.name).join(','),
  ];
}

/** Starts one node of the cluster if it is not running (e.g. after it was killed); does not wait. */
export function startClusterNode(node: ClusterNode, all: ClusterNode[]): number | undefined {
  const running = readPid(node.options);
  if (running) return running;
  mkdirSync(node.options.dataDir, { recursive: true });
  const child = launch(node.options, launchArgs(node, all));
  if (!child.pid) throw new EngineError('cannot start a cluster node: is a Java runtime installed (MITRA_ENGINE_JAVA_HOME)?');
  child.unref();
  return child.pid;
}

export interface ClusterStartResult {
  url: string;
  nodes: { name: string; port: number; pid?: number }[];
  seconds: number;
}

/** Starts every node that is not running and waits until all `count` have joined one cluster (yellow or green). */
export async function startCluster(o: EngineOptions, count: number, timeoutMs = 300_000): Promise<ClusterStartResult> {
  const t0 = Date.now();
  const all = clusterNodes(o, count);
  for (const node of all) {
    if (!readPid(node.options) && (await probe(node.options))) {
      throw new EngineError(`port ${node.options.port} on 127.0.0.1 is already taken by another server: use another --port`);
    }
  }
  ensureBuilt(o);
  const pids = all.map((node) => startClusterNode(node, all));
  o.log(
    `engine: starting a ${count}-node cluster on ports ${o.port}-${o.port + count - 1} (logs ${all.map((n) => logFile(n.options)).join(', ')})...`,
  );
  while (Date.now() - t0 < timeoutMs) {
    const dead = all.find((node, k) => !isAlive(pids[k] ?? 0) && !readPid(node.options));
    if (dead) {
      await stopCluster(o);
      throw new EngineError(
        `cluster node ${dead.name} exited during start-up: see ${logFile(dead.options)}\n${tail(logFile(dead.options), 15)}`,
      );
    }
    if (await clusterReady(o, count)) {
      return {
        url: `http://127.0.0.1:${o.port}`,
        nodes: all.map((n) => ({ name: n.name, port: n.options.port, pid: readPid(n.options) })),
        seconds: (Date.now() - t0) / 1000,
      };
    }
    await sleep(1000);
  }
  await stopCluster(o);
  throw new EngineError(
    `the ${count}-node cluster did not form within ${timeoutMs / 1000}s: see ${all.map((n) => logFile(n.options)).join(', ')}`,
  );
}

/**
 * All `count` nodes joined, every primary is allocated, and every node's HTTP
 * port answers (a node joins the cluster over transport before it binds HTTP,
 * so the cluster's health alone can be ready while a node still refuses clients).
 */
export async function clusterReady(o: EngineOptions, count: number, status: 'yellow' | 'green' = 'yellow'): Promise<boolean> {
  const nodes = clusterNodes(o, count);
  for (const node of nodes) {
    try {
      const res = await requestJson<{ status?: string; timed_out?: boolean }>(
        { baseUrl: `http://127.0.0.1:${node.options.port}` },
        'GET',
        `/_cluster/health?wait_for_nodes=${count}&wait_for_status=${status}&timeout=1s`,
      );
      if (res.status === 200 && !res.body.timed_out) return (await Promise.all(nodes.map((n) => probe(n.options)))).every(Boolean);
      if (res.status === 200 || res.status === 408) return false;
    } catch {
      /* this node is down or starting: ask the next */
    }
  }
  return false;
}

/** Stops every node of the cluster on o.port (SIGTERM, SIGKILL after the timeout); true when one was running. */
export async function stopCluster(o: EngineOptions, timeoutMs = 30_000): Promise<boolean> {
  const count = clusterSize(o);
  if (!count) return false;
  const stopped = await Promise.all(clusterNodes(o, count).map((n) => stopEngine(n.options, timeoutMs)));
  return stopped.some(Boolean);
}

export interface ClusterStatus {
  url: string;
  health?: string;
  nodes: { name: string; port: number; pid?: number; running: boolean }[];
}

export async function clusterStatus(o: EngineOptions): Promise<ClusterStatus | undefined> {
  const count = clusterSize(o);
  if (!count) return undefined;
  const all = clusterNodes(o, count);
  const nodes = await Promise.all(
    all.map(async (n) => ({ name: n.name, port: n.options.port, pid: readPid(n.options), running: Boolean(await probe(n.options)) })),
  );
  let health: string | undefined;
  for (const n of nodes.filter((x) => x.running)) {
    try {
      health = (
        await requestJson<{ status?: string }>({ baseUrl: `http://127.0.0.1:${n.port}` }, 'GET', '/_cluster/health', undefined, 2000)
      ).body.status;
      break;
    } catch {
      /* ask the next node */
    }
  }
  return { url: `http://127.0.0.1:${o.port}`, health, nodes };
}

/** Wipes every node's data (the cluster must be stopped). */
export function resetClusterData(o: EngineOptions): number {
  const count = clusterSize(o);
  if (!count) return 0;
  const all = clusterNodes(o, count);
  if (all.some((n) => readPid(n.options))) throw new EngineError('a cluster node is running: stop the cluster before wiping its data');
  for (const n of all) rmSync(n.options.dataDir, { recursive: true, force: true });
  return count;
}
