import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The local engine: one Elasticsearch 7.10.2 node (see engine/README.md),
 * built from Maven Central by engine/pom.xml and run detached, bound to
 * 127.0.0.1. State lives under engine/.data/<port>/ (git-ignored).
 */

export const ENGINE_DIR = resolve(__dirname, '..');
export const DEFAULT_PORT = 9200;

export interface EngineOptions {
  port: number;
  /** Where the node keeps data, logs and its pid file. */
  dataDir: string;
  javaHome?: string;
  heap: string;
  log: (line: string) => void;
}

export function engineOptions(overrides: Partial<EngineOptions> = {}): EngineOptions {
  const port = overrides.port ?? (Number(process.env.MITRA_ENGINE_PORT) || DEFAULT_PORT);
  return {
    port,
    dataDir: overrides.dataDir ?? join(ENGINE_DIR, '.data', String(port)),
    javaHome: overrides.javaHome ?? process.env.MITRA_ENGINE_JAVA_HOME ?? findJava17(),
    heap: overrides.heap ?? process.env.MITRA_ENGINE_HEAP ?? '1g',
    log: overrides.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
}

export class EngineError extends Error {}

const pidFile = (o: EngineOptions) => join(o.dataDir, 'engine.pid');
const logFile = (o: EngineOptions) => join(o.dataDir, 'engine.log');
const url = (o: EngineOptions) => `http://127.0.0.1:${o.port}`;

/** 7.10 runs on Java 11-17; prefer 17 even when a newer JDK is the default. */
function findJava17(): string | undefined {
  for (const dir of ['/usr/lib/jvm/java-17-openjdk-amd64', '/usr/lib/jvm/java-17-openjdk-arm64', '/usr/lib/jvm/java-17-openjdk']) {
    if (existsSync(join(dir, 'bin', 'java'))) return dir;
  }
  return process.env.JAVA_HOME;
}

/** Resolves the node's classpath with Maven once; later starts reuse it. */
export function ensureBuilt(o: EngineOptions): string {
  const classpathFile = join(ENGINE_DIR, 'target', 'classpath.txt');
  const pom = join(ENGINE_DIR, 'pom.xml');
  const stale = !existsSync(classpathFile) || statSync(pom).mtimeMs > statSync(classpathFile).mtimeMs;
  if (stale) {
    o.log('engine: resolving Elasticsearch 7.10.2 and its modules with Maven (first run only)...');
    const env = { ...process.env, ...(o.javaHome ? { JAVA_HOME: o.javaHome } : {}) };
    const mvn = spawnSync('mvn', ['-q', '-B', '-f', pom, 'package', '-DskipTests'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    if (mvn.error)
      throw new EngineError(`cannot run mvn (${(mvn.error as NodeJS.ErrnoException).code}): install Maven (apt-get install maven)`);
    if (mvn.status !== 0) throw new EngineError(`mvn package failed (exit ${mvn.status}): see the Maven output above`);
  }
  return `${join(ENGINE_DIR, 'target', 'classes')}:${readFileSync(classpathFile, 'utf8').trim()}`;
}

export function readPid(o: EngineOptions): number | undefined {
  if (!existsSync(pidFile(o))) return undefined;
  const pid = Number(readFileSync(pidFile(o), 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** GET / on the engine; undefined when nothing answers. */
export async function probe(o: EngineOptions, timeoutMs = 2000): Promise<{ version: string } | undefined> {
  try {
    const res = await fetch(url(o), { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { version?: { number?: string } };
    return { version: body.version?.number ?? 'unknown' };
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
  const running = readPid(o);
  if (running && (await probe(o))) return { url: url(o), pid: running, alreadyRunning: true, seconds: 0 };
  if (!running && (await probe(o))) {
    throw new EngineError(`port ${o.port} on 127.0.0.1 is already taken by another server: stop it or use --port / MITRA_ENGINE_PORT`);
  }
  const classpath = ensureBuilt(o);
  mkdirSync(o.dataDir, { recursive: true });
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
      '-cp',
      classpath,
      'dev.mitra.engine.LocalEngine',
      join(o.dataDir, 'node'),
      String(o.port),
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  if (!child.pid) throw new EngineError(`cannot start ${java}: is a Java 17 runtime installed?`);
  writeFileSync(pidFile(o), String(child.pid));
  child.unref();
  o.log(`engine: starting (pid ${child.pid}, log ${logFile(o)})...`);
  while (Date.now() - t0 < timeoutMs) {
    if (!isAlive(child.pid)) {
      throw new EngineError(`engine exited during start-up: see ${logFile(o)}\n${tail(logFile(o), 15)}`);
    }
    if (await ready(o)) return { url: url(o), pid: child.pid, alreadyRunning: false, seconds: (Date.now() - t0) / 1000 };
    await sleep(500);
  }
  await stopEngine(o);
  throw new EngineError(`engine did not become ready within ${timeoutMs / 1000}s: see ${logFile(o)}`);
}

async function ready(o: EngineOptions): Promise<boolean> {
  try {
    const res = await fetch(`${url(o)}/_cluster/health?wait_for_status=yellow&timeout=1s`, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) return false;
    const body = (await res.json()) as { status?: string };
    return body.status === 'yellow' || body.status === 'green';
  } catch {
    return false;
  }
}

/** SIGTERM, wait for a clean close, SIGKILL as the last resort. Never leaves a JVM behind. */
export async function stopEngine(o: EngineOptions, timeoutMs = 30_000): Promise<boolean> {
  const pid = readPid(o);
  if (!pid) {
    rmSync(pidFile(o), { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const t0 = Date.now();
  while (isAlive(pid) && Date.now() - t0 < timeoutMs) await sleep(200);
  if (isAlive(pid)) {
    o.log(`engine: pid ${pid} ignored SIGTERM for ${timeoutMs / 1000}s, killing it`);
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(100);
  }
  rmSync(pidFile(o), { force: true });
  return true;
}

export async function engineStatus(
  o: EngineOptions,
): Promise<{ running: boolean; pid?: number; url: string; version?: string; health?: string }> {
  const pid = readPid(o);
  const info = await probe(o);
  let health: string | undefined;
  if (info) {
    try {
      const res = await fetch(`${url(o)}/_cluster/health`, { signal: AbortSignal.timeout(2000) });
      health = ((await res.json()) as { status?: string }).status;
    } catch {
      /* health stays unknown */
    }
  }
  return { running: Boolean(info), pid, url: url(o), version: info?.version, health };
}

/** Wipes the engine's data (the node must be stopped). */
export function resetEngineData(o: EngineOptions): void {
  if (readPid(o)) throw new EngineError('engine is running: stop it before wiping its data');
  rmSync(o.dataDir, { recursive: true, force: true });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
