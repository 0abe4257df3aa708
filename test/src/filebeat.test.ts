/**
 * The Filebeat shipping path, end to end: a real Filebeat built from source
 * (beats/filebeat/build.sh) reads an agent spool and ships it through the
 * snapshot pipeline of the real engine. The documents must come out exactly as
 * if the agent had posted them itself: same ids, same indices, parsed content,
 * the agent's host.name, and nothing shipped twice across a Filebeat restart.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { memoryLogger, testAgent } from './agent-helpers';
import { testCluster, type TestCluster } from './support/cluster';
import { currentIndex, currentStateId, historyId, historyIndex, HOST_DOC_PATH, type Target, type WireDoc } from '@mitra/core';

const REPO = resolve(__dirname, '..', '..');
const FILEBEAT_HOME = join(REPO, 'beats', 'filebeat');
const BUILD_SCRIPT = join(FILEBEAT_HOME, 'build.sh');
const WORK = join(REPO, 'test', '.work', `filebeat-${process.pid}`);

// Without Go there is no Filebeat to run; say so loudly instead of passing quietly.
const hasGo = spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;
if (!hasGo) console.warn('SKIPPED filebeat.test.ts: the Go toolchain is not installed, so Filebeat cannot be built');
const describeWithGo = hasGo ? describe : describe.skip;

const MEMINFO_1 = 'MemTotal:       16318412 kB\nMemFree:         1234567 kB\nCached:          7654321 kB\n';
const MEMINFO_2 = 'MemTotal:        8155992 kB\nMemFree:          812345 kB\nCached:          2345678 kB\n';
const HOSTS_1 = '127.0.0.1 localhost\n10.0.0.5 db-1\n';
const HOSTS_2 = '127.0.0.1 localhost\n';
const HOSTS_2_CHANGED = '127.0.0.1 localhost\n10.0.0.9 cache-1\n';

/** A wire document as the agent writes it (Date.toISOString timestamps). */
function wire(host: string, path: string, content: string, at: string, target: Target): WireDoc {
  return {
    '@timestamp': at,
    host: { name: host },
    file: { path, size: Buffer.byteLength(content) },
    mitra: { content, state: 'present', target, agent: { version: '0.1.0-test' } },
  };
}

/** Every line of the agent's spool files in `dir`. */
function spooled(dir: string): WireDoc[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.ndjson'))
    .flatMap((n) => readFileSync(join(dir, n), 'utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l) as WireDoc);
}

/** A complete spool file, written the agent's way: a hidden temporary name, then a rename. Strings are written verbatim. */
function writeSpool(dir: string, name: string, lines: (WireDoc | string)[]): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${name}.tmp`);
  writeFileSync(tmp, lines.map((l) => `${typeof l === 'string' ? l : JSON.stringify(l)}\n`).join(''));
  spawnSync('mv', [tmp, join(dir, name)]);
}

interface RunningFilebeat {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startFilebeat(bin: string, dataDir: string, env: Record<string, string>, extraArgs: string[] = []): RunningFilebeat {
  const args = ['-e', '-c', join(FILEBEAT_HOME, 'filebeat.yml'), '--path.home', FILEBEAT_HOME, '--path.data', dataDir, ...extraArgs];
  // Own process group, so afterAll can end Filebeat and anything it started.
  const child = spawn(bin, args, { env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  running.add(child);
  exited.then(() => running.delete(child));
  return { child, stderr: () => stderr, exited };
}

const running = new Set<ChildProcess>();
function killAll(signal: NodeJS.Signals): void {
  for (const c of running) {
    try {
      if (c.pid) process.kill(-c.pid, signal);
    } catch {
      // already gone
    }
  }
}
process.on('exit', () => killAll('SIGKILL'));

/** Graceful stop: SIGTERM makes Filebeat flush its registry and log its final metrics. */
async function stopFilebeat(fb: RunningFilebeat): Promise<void> {
  if (fb.child.exitCode === null && fb.child.pid) process.kill(-fb.child.pid, 'SIGTERM');
  await fb.exited;
}

/** Events the Elasticsearch output acknowledged during one Filebeat run, from its shutdown metrics. */
function ackedEvents(stderr: string): number {
  const line = stderr.split('\n').find((l) => l.includes('Total metrics'));
  if (!line) throw new Error(`Filebeat logged no final metrics:\n${stderr.slice(-3000)}`);
  const metrics = JSON.parse(line.slice(line.indexOf('{'))) as {
    monitoring: { metrics: { libbeat: { output: { events: { acked?: number } } } } };
  };
  return metrics.monitoring.metrics.libbeat.output.events.acked ?? 0;
}

interface Hit {
  _index: string;
  _id: string;
  _version?: number;
  _source: Record<string, unknown> & WireDoc;
}

async function allDocs(cluster: TestCluster): Promise<Hit[]> {
  await cluster.refresh();
  const res = await cluster.client.search({
    index: `${cluster.prefix}*`,
    size: 100,
    version: true,
    query: { match_all: {} },
  });
  return res.hits.hits as unknown as Hit[];
}

/** Polls the engine until `done` holds, for at most `ms` (Filebeat ships asynchronously). */
async function waitFor(cluster: TestCluster, fb: RunningFilebeat, done: (docs: Hit[]) => boolean, ms = 45_000): Promise<Hit[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const docs = await allDocs(cluster);
    if (done(docs)) return docs;
    if (fb.child.exitCode !== null) throw new Error(`Filebeat exited with ${fb.child.exitCode}:\n${fb.stderr().slice(-3000)}`);
    if (Date.now() > deadline) {
      const have = docs.map((d) => `${d._index} ${d._source.host?.name} ${d._source.file?.path} ${d._source['@timestamp']}`).join('\n');
      throw new Error(`documents did not arrive within ${ms} ms; have:\n${have}\nFilebeat log:\n${fb.stderr().slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const find = (docs: Hit[], host: string, path: string, target: Target, at?: string): Hit | undefined =>
  docs.find(
    (d) =>
      d._source.host.name === host &&
      d._source.file.path === path &&
      (target === 'current' ? d._index.endsWith('current') : d._index.includes('history-')) &&
      (at === undefined || d._source['@timestamp'] === at),
  );

describeWithGo('Filebeat ships the agent spool through the snapshot pipeline', () => {
  let bin: string;
  let cluster: TestCluster;
  let env: Record<string, string>;
  const spoolDir = join(WORK, 'spool');
  const dataDir = join(WORK, 'data');

  // The day boundary makes the two history documents of web-2 land in two daily indices.
  const T1 = '2026-03-14T23:59:58.250Z';
  const T2 = '2026-03-15T00:00:03.017Z';
  const T3 = '2026-03-15T08:30:00.999Z';
  const firstSpool: WireDoc[] = [
    wire('web-1', '/proc/meminfo', MEMINFO_1, T1, 'current'),
    wire('web-1', '/proc/meminfo', MEMINFO_1, T1, 'history'),
    wire('web-1', '/etc/hosts', HOSTS_1, T1, 'current'),
    wire('web-2', '/proc/meminfo', MEMINFO_2, T1, 'current'),
    wire('web-2', '/etc/hosts', HOSTS_2, T1, 'current'),
    wire('web-2', '/etc/hosts', HOSTS_2, T1, 'history'),
    // Unchanged meminfo of web-1 seen again: a current refresh only, no history growth.
    wire('web-1', '/proc/meminfo', MEMINFO_1, T2, 'current'),
  ];
  // Lines the pipeline would refuse (with HTTP 500, which Filebeat retries forever) must be
  // logged and dropped without holding up the good ones, and never indexed under the
  // name of the machine Filebeat runs on.
  const badLines = [
    JSON.stringify({ '@timestamp': T1, file: { path: '/etc/hosts' }, mitra: { content: HOSTS_1, target: 'current' } }),
    '{"@timestamp": "2026-03-14T23:59:58.250Z", "host": {"name": "web-3"}, "file": {"pa',
    JSON.stringify(wire('web-3', '/etc/hosts', HOSTS_1, T1, 'everywhere' as 'current')),
  ];
  const firstFile = 'spool-000001773532798250-4242-000000.ndjson';

  beforeAll(async () => {
    const build = spawnSync('bash', [BUILD_SCRIPT], { encoding: 'utf8', timeout: 25 * 60_000 });
    if (build.status !== 0) throw new Error(`beats/filebeat/build.sh failed (${build.status}):\n${build.stderr.slice(-3000)}`);
    bin = build.stdout.trim().split('\n').pop() ?? '';
    rmSync(WORK, { recursive: true, force: true });
    cluster = await testCluster('filebeat');
    await cluster.setup();
    env = {
      MITRA_ES_URL: cluster.url,
      MITRA_PREFIX: cluster.prefix,
      MITRA_SPOOL_DIR: spoolDir,
      MITRA_SPOOL_SCAN: '500ms',
    };
  }, 30 * 60_000);

  afterAll(async () => {
    killAll('SIGKILL');
    await cluster?.cleanup();
    rmSync(WORK, { recursive: true, force: true });
  });

  it('accepts filebeat.yml and reaches the engine with it', () => {
    const run = (cmd: string[], extraEnv: Record<string, string> = {}) =>
      spawnSync(
        bin,
        [...cmd, '-c', join(FILEBEAT_HOME, 'filebeat.yml'), '--path.home', FILEBEAT_HOME, '--path.data', join(WORK, 'check')],
        {
          encoding: 'utf8',
          env: { ...process.env, ...env, ...extraEnv },
        },
      );
    const config = run(['test', 'config']);
    expect(config.stdout.trim()).toBe('Config OK');
    expect(config.status).toBe(0);
    const output = run(['test', 'output']);
    expect(output.stdout).toContain('talk to server... OK');
    expect(output.status).toBe(0);
    // A wrong URL is reported as such, with a non-zero exit.
    const refused = run(['test', 'output'], { MITRA_ES_URL: 'http://127.0.0.1:1' });
    expect(refused.stdout).toMatch(/dial up\.\.\. ERROR .*connection refused/);
    expect(refused.status).not.toBe(0);
  });

  it('keeps the agent ids, indices, timestamps and host names, and parses the content', async () => {
    writeSpool(spoolDir, firstFile, [firstSpool[0], ...badLines, ...firstSpool.slice(1)]);
    const fb = startFilebeat(bin, dataDir, env);
    try {
      await waitFor(cluster, fb, (d) => d.length >= 6 && find(d, 'web-1', '/proc/meminfo', 'current', T2) !== undefined);
    } finally {
      await stopFilebeat(fb);
    }
    expect(ackedEvents(fb.stderr())).toBe(firstSpool.length);
    // Each refused line is logged once, naming its spool file and byte offset, and why.
    const dropped = [
      ...fb
        .stderr()
        .matchAll(
          /mitra spool: dropped the line at byte (\d+) of (\S+): (no host\.name|not a wire-format JSON line|mitra\.target is "\w+")/g,
        ),
    ];
    expect(dropped.map((m) => m[3])).toEqual(['no host.name', 'not a wire-format JSON line', 'mitra.target is "everywhere"']);
    expect(dropped.every((m) => m[2] === join(spoolDir, firstFile))).toBe(true);
    // The first refused line follows the first good line: its offset is that line's length.
    expect(Number(dropped[0][1])).toBe(Buffer.byteLength(`${JSON.stringify(firstSpool[0])}\n`));

    const final = await allDocs(cluster);
    // 4 (host, path) pairs → 4 current docs; 2 changes on T1 → 2 history docs.
    expect(final.filter((d) => d._index === currentIndex(cluster.prefix))).toHaveLength(4);
    expect(final.filter((d) => d._index.startsWith(historyIndex(cluster.prefix, '')))).toHaveLength(2);
    expect(final).toHaveLength(6);

    for (const [host, path] of [
      ['web-1', '/proc/meminfo'],
      ['web-1', '/etc/hosts'],
      ['web-2', '/proc/meminfo'],
      ['web-2', '/etc/hosts'],
    ]) {
      const cur = find(final, host, path, 'current');
      expect(cur?._id).toBe(currentStateId(host, path));
      expect(cur?._index).toBe(currentIndex(cluster.prefix));
    }
    for (const [host, path] of [
      ['web-1', '/proc/meminfo'],
      ['web-2', '/etc/hosts'],
    ]) {
      const hist = find(final, host, path, 'history', T1);
      // Filebeat re-serialises @timestamp; the agent's ISO form survives it byte for byte.
      expect(hist?._source['@timestamp']).toBe(T1);
      expect(hist?._id).toBe(historyId(host, path, T1));
      expect(hist?._index).toBe(`${cluster.prefix}history-2026.03.14`);
    }

    // The current doc carries the last observation (T2), not Filebeat's read time.
    const mem1 = find(final, 'web-1', '/proc/meminfo', 'current');
    expect(mem1?._source['@timestamp']).toBe(T2);
    const meminfo = (mem1?._source.mitra as unknown as { meminfo: Record<string, number> }).meminfo;
    expect(meminfo.MemTotal).toBe(16318412 * 1024);
    const mem2 = find(final, 'web-2', '/proc/meminfo', 'current')?._source.mitra as unknown as { meminfo: Record<string, number> };
    expect(mem2.meminfo.MemTotal).toBe(8155992 * 1024);

    for (const d of final) {
      // The agent's host, never the machine Filebeat runs on, and none of Filebeat's own fields.
      expect(['web-1', 'web-2']).toContain(d._source.host.name);
      expect(d._source.host.name).not.toBe(hostname());
      expect(Object.keys(d._source.host)).toEqual(['name']);
      for (const field of ['agent', 'ecs', 'log', 'input', 'event', 'fileset', 'error']) expect(d._source).not.toHaveProperty(field);
      expect(d._source.mitra.agent.version).toBe('0.1.0-test');
    }
  });

  it('ships only new lines after a restart on the same registry', async () => {
    const change = [
      wire('web-2', '/etc/hosts', HOSTS_2_CHANGED, T3, 'current'),
      wire('web-2', '/etc/hosts', HOSTS_2_CHANGED, T3, 'history'),
    ];
    writeSpool(spoolDir, 'spool-000001773563400999-4242-000001.ndjson', change);
    const fb = startFilebeat(bin, dataDir, env);
    try {
      await waitFor(cluster, fb, (d) => find(d, 'web-2', '/etc/hosts', 'current', T3) !== undefined);
    } finally {
      await stopFilebeat(fb);
    }
    // The registry remembered the first file: this run sent the two new lines and nothing else.
    expect(ackedEvents(fb.stderr())).toBe(change.length);

    const docs = await allDocs(cluster);
    expect(docs.filter((d) => d._index === currentIndex(cluster.prefix))).toHaveLength(4);
    const history = docs.filter((d) => d._index.startsWith(historyIndex(cluster.prefix, '')));
    expect(history.map((d) => d._index).sort()).toEqual([
      `${cluster.prefix}history-2026.03.14`,
      `${cluster.prefix}history-2026.03.14`,
      `${cluster.prefix}history-2026.03.15`,
    ]);
    const hosts = find(docs, 'web-2', '/etc/hosts', 'current');
    expect(hosts?._id).toBe(currentStateId('web-2', '/etc/hosts'));
    expect(hosts?._source.mitra.content).toBe(HOSTS_2_CHANGED);
    expect(find(docs, 'web-2', '/etc/hosts', 'history', T3)?._id).toBe(historyId('web-2', '/etc/hosts', T3));
    // Documents of the first file were not re-indexed: still at their first version.
    expect(find(docs, 'web-1', '/etc/hosts', 'current')?._version).toBe(1);
    expect(find(docs, 'web-2', '/proc/meminfo', 'current')?._version).toBe(1);
  });

  it('the `mitra` Filebeat module ships the same documents as the inline input', async () => {
    const moduleSpool = join(WORK, 'module-spool');
    const T4 = '2026-03-16T10:00:00.000Z';
    writeSpool(moduleSpool, 'spool-000001773655200000-77-000000.ndjson', [
      wire('db-1', '/etc/hosts', HOSTS_1, T4, 'current'),
      wire('db-1', '/etc/hosts', HOSTS_1, T4, 'history'),
    ]);
    const fb = startFilebeat(bin, join(WORK, 'module-data'), { ...env, MITRA_SPOOL_INPUT: 'false' }, [
      '-modules=mitra',
      '-M',
      `mitra.spool.var.paths=[${moduleSpool}/spool-*.ndjson]`,
      '-M',
      `mitra.spool.var.pipeline=${cluster.pipeline}`,
      '-M',
      'mitra.spool.var.scan_interval=500ms',
    ]);
    let docs: Hit[];
    try {
      docs = await waitFor(
        cluster,
        fb,
        (d) => find(d, 'db-1', '/etc/hosts', 'history', T4) !== undefined && find(d, 'db-1', '/etc/hosts', 'current') !== undefined,
      );
    } finally {
      await stopFilebeat(fb);
    }
    expect(ackedEvents(fb.stderr())).toBe(2);

    const cur = find(docs, 'db-1', '/etc/hosts', 'current');
    expect(cur?._id).toBe(currentStateId('db-1', '/etc/hosts'));
    expect(find(docs, 'db-1', '/etc/hosts', 'history', T4)?._index).toBe(`${cluster.prefix}history-2026.03.16`);
    for (const field of ['agent', 'ecs', 'log', 'input', 'event', 'fileset', 'service']) expect(cur?._source).not.toHaveProperty(field);
    expect(cur?._source.host).toEqual({ name: 'db-1' });
  });

  it('a file named with a control character in a watched folder does not hold up the spool', async () => {
    // Any local user can make such a name where a glob looks. The pipeline refuses its path (HTTP 500, which Filebeat
    // resends forever, so its registry never passes that line): the agent must not spool it.
    const folder = join(WORK, 'ctl-files');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'ok.conf'), 'a = 1\n');
    for (const name of ['bad\u0001.conf', 'new\nline.conf', 'esc\u001b[31m.conf']) writeFileSync(join(folder, name), 'b = 2\n');
    const agentSpool = join(WORK, 'ctl-spool');
    const host = 'fb-ctl-1';
    const { log, lines: logged } = memoryLogger();
    const agent = testAgent(
      cluster,
      { files: [join(folder, '*.conf')], host_name: host, output: 'spool', spool: { dir: agentSpool } },
      join(WORK, 'ctl-state'),
      { log },
    );
    try {
      await agent.runCycle();
    } finally {
      await agent.stop();
    }
    const lines = spooled(agentSpool);
    expect(lines.map((l) => `${l.file.path} ${l.mitra.target}`).sort()).toEqual([
      `${folder}/ok.conf current`,
      `${folder}/ok.conf history`,
      `${HOST_DOC_PATH} current`,
      `${HOST_DOC_PATH} history`,
    ]);
    // Each left-out file is named once, escaped, with what to do.
    const skipped = logged.filter((l) => l.includes('has a control character'));
    expect(skipped).toHaveLength(3);
    expect(skipped.join('\n')).toContain(JSON.stringify(join(folder, 'new\nline.conf')));

    const fb = startFilebeat(bin, join(WORK, 'ctl-data'), { ...env, MITRA_SPOOL_DIR: agentSpool });
    try {
      await waitFor(cluster, fb, (d) => d.filter((x) => x._source.host.name === host).length === lines.length);
    } finally {
      await stopFilebeat(fb);
    }
    // Every spooled line was acknowledged: nothing is left for Filebeat to resend.
    expect(ackedEvents(fb.stderr())).toBe(lines.length);
  });

  it('ships what the real agent spooled from this machine', async () => {
    const agentSpool = join(WORK, 'agent-spool');
    const host = 'fb-agent-1';
    const agent = testAgent(
      cluster,
      { files: ['/proc/meminfo', '/etc/hosts'], host_name: host, output: 'spool', spool: { dir: agentSpool } },
      join(WORK, 'agent-state'),
    );
    try {
      expect(await agent.runCycle()).toMatchObject({ rejected: 0 });
    } finally {
      await agent.stop();
    }
    const lines = spooled(agentSpool);
    // First sight of both files and of the host document: a current and a history document each.
    expect(lines.map((l) => `${l.file.path} ${l.mitra.target}`).sort()).toEqual([
      '/etc/hosts current',
      '/etc/hosts history',
      '/proc/meminfo current',
      '/proc/meminfo history',
      `${HOST_DOC_PATH} current`,
      `${HOST_DOC_PATH} history`,
    ]);

    const fb = startFilebeat(bin, join(WORK, 'agent-data'), { ...env, MITRA_SPOOL_DIR: agentSpool });
    let docs: Hit[];
    try {
      docs = await waitFor(cluster, fb, (d) => d.filter((x) => x._source.host.name === host).length === lines.length);
    } finally {
      await stopFilebeat(fb);
    }
    for (const line of lines) {
      const doc = find(docs, host, line.file.path, line.mitra.target, line['@timestamp']);
      const id =
        line.mitra.target === 'current' ? currentStateId(host, line.file.path) : historyId(host, line.file.path, line['@timestamp']);
      expect(doc?._id).toBe(id);
      expect(doc?._source.mitra.content).toBe(line.mitra.content);
    }
    const memTotalKb = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]);
    const meminfo = find(docs, host, '/proc/meminfo', 'current')?._source.mitra as unknown as { meminfo: Record<string, number> };
    expect(meminfo.meminfo.MemTotal).toBe(memTotalKb * 1024);
    // The host document arrives through Filebeat parsed like any other. No document is stamped: the agent cannot see what
    // the cluster refuses through Filebeat, so host questions do not take its host document at its word (they pass over every host).
    expect((find(docs, host, HOST_DOC_PATH, 'current')?._source.mitra as unknown as { reports: string[] }).reports).toEqual([
      '/etc/hosts',
      '/proc/meminfo',
    ]);
    expect(docs.filter((d) => d._source.host.name === host).some((d) => d._source.mitra.agent.host_doc !== undefined)).toBe(false);
  });
});
