import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentDoc, memoryLogger, runMitra, removeTempDirs, tempDir, testAgent } from './agent-helpers';
import { testCluster, type TestCluster } from './support/cluster';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await testCluster('agent-files');
  await cluster.setup();
});
afterAll(async () => {
  removeTempDirs();
  await cluster.cleanup();
});

const PLANTED = 'hunter2-planted-secret';
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x\n-----END RSA PRIVATE KEY-----\n';

/** A fake host root with one file for every way a read can go wrong. */
function hostRoot(): string {
  const root = tempDir('files');
  for (const d of ['etc/ssh', 'etc/ssl/private', 'data/subdir']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'etc/shadow'), 'root:$6$salt$hash:19000:0:99999:7:::\n');
  writeFileSync(join(root, 'etc/ssh/ssh_host_ed25519_key'), PEM);
  writeFileSync(join(root, 'etc/ssl/private/server.key'), PEM);
  writeFileSync(join(root, 'etc/app.conf'), `user = app\npassword = ${PLANTED}\n`);
  writeFileSync(join(root, 'data/elf.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x00, 0x01]));
  writeFileSync(join(root, 'data/latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a])); // "café" in Latin-1: invalid UTF-8
  writeFileSync(join(root, 'data/huge.log'), 'x'.repeat(1024 * 1024 + 1));
  // Opening a FIFO for reading blocks until a writer appears; the agent must not hang on it.
  execFileSync('mkfifo', [join(root, 'data/pipe')]);
  return root;
}

const FILES = [
  '/etc/shadow',
  '/etc/ssh/ssh_host_ed25519_key',
  '/etc/ssl/private/server.key',
  '/etc/app.conf',
  '/data/elf.bin',
  '/data/latin1.txt',
  '/data/huge.log',
  '/data/pipe',
  '/data/subdir',
  '/data/gone.conf',
];

describe('agent file handling', () => {
  it('ships a snapshot with a state and reason for every file it cannot or must not read, and never a secret', async () => {
    const root = hostRoot();
    const { log, lines } = memoryLogger();
    const agent = testAgent(
      cluster,
      {
        files: FILES,
        hostfs: root,
        host_name: 'files-host',
        indexer: { maxsize: 1 },
        redact: [{ pattern: '^(password\\s*=\\s*).*$', replacement: '$1[REDACTED]' }],
      },
      join(root, 'state'),
      { log },
    );
    const summary = await agent.runCycle();
    // Ten files (one read, nine with a state saying why not), current and history each, and the host document.
    expect(summary).toMatchObject({ read: 1, spooled: 0, rejected: 0, shipped: 20 + 2 });
    await cluster.refresh();
    const expected: Record<string, [string, RegExp]> = {
      '/etc/shadow': ['refused', /password hashes/],
      '/etc/ssh/ssh_host_ed25519_key': ['refused', /SSH host private key/],
      '/etc/ssl/private/server.key': ['refused', /contains a private key/],
      '/data/elf.bin': ['binary', /NUL byte or invalid UTF-8/],
      '/data/latin1.txt': ['binary', /NUL byte or invalid UTF-8/],
      '/data/huge.log': ['too_large', /^1048577 bytes is over maxsize 1 MB$/],
      '/data/pipe': ['unreadable', /not a regular file \(fifo\)/],
      '/data/subdir': ['unreadable', /not a regular file \(directory\)/],
      '/data/gone.conf': ['missing', /ENOENT/],
    };
    for (const [path, [state, reason]] of Object.entries(expected)) {
      const doc = await currentDoc(cluster, 'files-host', path);
      expect({ path, state: doc?.mitra.state }).toEqual({ path, state });
      expect(doc?.mitra.reason).toMatch(reason);
      expect(doc?.mitra.content).toBeUndefined();
      // One clear log line per skipped file, naming it.
      expect(lines.some((l) => l.includes(`WARN  ${path}: ${state}`))).toBe(true);
    }
    expect((await currentDoc(cluster, 'files-host', '/data/huge.log'))?.file.size).toBe(1024 * 1024 + 1);

    // Redacted before shipping: the planted secret is nowhere in the cluster, and the hash is of the redacted text.
    const app = await currentDoc(cluster, 'files-host', '/etc/app.conf');
    expect(app?.mitra.content).toBe('user = app\npassword = [REDACTED]\n');
    expect((app as { file: { hash?: { sha256?: string } } }).file.hash?.sha256).toBe(
      createHash('sha256').update('user = app\npassword = [REDACTED]\n').digest('hex'),
    );
    // The text fields a file's words can reach (an all-field query expands past OpenSearch's 1024-clause limit on
    // this mapping); secrets.test.ts scans every stored _source as well.
    const fields = ['mitra.content', 'mitra.reason', 'file.path'];
    for (const q of [PLANTED, `"${PLANTED}"`, 'hunter2*', 'RSA', '"19000"']) {
      const hits = await cluster.client.count({ index: `${cluster.prefix}*`, query: { query_string: { query: q, fields } } });
      expect({ q, count: hits.count }).toEqual({ q, count: 0 });
    }
    await agent.stop();
  });

  it('ships secrets only with allow_secrets: true', async () => {
    const root = hostRoot();
    const agent = testAgent(
      cluster,
      // redact: off too, or the default rules would redact the hash inside (test/src/secrets.test.ts covers that).
      { files: ['/etc/shadow'], hostfs: root, host_name: 'secrets-allowed', allow_secrets: true, redact: 'off' },
      join(root, 'state'),
    );
    await agent.runCycle();
    await cluster.refresh();
    const doc = await currentDoc(cluster, 'secrets-allowed', '/etc/shadow');
    expect(doc?.mitra.state).toBe('present');
    expect(doc?.mitra.content).toBe(readFileSync(join(root, 'etc/shadow'), 'utf8'));
    await agent.stop();
  });

  it('reports EACCES as unreadable, running the agent as an unprivileged user', async () => {
    // Tests run as root, and root reads a mode-000 file (CAP_DAC_OVERRIDE): to get a real
    // EACCES, the agent itself runs as nobody (65534), as it would under a restricted service user.
    const dir = tempDir('eacces');
    chmodSync(dir, 0o755);
    const secret = join(dir, 'locked.conf');
    const open = join(dir, 'open.conf');
    writeFileSync(secret, 'locked\n');
    chmodSync(secret, 0o000);
    writeFileSync(open, 'open\n');
    chmodSync(open, 0o644);
    const state = join(dir, 'state');
    mkdirSync(state);
    chownSync(state, 65534, 65534);
    const config = join(dir, 'runner.yaml');
    writeFileSync(
      config,
      `files: [${secret}, ${open}]\nhost_name: eacces-host\nindexer: {prefix: ${cluster.prefix}}\nelasticsearch: {url: '${cluster.url}'}\npackages: off\nsysctl: off\n`,
    );
    chmodSync(config, 0o644);
    const run = await runMitra(['agent', '--once', '-c', config, '--state-dir', state], { uid: 65534, gid: 65534 });
    expect(run.stderr).toMatch(new RegExp(`WARN  ${secret}: unreadable \\(EACCES`));
    expect(run.code).toBe(0);
    await cluster.refresh();
    const locked = await currentDoc(cluster, 'eacces-host', secret);
    expect(locked?.mitra.state).toBe('unreadable');
    expect(locked?.mitra.reason).toMatch(/^EACCES/);
    expect((await currentDoc(cluster, 'eacces-host', open))?.mitra.content).toBe('open\n');
  });

  it('reads live kernel settings from /proc/sys, all of them, skipping write-only and volatile entries', async () => {
    const dir = tempDir('sysctl');
    const agent = testAgent(cluster, { files: [], host_name: 'sysctl-host', sysctl: 'all' }, join(dir, 'state'));
    await agent.runCycle();
    await cluster.refresh();
    const doc = (await currentDoc(cluster, 'sysctl-host', 'mitra:sysctl')) as unknown as {
      mitra: { content: string; settings: { key: string; value: string }[] };
    };
    const swappiness = readFileSync('/proc/sys/vm/swappiness', 'utf8').trim();
    expect(doc.mitra.content).toContain(`vm.swappiness = ${swappiness}\n`);
    expect(doc.mitra.settings).toContainEqual({ key: 'vm.swappiness', value: swappiness });
    expect(doc.mitra.settings.length).toBeGreaterThan(100);
    const keys = doc.mitra.settings.map((s) => s.key);
    expect(keys).not.toContain('vm.compact_memory'); // mode 0200: write-only
    expect(keys).not.toContain('kernel.random.uuid'); // a new value on every read
    await agent.stop();
  });
});
