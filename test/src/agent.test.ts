import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, release } from 'node:os';
import { join } from 'node:path';
import { parseAgentConfig, shippable, toWireDoc, type Agent } from '@mitra/beats';
import { CONFIG_TOP_KEYS, contentHash, currentIndex, HOST_DOC_PATH } from '@mitra/core';
import { currentDoc, cycleFeed, historyDocs, memoryLogger, runMitra, removeTempDirs, tempDir, testAgent } from './agent-helpers';
import { testCluster, type TestCluster } from './support/cluster';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await testCluster('agent');
  await cluster.setup();
});
afterAll(async () => {
  removeTempDirs();
  await cluster.cleanup();
});

const ORIGINAL_FILES = [
  '/etc/hosts',
  '/etc/resolv.conf',
  '/etc/sysctl.conf',
  '/etc/security/limits.conf',
  '/etc/ntp.conf',
  '/etc/fstab',
  '/tmp/pkgs',
  '/proc/meminfo',
  '/proc/version',
];

describe('mitra agent with the original runner.yaml (real subprocess)', () => {
  it('indexes this machine’s files, reports absent ones as missing, and does not re-create history on restart', async () => {
    const dir = tempDir('agent-original');
    const config = join(dir, 'runner.yaml');
    // The original file; only the cluster address, the prefix and the log path point at this test.
    writeFileSync(
      config,
      `log: {file: ${dir}/runner.log, maxsize: 10, level: info}
indexer: {prefix: ${cluster.prefix}, es_host: 127.0.0.1, es_port: ${new URL(cluster.url).port}, maxsize: 10}  # maxsize in MB, -1 = no limit
files: [${ORIGINAL_FILES.join(', ')}]
frequency: 300  # seconds
`,
    );
    const state = join(dir, 'state');
    const first = await runMitra(['agent', '--once', '-c', config, '--state-dir', state]);
    expect(first.stderr).toMatch(/cycle: \d+ read/);
    expect(first.code).toBe(0);
    await cluster.refresh();

    const host = hostname();
    for (const path of ORIGINAL_FILES) {
      const doc = await currentDoc(cluster, host, path);
      expect(doc?.file.path).toBe(path);
      if (!existsSync(path)) {
        expect(doc?.mitra.state).toBe('missing');
        expect(doc?.mitra.content).toBeUndefined();
        continue;
      }
      expect(doc?.mitra.state).toBe('present');
      if (path.startsWith('/etc/')) {
        // Regular files: exactly the bytes on disk, hashed by the pipeline.
        const text = readFileSync(path, 'utf8');
        expect(doc?.mitra.content).toBe(text);
        expect((doc as { file: { hash?: { sha256?: string } } }).file.hash?.sha256).toBe(contentHash(text));
        expect(doc?.file.size).toBe(Buffer.byteLength(text));
      }
    }
    expect(existsSync('/etc/ntp.conf') || (await currentDoc(cluster, host, '/etc/ntp.conf'))?.mitra.state === 'missing').toBe(true);
    // /proc files report st_size 0 but were read to EOF, and parsed by the pipeline.
    const version = (await currentDoc(cluster, host, '/proc/version')) as unknown as { mitra: { kernel: { release: string } } };
    expect(version.mitra.kernel.release).toBe(release());
    const meminfo = (await currentDoc(cluster, host, '/proc/meminfo')) as unknown as { mitra: { meminfo: { MemTotal: number } } };
    expect(meminfo.mitra.meminfo.MemTotal).toBeGreaterThan(0);
    // The package list rides along as mitra:packages (dpkg or rpm, whichever this machine has).
    if (existsSync('/usr/bin/dpkg-query') || existsSync('/usr/bin/rpm')) {
      const packages = (await currentDoc(cluster, host, 'mitra:packages')) as unknown as { mitra: { package_count: number } };
      expect(packages.mitra.package_count).toBeGreaterThan(0);
    }
    // The host document lists exactly what the cycle sent as present, and every document says the host writes one.
    const sent = await cluster.client.search<{ file: { path: string }; mitra: { state: string; agent: { host_doc?: boolean } } }>({
      index: currentIndex(cluster.prefix),
      size: 100,
      query: { term: { 'host.name': host } },
    });
    const docs = sent.hits.hits.map((h) => h._source!);
    expect(docs.every((d) => d.mitra.agent.host_doc === true)).toBe(true);
    const present = docs.filter((d) => d.mitra.state === 'present' && d.file.path !== HOST_DOC_PATH).map((d) => d.file.path);
    const hostDoc = (await currentDoc(cluster, host, HOST_DOC_PATH)) as unknown as { mitra: { reports: string[] } };
    expect(hostDoc.mitra.reports).toEqual(present.sort());
    expect(hostDoc.mitra.reports).toContain('/proc/version');
    // The original Lucene query works verbatim on what the agent shipped.
    const hosts = await cluster.client.count({ index: currentIndex(cluster.prefix), q: 'filename:"/etc/hosts" AND content:localhost' });
    expect(hosts.count).toBe(readFileSync('/etc/hosts', 'utf8').includes('localhost') ? 1 : 0);
    expect(await historyDocs(cluster, host, '/etc/hosts')).toHaveLength(1);
    expect(readFileSync(join(dir, 'runner.log'), 'utf8')).toMatch(/INFO {2}cycle: .* 0 spooled, 0 rejected/);

    // A restart with unchanged files: current documents refreshed, no new history.
    const second = await runMitra(['agent', '--once', '-c', config, '--state-dir', state]);
    expect(second.code).toBe(0);
    await cluster.refresh();
    expect(await historyDocs(cluster, host, '/etc/hosts')).toHaveLength(1);
    const refreshed = await currentDoc(cluster, host, '/etc/hosts');
    expect(refreshed!['@timestamp'] > refreshed!.mitra.changed_at!).toBe(true);

    const status = await runMitra(['agent', '--status', '--json', '-c', config, '--state-dir', state]);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as { lastSuccess: string; spool: { files: number }; lastCycle: { at: string } };
    expect(parsed.spool.files).toBe(0);
    expect(parsed.lastSuccess).toBe(parsed.lastCycle.at);
  });

  it('names an unknown config key in one line and exits 2', async () => {
    const dir = tempDir('agent-badkey');
    writeFileSync(join(dir, 'runner.yaml'), 'files: [/etc/hosts]\nfrequncy: 10\n');
    const run = await runMitra(['agent', '--once', '-c', join(dir, 'runner.yaml'), '--state-dir', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `mitra: config file ${dir}/runner.yaml: unknown key "frequncy": remove it or use one of ${CONFIG_TOP_KEYS.join(', ')}`,
    );
  });

  it('refuses to start with a host_name or tag the pipeline would refuse on every document, and leaves out paths it would refuse, and only those', async () => {
    // Agreement with the real pipeline: each candidate goes both through the config check and, on a document, through _bulk.
    const hostNames = [
      'web-01',
      'web-01.example.com',
      'Ünïcode-host',
      'h'.repeat(255),
      'h'.repeat(256),
      'é'.repeat(128),
      ' web',
      'web ',
      'we\tb',
      'web\n',
      'a\u007fb',
    ];
    const tags = [['a'], ['x'.repeat(1024)], ['x'.repeat(1025)], ['é'.repeat(512)], ['é'.repeat(513)]];
    const accepted = (raw: Record<string, unknown>) => {
      try {
        parseAgentConfig({ files: ['/etc/hosts'], ...raw }, { env: {}, stateDir: '/nonexistent' });
        return true;
      } catch {
        return false;
      }
    };
    const doc = (host: string, tagList?: string[]) => ({
      '@timestamp': new Date().toISOString(),
      host: { name: host },
      file: { path: '/etc/hosts' },
      mitra: { content: '127.0.0.1 localhost\n', ...(tagList ? { tags: tagList } : {}) },
    });
    const sent = [...hostNames.map((h) => doc(h)), ...tags.map((t) => doc('tag-host', t))];
    const res = await cluster.client.bulk({ pipeline: cluster.pipeline, operations: sent.flatMap((d) => [{ index: { _index: 'x' } }, d]) });
    const byPipeline = res.items.map((i) => !i.index?.error);
    const byConfig = [...hostNames.map((h) => accepted({ host_name: h })), ...tags.map((t) => accepted({ tags: t }))];
    expect(byConfig).toEqual(byPipeline);
    expect(byPipeline.filter((ok) => !ok).length).toBe(9);

    // The same for the paths a walk can find: the agent leaves out exactly the paths the pipeline refuses.
    const deep = `/${'d'.repeat(250)}`.repeat(16);
    const paths = [
      `${deep}/${'f'.repeat(79)}`,
      `${deep}/${'f'.repeat(80)}`,
      '/etc/a b.conf',
      '/etc/café',
      '/etc/new\nline',
      '/etc/esc\u001b',
      '/etc/del\u007f',
    ];
    const pathRes = await cluster.client.bulk({
      pipeline: cluster.pipeline,
      operations: paths.flatMap((path) => [{ index: { _index: 'x' } }, { ...doc('path-host'), file: { path } }]),
    });
    expect(paths.map((p) => shippable(p))).toEqual(pathRes.items.map((i) => !i.index?.error));
    expect(paths.filter((p) => !shippable(p))).toHaveLength(4);

    // A reason quoting a long path: refused as it is, taken once the agent bounds it (beats/src/wire.ts).
    const ctx = { host: { name: 'reason-host' }, timestamp: new Date().toISOString(), tags: [], agentVersion: 'test' };
    const reason = `EACCES: permission denied, open '/${'d'.repeat(4090)}'`;
    const bounded = toWireDoc({ path: '/etc/x', state: 'unreadable', reason }, ctx, 'current');
    const raw = { ...bounded, file: { path: '/etc/y' }, mitra: { ...bounded.mitra, reason } };
    const reasonRes = await cluster.client.bulk({
      pipeline: cluster.pipeline,
      operations: [bounded, raw].flatMap((d) => [{ index: { _index: 'x' } }, d]),
    });
    expect(reasonRes.items.map((i) => i.index?.error?.reason ?? 'ok')).toEqual([
      'ok',
      expect.stringMatching(/mitra\.reason is \d+ bytes long; at most 4096 bytes are accepted/),
    ]);

    // And in the real command: one line naming the key, exit 2, before anything is collected.
    const dir = tempDir('agent-badhost');
    writeFileSync(join(dir, 'runner.yaml'), 'files: [/etc/hosts]\nhost_name: "web-01 "\n');
    const run = await runMitra(['agent', '--once', '-c', join(dir, 'runner.yaml'), '--state-dir', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `mitra: config file ${dir}/runner.yaml: "host_name" "web-01 " has control characters or surrounding spaces: give the plain name`,
    );
  });
});

describe('change detection by file events', () => {
  let agent: Agent | undefined;
  afterEach(() => agent?.stop());

  it('ships a modified or new watched file without waiting for the cycle', async () => {
    const dir = tempDir('agent-watch');
    mkdirSync(join(dir, 'conf.d'));
    const app = join(dir, 'app.conf');
    writeFileSync(app, 'mode = one\n');
    const feed = cycleFeed();
    const { log, lines: logged } = memoryLogger();
    agent = testAgent(cluster, { files: [app, `${dir}/conf.d/*.conf`], frequency: 3600, host_name: 'watch-host' }, join(dir, 'state'), {
      onCycle: feed.onCycle,
      log,
    });
    const first = feed.next((s) => s.trigger === 'cycle', 10_000);
    agent.start();
    // The file and the host document (a full cycle), current and history each.
    expect(await first).toMatchObject({ read: 1, changed: 1, shipped: 4 });
    expect(agent.watching).toEqual(expect.arrayContaining([dir, join(dir, 'conf.d')]));

    // Frequency is an hour: only the file event can bring these in.
    const modified = feed.next((s) => s.trigger === 'watch' && s.changed === 1, 5000);
    writeFileSync(app, 'mode = two\n');
    expect(await modified).toMatchObject({ read: 1, shipped: 2 });
    await cluster.refresh();
    expect((await currentDoc(cluster, 'watch-host', app))?.mitra.content).toBe('mode = two\n');
    expect((await historyDocs(cluster, 'watch-host', app)).map((d) => d.mitra.content)).toEqual(['mode = one\n', 'mode = two\n']);

    const created = feed.next((s) => s.trigger === 'watch' && s.changed === 1, 5000);
    writeFileSync(join(dir, 'conf.d', '10-new.conf'), 'x = 1\n');
    await created;
    await cluster.refresh();
    expect((await currentDoc(cluster, 'watch-host', join(dir, 'conf.d', '10-new.conf')))?.mitra.content).toBe('x = 1\n');

    // A name with a control character, made where the glob looks: left out and named, never sent for the cluster to refuse.
    const bad = join(dir, 'conf.d', '20-evil\n.conf');
    const next = feed.next((s) => s.trigger === 'watch' && s.changed === 1, 5000);
    writeFileSync(bad, 'y = 2\n');
    writeFileSync(join(dir, 'conf.d', '30-next.conf'), 'z = 3\n');
    expect(await next).toMatchObject({ read: 1, shipped: 2, rejected: 0 });
    expect(logged.filter((l) => l.includes(`${JSON.stringify(bad)} has a control character in its name (code 10)`)).length).toBeGreaterThan(
      0,
    );
    await cluster.refresh();
    expect(await currentDoc(cluster, 'watch-host', bad)).toBeUndefined();
  });
});

describe('hostfs and host_name', () => {
  it('lets one machine stand in for several hosts, with paths as each host sees them', async () => {
    const roots = { 'sim-a': tempDir('hostfs-a'), 'sim-b': tempDir('hostfs-b') };
    const fstab = { 'sim-a': '/dev/sda1 / ext4 defaults 0 1\n', 'sim-b': '/dev/vda1 / xfs defaults 0 1\n' };
    for (const [host, root] of Object.entries(roots)) {
      mkdirSync(join(root, 'etc'));
      mkdirSync(join(root, 'proc'));
      writeFileSync(join(root, 'etc/hosts'), `127.0.0.1 localhost ${host}\n`);
      writeFileSync(join(root, 'etc/fstab'), fstab[host as keyof typeof fstab]);
      writeFileSync(join(root, 'proc/version'), `Linux version ${host === 'sim-a' ? '4.4.0-21-generic' : '5.15.0-1-amd64'} (gcc) #1 SMP\n`);
      const agent = testAgent(
        cluster,
        { files: ['/etc/hosts', '/etc/fstab', '/proc/version'], hostfs: root, host_name: host },
        join(root, 'state'),
      );
      expect(await agent.runCycle()).toMatchObject({ read: 3, shipped: 6 + 2, spooled: 0 });
    }
    await cluster.refresh();
    const a = await currentDoc(cluster, 'sim-a', '/etc/hosts');
    expect(a?.file.path).toBe('/etc/hosts');
    expect(a?.mitra.content).toBe('127.0.0.1 localhost sim-a\n');
    expect((await currentDoc(cluster, 'sim-b', '/etc/hosts'))?.mitra.content).toBe('127.0.0.1 localhost sim-b\n');
    const ext4 = await cluster.client.search({
      index: currentIndex(cluster.prefix),
      q: 'filename:"/etc/fstab" AND content:ext4',
      _source: ['host.name'],
    });
    expect(ext4.hits.hits.map((h) => (h._source as { host: { name: string } }).host.name)).toEqual(['sim-a']);
    const kernel44 = await cluster.client.count({
      index: currentIndex(cluster.prefix),
      query: { term: { 'mitra.kernel.major_minor': '4.4' } },
    });
    expect(kernel44.count).toBe(1);
  });
});
