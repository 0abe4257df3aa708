import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { launchDistribution } from './distribution';
import {
  buildMarker,
  FLAVORS,
  flavorDataDir,
  flavorJavaHome,
  flavorPath,
  parseFlavor,
  pluginFolder,
  type Flavor,
  type FlavorName,
} from './flavors';
import { requestJson, type EngineHttp } from './http';
import { provisionUsers, readCredentials } from './security';

/**
 * The local engine: one node of a flavour (engine/src/flavors.ts; the default
 * is Elasticsearch 7.10.2, see engine/README.md), provisioned from Maven Central
 * and run detached, bound to 127.0.0.1. State lives under engine/.data/
 * (git-ignored): <port>/ for the default flavour, <flavour>-<port>/ for others.
 */

export const ENGINE_DIR = resolve(__dirname, '..');
export const DEFAULT_PORT = 9200;

export interface EngineOptions {
  flavor: FlavorName;
  port: number;
  /** Where the node keeps data, logs and its pid file. */
  dataDir: string;
  javaHome?: string;
  heap: string;
  log: (line: string) => void;
}

export function engineOptions(overrides: Partial<EngineOptions> = {}): EngineOptions {
  const flavor = overrides.flavor ?? flavorFromEnv();
  const port = overrides.port ?? (Number(process.env.MITRA_ENGINE_PORT) || FLAVORS[flavor].defaultPort);
  return {
    flavor,
    port,
    dataDir: overrides.dataDir ?? flavorDataDir(FLAVORS[flavor], port),
    javaHome: overrides.javaHome ?? process.env.MITRA_ENGINE_JAVA_HOME ?? flavorJavaHome(FLAVORS[flavor]),
    heap: overrides.heap ?? process.env.MITRA_ENGINE_HEAP ?? '1g',
    log: overrides.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
}

export class EngineError extends Error {}

/** MITRA_ENGINE_FLAVOR picks the flavour when no --flavor is given. */
function flavorFromEnv(): FlavorName {
  try {
    return parseFlavor(process.env.MITRA_ENGINE_FLAVOR);
  } catch (e) {
    throw new EngineError(`MITRA_ENGINE_FLAVOR: ${(e as Error).message}`);
  }
}

const flavorOf = (o: EngineOptions): Flavor => FLAVORS[o.flavor];
const pidFile = (o: EngineOptions) => join(o.dataDir, 'engine.pid');
/** The secured flavour's bin/elasticsearch launcher, in front of the server JVM whose pid is in engine.pid. */
const launcherPidFile = (o: EngineOptions) => join(o.dataDir, 'launcher.pid');
export const logFile = (o: EngineOptions) => join(o.dataDir, 'engine.log');
const url = (o: EngineOptions) => `${flavorOf(o).secured ? 'https' : 'http'}://127.0.0.1:${o.port}`;

/**
 * How the tooling talks to the node: plain HTTP, or for a secured flavour TLS
 * with the generated CA as its superuser (undefined before its first start).
 */
export function engineHttp(o: EngineOptions): EngineHttp | undefined {
  if (!flavorOf(o).secured) return { baseUrl: url(o) };
  const c = readCredentials(o.dataDir);
  return c && { baseUrl: url(o), ca: readFileSync(c.caFile, 'utf8'), auth: { username: c.username, password: c.password } };
}

/** Provisions the flavour with Maven once (jars, or the unpacked distribution); later starts reuse it. */
export function ensureBuilt(o: EngineOptions): void {
  const flavor = flavorOf(o);
  const env = { ...process.env, ...(o.javaHome ? { JAVA_HOME: o.javaHome } : {}) };
  const marker = buildMarker(flavor);
  const pom = flavorPath(flavor.pom);
  // The launcher's Java sources count too: a changed LocalEngine.java must be recompiled.
  const inputs = [statSync(pom).mtimeMs, ...javaSources(join(dirname(pom), 'src', 'main', 'java'))];
  if (!existsSync(marker) || Math.max(...inputs) > statSync(marker).mtimeMs) {
    o.log(`engine: provisioning ${flavor.label} with Maven (first run only)...`);
    runMaven(pom, ['package'], env);
    // Maven may leave an up-to-date output untouched; the marker's time says "provisioned for this pom".
    if (existsSync(marker)) utimesSync(marker, new Date(), new Date());
  }
}

function runMaven(pom: string, args: string[], env: NodeJS.ProcessEnv): void {
  const mvn = spawnSync('mvn', ['-q', '-B', '-f', pom, ...args, '-DskipTests'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (mvn.error)
    throw new EngineError(`cannot run mvn (${(mvn.error as NodeJS.ErrnoException).code}): install Maven (apt-get install maven)`);
  if (mvn.status !== 0) throw new EngineError(`mvn ${args[0]} failed (exit ${mvn.status}): see the Maven output above`);
}

function javaSources(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.java'))
    .map((e) => statSync(join(e.parentPath, e.name)).mtimeMs);
}

function runnerClasspath(buildDir: string): string {
  const dir = flavorPath(buildDir);
  return `${join(dir, 'classes')}:${readFileSync(join(dir, 'classpath.txt'), 'utf8').trim()}`;
}

export function readPid(o: EngineOptions): number | undefined {
  return readPidFile(pidFile(o));
}

function readPidFile(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** GET / on the engine; undefined when nothing answers. */
export async function probe(o: EngineOptions, timeoutMs = 2000): Promise<{ version: string; distribution: string } | undefined> {
  const http = engineHttp(o);
  if (!http) return undefined;
  try {
    const res = await requestJson<{ version?: { number?: string; distribution?: string } }>(http, 'GET', '/', undefined, timeoutMs);
    if (res.status !== 200) return undefined;
    return { version: res.body.version?.number ?? 'unknown', distribution: res.body.version?.distribution ?? 'elasticsearch' };
  } catch {
    return undefined;
  }
}

export interface StartResult {
  url: string;
  pid?: number;
  alreadyRunning: boolean;
  seconds: number;
}

/** Starts the node (or finds it running) and waits until it answers with a yellow cluster. */
export async function startEngine(o: EngineOptions, timeoutMs = 180_000): Promise<StartResult> {
  const t0 = Date.now();
  // The node's files (indexed snapshots, the secured flavours' credentials) are for this user only;
  // a data dir made by an older version with the default mode is tightened too, even when the node runs.
  // Only the node's own folder is private: the folders above it must stay traversable, since the secured
  // flavours run the node as `nobody` (a recursive mkdir would make engine/.data 0700 too).
  mkdirSync(dirname(o.dataDir), { recursive: true });
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  chmodSync(o.dataDir, 0o700);
  const running = readPid(o);
  if (running && (await probe(o))) return { url: url(o), pid: running, alreadyRunning: true, seconds: 0 };
  if (!running && (await probe(o))) {
    throw new EngineError(`port ${o.port} on 127.0.0.1 is already taken by another server: stop it or use --port / MITRA_ENGINE_PORT`);
  }
  // Before provisioning: minutes of Maven for a node that cannot start would be wasted.
  const plugins = pluginFolder(flavorOf(o));
  if (plugins && 'missing' in plugins) throw new EngineError(plugins.missing);
  ensureBuilt(o);
  const child = launch(o);
  if (!child.pid) throw new EngineError(`cannot start ${flavorOf(o).label}: is a Java runtime installed (MITRA_ENGINE_JAVA_HOME)?`);
  child.unref();
  o.log(`engine: starting ${flavorOf(o).label} (pid ${child.pid}, log ${logFile(o)})...`);
  while (Date.now() - t0 < timeoutMs) {
    if (!isAlive(child.pid) && !readPid(o)) {
      throw new EngineError(`engine exited during start-up: see ${logFile(o)}\n${tail(logFile(o), 15)}`);
    }
    if (await ready(o)) {
      if (flavorOf(o).secured) await provisionUsers(o.dataDir).catch((e: unknown) => failStart(o, e));
      return { url: url(o), pid: readPid(o) ?? child.pid, alreadyRunning: false, seconds: (Date.now() - t0) / 1000 };
    }
    await sleep(500);
  }
  await stopEngine(o);
  throw new EngineError(`engine did not become ready within ${timeoutMs / 1000}s: see ${logFile(o)}`);
}

/**
 * Starts the node process: the in-process runner on its Maven classpath, or the
 * distribution's own launcher. `clusterArgs` make the runner's node one member
 * of a multi-node cluster (see cluster.ts).
 */
export function launch(o: EngineOptions, clusterArgs: string[] = []): ChildProcess {
  const flavor = flavorOf(o);
  if (flavor.launch.kind === 'distribution') {
    rmSync(pidFile(o), { force: true });
    const { child } = launchDistribution({
      esHome: flavorPath(flavor.launch.home),
      dataDir: o.dataDir,
      port: o.port,
      heap: o.heap,
      javaHome: o.javaHome,
      url: url(o),
      logFile: logFile(o),
      pidFile: pidFile(o),
    });
    if (child.pid) writeFileSync(launcherPidFile(o), String(child.pid));
    return child;
  }
  const java = o.javaHome ? join(o.javaHome, 'bin', 'java') : 'java';
  const out = openSync(logFile(o), 'a');
  const child = spawn(
    java,
    [
      `-Xms${o.heap}`,
      `-Xmx${o.heap}`,
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      '-Dlog4j2.formatMsgNoLookups=true',
      ...pluginProperties(flavor),
      '-cp',
      runnerClasspath(flavor.launch.buildDir),
      flavor.launch.mainClass,
      join(o.dataDir, 'node'),
      String(o.port),
      ...clusterArgs,
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  if (child.pid) writeFileSync(pidFile(o), String(child.pid));
  return child;
}

/** The launcher's -D properties for a flavour's plugins (LocalOpenSearch.java reads them). */
function pluginProperties(flavor: Flavor): string[] {
  const plugins = flavor.launch.kind === 'runner' ? flavor.launch.plugins : undefined;
  const folder = pluginFolder(flavor);
  if (!plugins || !folder) return [];
  if ('missing' in folder) throw new EngineError(folder.missing);
  const settings = Object.entries(plugins.settings).map(([key, value]) => `-Dmitra.setting.${key}=${value}`);
  return [`-Dmitra.plugins=${folder.dir}`, ...settings];
}

/** A node that came up but could not be finished is stopped: never leave a JVM behind. */
async function failStart(o: EngineOptions, e: unknown): Promise<never> {
  await stopEngine(o);
  throw new EngineError(
    `${flavorOf(o).label} started but its users and API key could not be created (${(e as Error).message}): see ${logFile(o)}`,
  );
}

async function ready(o: EngineOptions): Promise<boolean> {
  const http = engineHttp(o);
  if (!http) return false;
  try {
    const res = await requestJson<{ status?: string }>(http, 'GET', '/_cluster/health?wait_for_status=yellow&timeout=1s');
    return res.status === 200 && (res.body.status === 'yellow' || res.body.status === 'green');
  } catch {
    return false;
  }
}

/** SIGTERM, wait for a clean close, SIGKILL as the last resort. Never leaves a JVM behind. */
export async function stopEngine(o: EngineOptions, timeoutMs = 30_000): Promise<boolean> {
  const pid = readPid(o);
  const launcher = readPidFile(launcherPidFile(o));
  if (pid) await terminate(o, pid, timeoutMs);
  // The distribution's launcher exits with its server; this only catches one stuck in start-up.
  if (launcher) await terminate(o, launcher, timeoutMs);
  rmSync(pidFile(o), { force: true });
  rmSync(launcherPidFile(o), { force: true });
  return Boolean(pid ?? launcher);
}

async function terminate(o: EngineOptions, pid: number, timeoutMs: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const t0 = Date.now();
  while (isAlive(pid) && Date.now() - t0 < timeoutMs) await sleep(200);
  if (isAlive(pid)) {
    o.log(`engine: pid ${pid} ignored SIGTERM for ${timeoutMs / 1000}s, killing it`);
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(100);
  }
}

export async function engineStatus(
  o: EngineOptions,
): Promise<{ running: boolean; pid?: number; url: string; flavor: string; version?: string; distribution?: string; health?: string }> {
  const pid = readPid(o);
  const info = await probe(o);
  let health: string | undefined;
  const http = engineHttp(o);
  if (info && http) {
    try {
      health = (await requestJson<{ status?: string }>(http, 'GET', '/_cluster/health', undefined, 2000)).body.status;
    } catch {
      /* health stays unknown */
    }
  }
  return {
    running: Boolean(info),
    pid,
    url: url(o),
    flavor: flavorOf(o).label,
    version: info?.version,
    distribution: info?.distribution,
    health,
  };
}

/** Wipes the engine's data (the node must be stopped). */
export function resetEngineData(o: EngineOptions): void {
  if (readPid(o)) throw new EngineError('engine is running: stop it before wiping its data');
  rmSync(o.dataDir, { recursive: true, force: true });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
