import { copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { documentPath } from '@mitra/beats';
import { currentDoc, historyDocs, removeTempDirs, runMitra, tempDir } from './agent-helpers';
import { testCluster, type TestCluster } from './support/cluster';
import { currentIndex } from '@mitra/core';

/**
 * Secrets never leave the host: the real agent (the `mitra` command) runs over
 * a corpus of secret-bearing files and path tricks into the real engine, then
 * every index under the prefix, the spool, the log and state.json are searched
 * for every secret: zero hits; the lookalikes are still there and searchable.
 */

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await testCluster('secrets');
  await cluster.setup();
});
afterAll(async () => {
  removeTempDirs();
  await cluster.cleanup();
});

const PEM = (label: string, body: string) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;

interface CorpusFile {
  path: string;
  content: string;
  /** Strings that must never leave the host. */
  secrets: string[];
  /** `refused`: no content at all; `present`: shipped with the secrets redacted. */
  state: 'refused' | 'present';
  /** Lines that must arrive unchanged (lookalikes, and the rest of a redacted file). */
  keep?: string[];
}

const SHADOW =
  'root:$6$corpusSalt$CorpusShadowHash0001:19000:0:99999:7:::\nbob:$y$j9T$CorpusYesSalt$CorpusYescrypt0002:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n';

/** Every kind of secret the rules promise to handle, as real-world files would hold it (host-visible paths). */
const CORPUS: CorpusFile[] = [
  { path: '/etc/shadow', content: SHADOW, secrets: ['CorpusShadowHash0001', 'CorpusYescrypt0002'], state: 'refused' },
  {
    path: '/etc/gshadow',
    content: 'root:*::\nadm:$6$gs$CorpusGshadowHash03:bob:bob\n',
    secrets: ['CorpusGshadowHash03'],
    state: 'refused',
  },
  { path: '/backup/shadow.bak', content: SHADOW.replace(/Corpus/g, 'CorpusBak'), secrets: ['CorpusBakShadowHash0001'], state: 'refused' },
  { path: '/backup/gshadow.old', content: 'adm:$6$gs$CorpusOldGshadow04::bob\n', secrets: ['CorpusOldGshadow04'], state: 'refused' },
  { path: '/root/.pgpass', content: 'db:5432:*:app:CorpusPgpass05\n', secrets: ['CorpusPgpass05'], state: 'refused' },
  {
    path: '/etc/ssh/ssh_host_ed25519_key',
    content: PEM('OPENSSH PRIVATE KEY', 'b3BlbnNzaC1rZXktdjEAAAAACorpusHostKey06'),
    secrets: ['CorpusHostKey06'],
    state: 'refused',
  },
  {
    path: '/home/bob/.ssh/id_ed25519',
    content: PEM('OPENSSH PRIVATE KEY', 'b3BlbnNzaC1rZXktdjEAAAAACorpusOpenSsh07'),
    secrets: ['CorpusOpenSsh07'],
    state: 'refused',
  },
  {
    path: '/etc/ssl/private/server.key',
    content: PEM('RSA PRIVATE KEY', 'MIIEowIBAAKCAQEACorpusRsaKey08'),
    secrets: ['CorpusRsaKey08'],
    state: 'refused',
  },
  {
    path: '/home/bob/.gnupg/private.asc',
    content: `${PEM('PGP PRIVATE KEY BLOCK', '\nlQOYBFCorpusPgpBody09\n=AbCd')}`,
    secrets: ['CorpusPgpBody09'],
    state: 'refused',
  },
  {
    path: '/home/bob/putty.ppk',
    content:
      'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: bob\nPublic-Lines: 1\nAAAAC3NzaC1lZDI1NTE5\nPrivate-Lines: 1\nAAAAICorpusPutty10\nPrivate-MAC: 7f3a\n',
    secrets: ['CorpusPutty10'],
    state: 'refused',
  },
  {
    path: '/root/.kube/config',
    content: [
      'apiVersion: v1',
      'clusters:',
      '- cluster:',
      '    certificate-authority-data: LS0tCorpusCaIsPublic',
      '    server: https://10.0.0.1:6443',
      '  name: prod',
      'users:',
      '- name: admin',
      '  user:',
      '    client-certificate-data: LS0tCorpusCertIsPublic',
      '    client-key-data: LS0tCorpusKubeClientKey11',
      '- name: robot',
      '  user:',
      '    token: CorpusKubeToken12',
      '',
    ].join('\n'),
    secrets: ['CorpusKubeClientKey11', 'CorpusKubeToken12'],
    state: 'present',
    keep: [
      '    certificate-authority-data: LS0tCorpusCaIsPublic',
      '    client-certificate-data: LS0tCorpusCertIsPublic',
      '    server: https://10.0.0.1:6443',
    ],
  },
  {
    path: '/root/.aws/credentials',
    content:
      '[default]\naws_access_key_id = AKIACORPUSEXAMPLE01\naws_secret_access_key = CorpusAwsSecret13/K7MDENG\naws_session_token = CorpusAwsSession14//wEaD\nregion = eu-west-1\n',
    secrets: ['CorpusAwsSecret13', 'CorpusAwsSession14'],
    state: 'present',
    keep: ['[default]', 'aws_access_key_id = AKIACORPUSEXAMPLE01', 'region = eu-west-1'],
  },
  {
    path: '/etc/gcp/service-account.json',
    content: `${JSON.stringify(
      {
        type: 'service_account',
        project_id: 'corpus-project',
        private_key_id: 'f00dcafe',
        private_key: PEM('PRIVATE KEY', 'MIIEvQIBADANCorpusGcpKey15'),
        client_email: 'sa@corpus-project.iam.gserviceaccount.com',
      },
      null,
      2,
    )}\n`,
    secrets: ['CorpusGcpKey15'],
    state: 'present',
    keep: ['  "client_email": "sa@corpus-project.iam.gserviceaccount.com"', '  "type": "service_account",'],
  },
  {
    path: '/root/.azure/accessTokens.json',
    content:
      '[{"tokenType": "Bearer", "accessToken": "CorpusAzureAccess16", "refreshToken": "CorpusAzureRefresh17", "resource": "https://management.core.windows.net/"}]\n',
    secrets: ['CorpusAzureAccess16', 'CorpusAzureRefresh17'],
    state: 'present',
    keep: [],
  },
  {
    path: '/etc/app/.env',
    content:
      'DB_HOST=db.internal\nDB_PASSWORD=Sup3rS3cret\nAPI_TOKEN=CorpusEnvToken18\nDATABASE_URL=postgres://app:CorpusUrlPass19@db.internal/app\nAZURE_STORAGE=DefaultEndpointsProtocol=https;AccountName=corpus;AccountKey=CorpusAzureKey20==;EndpointSuffix=core.windows.net\n',
    secrets: ['Sup3rS3cret', 'CorpusEnvToken18', 'CorpusUrlPass19', 'CorpusAzureKey20'],
    state: 'present',
    keep: ['DB_HOST=db.internal'],
  },
  {
    path: '/etc/app/app.conf',
    content:
      '[db]\nuser = app\npassword = hunter2\n# password = CorpusOldPassword21\n\n[policy]\npassword_min_len = 8\ntoken_type = bearer\npassword_file = /etc/app/pw\n',
    secrets: ['hunter2', 'CorpusOldPassword21'],
    state: 'present',
    keep: ['user = app', 'password_min_len = 8', 'token_type = bearer', 'password_file = /etc/app/pw'],
  },
  {
    path: '/etc/app/config.json',
    content: '{\n  "name": "corpus",\n  "api_key": "sk-live-abcdef",\n  "secret": "CorpusJsonSecret22",\n  "retries": 3\n}\n',
    secrets: ['sk-live-abcdef', 'CorpusJsonSecret22'],
    state: 'present',
    keep: ['  "name": "corpus",', '  "retries": 3'],
  },
  {
    path: '/etc/app/app.yml',
    content: 'server:\n  port: 8080\n  api_key: CorpusYamlApiKey23\n  password: |\n    CorpusYamlBlock24\n  token_lifetime: 3600\n',
    secrets: ['CorpusYamlApiKey23', 'CorpusYamlBlock24'],
    state: 'present',
    keep: ['  port: 8080', '  token_lifetime: 3600'],
  },
  {
    path: '/etc/app/bundle.pem',
    content: `${PEM('CERTIFICATE', 'MIIBszCCAVmgCorpusCertPublic')}${PEM('EC PRIVATE KEY', 'MHcCAQEEICorpusEmbeddedKey25')}`,
    secrets: ['CorpusEmbeddedKey25'],
    state: 'present',
    keep: ['MIIBszCCAVmgCorpusCertPublic', '-----BEGIN CERTIFICATE-----'],
  },
  {
    path: '/etc/nginx/.htpasswd',
    content: 'admin:$apr1$CorpusApr$CorpusHtpasswd26\n',
    secrets: ['CorpusHtpasswd26'],
    state: 'present',
  },
  {
    path: '/root/.netrc',
    content: 'machine api.corpus.example login bob password CorpusNetrc27\n',
    secrets: ['CorpusNetrc27'],
    state: 'present',
  },
  {
    path: '/etc/redis/redis.conf',
    content: 'bind 127.0.0.1\nrequirepass CorpusRedis28\nmaxmemory 2gb\n',
    secrets: ['CorpusRedis28'],
    state: 'present',
    keep: ['bind 127.0.0.1', 'maxmemory 2gb'],
  },
  {
    path: '/etc/tomcat/tomcat-users.xml',
    content: '<tomcat-users>\n  <user username="admin" password="CorpusTomcat29" roles="manager-gui"/>\n</tomcat-users>\n',
    secrets: ['CorpusTomcat29'],
    state: 'present',
  },
  {
    path: '/var/run/secrets/kubernetes.io/serviceaccount/token',
    content: 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJrdWJlcm5ldGVzIn0.CorpusJwtSig30',
    secrets: ['CorpusJwtSig30', 'eyJpc3MiOiJrdWJlcm5ldGVzIn0'],
    state: 'present',
  },
  // Lookalikes: about passwords, not passwords. They must arrive byte for byte.
  {
    path: '/etc/login.defs',
    content: 'MAIL_DIR\t/var/mail\nPASS_MAX_DAYS\t99999\nPASS_MIN_DAYS\t0\nPASS_MIN_LEN\t5\nPASS_WARN_AGE\t7\nENCRYPT_METHOD SHA512\n',
    secrets: [],
    state: 'present',
  },
  {
    path: '/etc/nsswitch.conf',
    content: 'passwd:         files systemd\ngroup:          files systemd\nshadow:         files\n',
    secrets: [],
    state: 'present',
  },
  { path: '/etc/ssh/sshd_config', content: '#PermitEmptyPasswords no\nPasswordAuthentication no\n', secrets: [], state: 'present' },
  {
    path: '/etc/pam.d/common-password',
    content: 'password\trequisite\tpam_pwquality.so retry=3\n#password\n',
    secrets: [],
    state: 'present',
  },
  { path: '/etc/passwd', content: 'root:x:0:0:root:/root:/bin/bash\nbob:x:1000:1000::/home/bob:/bin/sh\n', secrets: [], state: 'present' },
  { path: '/etc/group', content: 'root:x:0:\nshadow:x:42:\n', secrets: [], state: 'present' },
];

/** Other names for /etc/shadow in the corpus root: each must be refused as what it is. */
const TRICKS = [
  '/etc/./shadow',
  '/etc//shadow',
  '/etc/../etc/shadow',
  '/srv/shadow-abs-link',
  '/srv/shadow-rel-link',
  '/srv/etc-link/shadow',
  '/srv/shadow-hardlink',
  '/srv/etc-link/../etc/shadow',
];
const LOOKALIKES = [
  'PASS_MAX_DAYS\t99999',
  'PASS_MIN_LEN\t5',
  'password_min_len = 8',
  'token_type = bearer',
  'passwd:         files systemd',
  'PasswordAuthentication no',
];

function buildRoot(): string {
  const root = tempDir('secrets-root');
  for (const f of CORPUS) {
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    writeFileSync(join(root, f.path), f.content);
  }
  mkdirSync(join(root, 'srv'));
  // Absolute targets are the host's paths: followed inside the root, never into the agent's own /etc.
  symlinkSync('/etc/shadow', join(root, 'srv/shadow-abs-link'));
  symlinkSync('../etc/shadow', join(root, 'srv/shadow-rel-link'));
  symlinkSync('/etc', join(root, 'srv/etc-link'));
  linkSync(join(root, 'etc/shadow'), join(root, 'srv/shadow-hardlink'));
  // Found by a glob, not named in the config: resolved after globbing all the same.
  mkdirSync(join(root, 'glob'));
  symlinkSync('../srv/etc-link/./shadow', join(root, 'glob/found-by-glob.conf'));
  return root;
}

function runnerYaml(dir: string, extra: Record<string, unknown>): string {
  const file = join(dir, `runner-${Object.keys(extra).join('-') || 'plain'}-${Math.random().toString(36).slice(2)}.yaml`);
  const config = {
    indexer: { prefix: cluster.prefix },
    elasticsearch: { url: cluster.url },
    packages: 'off',
    sysctl: 'off',
    ...extra,
  };
  writeFileSync(file, JSON.stringify(config)); // JSON is YAML
  return file;
}

/** Everything the agent wrote and everything in every index under the prefix, as one searchable text per place. */
async function everywhere(dirs: string[]): Promise<Record<string, string>> {
  await cluster.refresh();
  const places: Record<string, string> = {};
  const res = await cluster.client.search({ index: `${cluster.prefix}*`, size: 10_000, query: { match_all: {} } });
  for (const hit of res.hits.hits) places[`${hit._index}/${hit._id}`] = JSON.stringify(hit._source);
  const walk = (path: string): void => {
    const st = lstatSync(path); // links are not the agent's writing (and may point at the secrets themselves)
    if (st.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    else if (st.isFile()) places[path] = readFileSync(path, 'utf8');
  };
  dirs.forEach(walk);
  return places;
}

function leaks(places: Record<string, string>, secrets: string[]): string[] {
  return secrets.flatMap((s) => Object.entries(places).flatMap(([where, text]) => (text.includes(s) ? [`${s} in ${where}`] : [])));
}

describe('secrets never leave the host', () => {
  const HOST = 'secrets-host';
  const files = [...CORPUS.map((f) => f.path), ...TRICKS, '/glob/*.conf'];
  let root: string;
  let work: string;

  beforeAll(async () => {
    root = buildRoot();
    work = tempDir('secrets-work');
    // The real agent twice over the same corpus: once to Elasticsearch, once into a spool.
    const toEs = runnerYaml(work, { files, hostfs: root, host_name: HOST, log: { file: join(work, 'es/agent.log'), level: 'debug' } });
    const es = await runMitra(['agent', '--once', '-c', toEs, '--state-dir', join(work, 'es/state')]);
    expect({ code: es.code, stderr: es.stderr.split('\n').filter((l) => / ERROR /.test(l)) }).toEqual({ code: 0, stderr: [] });
    const toSpool = runnerYaml(work, {
      files,
      hostfs: root,
      host_name: HOST,
      output: 'spool',
      log: { file: join(work, 'spool/agent.log'), level: 'debug' },
    });
    const spool = await runMitra(['agent', '--once', '-c', toSpool, '--state-dir', join(work, 'spool/state')]);
    expect(spool.code).toBe(0);
    expect(readdirSync(join(work, 'spool/state/spool')).length).toBeGreaterThan(0);
  });

  it('finds no secret in any index, the spool, the logs or state.json', async () => {
    const places = await everywhere([work]);
    expect(Object.keys(places).filter((p) => p.startsWith(`${cluster.prefix}history`)).length).toBeGreaterThanOrEqual(
      new Set(files.map(documentPath)).size,
    );
    expect(Object.keys(places).some((p) => p.endsWith('state.json'))).toBe(true);
    expect(Object.keys(places).some((p) => p.endsWith('.ndjson'))).toBe(true);
    expect(Object.keys(places).some((p) => p.endsWith('agent.log'))).toBe(true);
    const secrets = CORPUS.flatMap((f) => f.secrets);
    expect(secrets.length).toBeGreaterThanOrEqual(30);
    expect(leaks(places, secrets)).toEqual([]);
    // The salt of the markers never leaves either.
    const salt = readFileSync(join(work, 'es/state/redact-salt'), 'utf8').trim();
    expect(leaks(places, [salt]).filter((l) => !l.endsWith('redact-salt'))).toEqual([]);
    expect(statSync(join(work, 'es/state/redact-salt')).mode & 0o777).toBe(0o600);
  });

  it('refuses every file that is wholly a secret, and every other name for /etc/shadow', async () => {
    // Spellings with ".", "//" or ".." are stored under their folded path (the pipeline takes no other), so several
    // tricks land on the document of /etc/shadow: refused, whichever spelling was read last.
    for (const path of [...CORPUS.filter((f) => f.state === 'refused').map((f) => f.path), ...TRICKS, '/glob/found-by-glob.conf']) {
      const doc = await currentDoc(cluster, HOST, documentPath(path));
      expect({ path, state: doc?.mitra.state, content: doc?.mitra.content }).toEqual({ path, state: 'refused', content: undefined });
    }
    expect((await currentDoc(cluster, HOST, '/etc/shadow'))?.mitra.reason).toMatch(
      /resolves to \/etc\/shadow, which holds password hashes$|holds password hashes/,
    );
    expect((await currentDoc(cluster, HOST, '/srv/shadow-hardlink'))?.mitra.reason).toBe(
      '/srv/shadow-hardlink is the same file as /etc/shadow',
    );
    expect((await currentDoc(cluster, HOST, '/backup/shadow.bak'))?.mitra.reason).toMatch(/shadow format/);
  });

  it('ships the other files with their secrets redacted in place: lines, keys and lookalikes kept', async () => {
    for (const f of CORPUS.filter((c) => c.state === 'present')) {
      const doc = await currentDoc(cluster, HOST, f.path);
      expect({ path: f.path, state: doc?.mitra.state }).toEqual({ path: f.path, state: 'present' });
      const content = doc!.mitra.content!;
      // Every line stays, except that a multi-line key block becomes one marker.
      if (!f.content.includes('PRIVATE KEY-----\n')) {
        expect({ path: f.path, lines: content.split('\n').length }).toEqual({ path: f.path, lines: f.content.split('\n').length });
      }
      if (!f.secrets.length) expect(content).toBe(f.content);
      else expect(content).toMatch(/«redacted:[0-9a-f]{8}»/);
      for (const line of f.keep ?? [])
        expect({ path: f.path, has: content.includes(line), line }).toEqual({ path: f.path, has: true, line });
    }
    const app = (await currentDoc(cluster, HOST, '/etc/app/app.conf'))!.mitra.content!;
    expect(app).toMatch(/^password = «redacted:[0-9a-f]{8}»$/m);
    const env = (await currentDoc(cluster, HOST, '/etc/app/.env'))!.mitra.content!;
    expect(env).toMatch(/^DB_PASSWORD=«redacted:[0-9a-f]{8}»$/m);
  });

  it('keeps the lookalikes searchable', async () => {
    for (const phrase of LOOKALIKES) {
      const res = await cluster.client.count({
        index: currentIndex(cluster.prefix),
        query: { bool: { filter: [{ term: { 'host.name': HOST } }, { match_phrase: { 'mitra.content': phrase } }] } },
      });
      expect({ phrase, count: res.count }).toEqual({ phrase, count: 1 });
    }
  });

  it('shows a changed password as a new history entry with a new marker, and an unchanged one as none', async () => {
    const config = runnerYaml(work, { files: ['/etc/app/app.conf'], hostfs: root, host_name: HOST });
    const state = join(work, 'es/state');
    const markerOf = (content?: string) => /^password = (.*)$/m.exec(content ?? '')?.[1];
    const before = (await historyDocs(cluster, HOST, '/etc/app/app.conf')).length;
    expect((await runMitra(['agent', '--once', '-c', config, '--state-dir', state])).code).toBe(0);
    await cluster.refresh();
    expect(await historyDocs(cluster, HOST, '/etc/app/app.conf')).toHaveLength(before); // same salt, same marker: no change
    const old = markerOf((await currentDoc(cluster, HOST, '/etc/app/app.conf'))?.mitra.content);
    writeFileSync(
      join(root, 'etc/app/app.conf'),
      readFileSync(join(root, 'etc/app/app.conf'), 'utf8').replace('hunter2', 'hunter3-CorpusRotated31'),
    );
    expect((await runMitra(['agent', '--once', '-c', config, '--state-dir', state])).code).toBe(0);
    await cluster.refresh();
    const history = await historyDocs(cluster, HOST, '/etc/app/app.conf');
    expect(history).toHaveLength(before + 1);
    const now = markerOf(history[history.length - 1].mitra.content);
    expect(now).toMatch(/^«redacted:[0-9a-f]{8}»$/);
    expect(now).not.toBe(old);
    expect(leaks(await everywhere([work]), ['hunter2', 'hunter3-CorpusRotated31'])).toEqual([]);
  });

  it('writes `redact: off` explicitly to ship values (refusal still applies)', async () => {
    const dir = tempDir('secrets-off');
    const config = runnerYaml(dir, {
      files: ['/etc/redis/redis.conf', '/etc/./shadow'],
      hostfs: root,
      host_name: 'secrets-off',
      redact: 'off',
    });
    expect((await runMitra(['agent', '--once', '-c', config, '--state-dir', join(dir, 'state')])).code).toBe(0);
    await cluster.refresh();
    expect((await currentDoc(cluster, 'secrets-off', '/etc/redis/redis.conf'))?.mitra.content).toContain('requirepass CorpusRedis28');
    expect((await currentDoc(cluster, 'secrets-off', '/etc/shadow'))?.mitra.state).toBe('refused');
    await cluster.client.deleteByQuery({ index: `${cluster.prefix}*`, query: { term: { 'host.name': 'secrets-off' } }, refresh: true });
  });
});

describe("this machine's own /etc/shadow, reached through tricks", () => {
  it('is refused under every name, and none of its lines reaches Elasticsearch', async () => {
    const dir = tempDir('secrets-real');
    symlinkSync('/etc/shadow', join(dir, 'shadow-link'));
    symlinkSync('/etc', join(dir, 'etc-link'));
    linkSync('/etc/shadow', join(dir, 'shadow-hardlink')); // same file system here; root may link it
    copyFileSync('/etc/shadow', join(dir, 'shadow.bak'));
    const names = [
      '/etc/./shadow',
      '/etc//shadow',
      '/etc/../etc/shadow',
      '/proc/self/root/etc/shadow',
      join(dir, 'shadow-link'),
      join(dir, 'etc-link/shadow'),
      join(dir, 'shadow-hardlink'),
      join(dir, 'shadow.bak'),
      join(dir, 'etc-link/gshadow'),
    ];
    const config = runnerYaml(dir, { files: names, host_name: 'secrets-real', log: { file: join(dir, 'out/agent.log'), level: 'debug' } });
    expect((await runMitra(['agent', '--once', '-c', config, '--state-dir', join(dir, 'out/state')])).code).toBe(0);
    await cluster.refresh();
    for (const path of names) {
      const doc = await currentDoc(cluster, 'secrets-real', documentPath(path));
      expect({ path, state: doc?.mitra.state, content: doc?.mitra.content }).toEqual({ path, state: 'refused', content: undefined });
    }
    const lines = readFileSync('/etc/shadow', 'utf8')
      .split('\n')
      .filter((l) => l.length > 8);
    expect(lines.length).toBeGreaterThan(0);
    expect(leaks(await everywhere([join(dir, 'out')]), lines)).toEqual([]);
  });
});
