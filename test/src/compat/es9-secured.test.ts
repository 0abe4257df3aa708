import type { Client } from '@elastic/elasticsearch';
import {
  AlertEvaluator,
  connect,
  type Connection,
  createRule,
  createSaved,
  currentStateId,
  diffVersions,
  findHosts,
  getSnapshot,
  listVersions,
  resolveConnection,
  runSaved,
  searchSnapshots,
  settingValues,
  snapshotPipeline,
  type WireInput,
} from '@mitra/core';
import { runMitra } from '../support/cli';
import { testCluster, type TestCluster } from '../support/cluster';
import { ENGINE_START_TIMEOUT_MS, securedCredentials, useEngine, type FlavorEngine } from '../support/engines';
import type { Credentials } from '@mitra/engine';

/**
 * Mitra against a current, secured Elasticsearch 9 (TLS, API key), through the
 * client's native mode. ES 9 here has no ingest-common or painless, so the
 * documents are made by the real pipeline on the default 7.10 engine
 * (_simulate gives each its _index and _id) and indexed into ES 9 as they are;
 * the same fleet questions must get the same answers on both.
 */
const T1 = '2026-11-20T10:00:00.000Z';
const T2 = '2026-11-22T08:15:00.000Z';

const snap = (host: string, path: string, content: string, at = T1): WireInput => ({
  '@timestamp': at,
  host: { name: host },
  file: { path },
  mitra: { content },
});

const procVersion = (release: string) =>
  `Linux version ${release} (buildd@lcy02) (gcc 11.4.0) #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023\n`;

/** Three hosts, built so that every answer below follows from this table. */
const FLEET: WireInput[] = [
  snap('web-1', '/etc/fstab', 'UUID=1b2c / ext4 defaults 0 1\n'),
  snap('web-2', '/etc/fstab', '/dev/sda1 / ext4 errors=remount-ro 0 1\n'),
  snap('db-1', '/etc/fstab', '/dev/vda1 / xfs defaults 0 0\n'),
  snap('web-1', '/proc/version', procVersion('5.15.0-91-generic')),
  snap('web-2', '/proc/version', procVersion('4.4.0-210-generic')),
  snap('db-1', '/proc/version', procVersion('5.15.0-100-generic')),
  snap('web-1', 'mitra:packages', 'bash\t5.1-6ubuntu1\tamd64\nzsh\t5.8.1-1\tamd64\n'),
  snap('web-2', 'mitra:packages', 'bash\t4.3-14ubuntu1\tamd64\n'),
  snap('db-1', 'mitra:packages', 'bash\t5.1-6ubuntu1\tamd64\n'),
  snap('web-1', 'mitra:sysctl', 'vm.swappiness = 60\n'),
  snap('web-2', 'mitra:sysctl', 'vm.swappiness = 10\n'),
  snap('db-1', 'mitra:sysctl', 'vm.swappiness = 10\n'),
];
/** web-1's fstab changed later: a second history version, and the current state moves on. */
const CHANGE = snap('web-1', '/etc/fstab', 'UUID=1b2c / ext4 defaults,noatime 0 1\n', T2);

let es9: FlavorEngine;
let creds: Credentials;
let source: TestCluster;
let target: Connection;
let prefix: string;

beforeAll(async () => {
  es9 = await useEngine('es9');
  creds = securedCredentials(es9);
  source = await testCluster('compat-es9');
  await source.setup();
  prefix = source.prefix;
  target = await connect(resolveConnection({ es: es9.url, apiKey: creds.apiKey, caFile: creds.caFile }, {}, {}));
  await removePrefix(target.client);
}, ENGINE_START_TIMEOUT_MS);

afterAll(async () => {
  if (target) {
    await removePrefix(target.client);
    await target.client.close();
  }
  await source?.cleanup();
  await es9?.release();
}, 60_000);

/** ES 8+ refuses wildcard index deletes (action.destructive_requires_name): delete by name. */
async function removePrefix(client: Client): Promise<void> {
  const indices = Object.keys(await client.indices.get({ index: `${prefix}*`, allow_no_indices: true, ignore_unavailable: true }));
  if (indices.length) await client.indices.delete({ index: indices.join(',') });
  await client.indices.deleteIndexTemplate({ name: `${prefix}*` }, { ignore: [404] });
}

const tls = () => ['--es', es9.url, '--ca-file', creds.caFile];

test('mitra setup over TLS with an API key installs the templates natively and says which pipelines it skipped and why', async () => {
  const res = await runMitra(['setup', ...tls(), '--api-key', creds.apiKey!, '--prefix', prefix, '--json']);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  const out = JSON.parse(res.stdout) as {
    mode: string;
    server: { version: string; major: number };
    assets: { kind: string; id: string; action: string; reason?: string }[];
  };
  expect(out.mode).toBe('native');
  expect(out.server.major).toBe(9);
  const templates = out.assets.filter((a) => a.kind === 'index_template');
  const pipelines = out.assets.filter((a) => a.kind === 'pipeline');
  expect(templates.length).toBeGreaterThan(0);
  expect(templates.every((a) => a.action === 'installed')).toBe(true);
  // This build has no parent-join module: the snapshot templates go without the host join, and say so.
  expect(templates.find((a) => a.id === `${prefix}current`)?.reason).toMatch(/^without mitra_join: this cluster has no parent-join module/);
  expect(pipelines.map((a) => a.id)).toContain(snapshotPipeline(prefix));
  for (const p of pipelines) {
    expect([p.id, p.action]).toEqual([p.id, 'skipped']);
    expect(p.reason).toMatch(/No processor type exists with name \[(script|set|grok|kv|split|foreach|fail|pipeline)\]/);
  }
  // Without --json the skipped assets are named with their reason and summed up on stderr, and a template installed
  // without the host join says so (a prefix of its own, so it is installed, not unchanged).
  const textPrefix = `${prefix}text-`;
  const text = await runMitra(['setup', ...tls(), '--api-key', creds.apiKey!, '--prefix', textPrefix]);
  expect(text.code).toBe(0);
  expect(text.stdout).toContain(`skipped   pipeline ${textPrefix}snapshot: No processor type exists`);
  expect(text.stdout).toMatch(
    new RegExp(`installed index template ${textPrefix}current v\\d+: without mitra_join: this cluster has no parent-join`),
  );
  expect(text.stderr).toMatch(/asset\(s\) skipped: this cluster cannot run them .* ingest-common and painless/);
});

test('pipeline output from 7.10 indexes into ES 9 as is, and the fleet questions get the same answers on both', async () => {
  await shipThroughPipeline([...FLEET, CHANGE]);
  const docs = await simulate([...FLEET, CHANGE]);
  const bulk = await target.client.bulk({
    refresh: true,
    operations: docs.flatMap((d) => [{ index: { _index: d._index, _id: d._id } }, d._source]),
  });
  expect(bulk.errors).toBe(false);
  // The same ids on both: the original Mitra rule, computed here independently.
  expect(docs.map((d) => d._id)).toContain(currentStateId('web-1', '/etc/fstab'));

  // A host question with one condition (and values) needs no bucket_selector (the `aggregations` module of every
  // regular ES 9 distribution, absent from the Maven integ-test build): asked on both. A missing package alone
  // lists the hosts without inventory through bucket_selector, so it is asked on 7.10 only (below).
  const answers = async (client: Client) => ({
    hostsKernel44: await findHosts(client, prefix, { kernel: '4.4' }),
    hostsBash5: await findHosts(client, prefix, { package: 'bash', versionRange: '>=5' }),
    search: await searchSnapshots(client, prefix, { query: 'filename:"/etc/fstab" AND content:ext4' }),
    get: await getSnapshot(client, prefix, { host: 'web-1', path: '/etc/fstab' }),
    kernel44: await searchSnapshots(client, prefix, { query: 'mitra.kernel.major_minor:"4.4"' }),
    kernel515: await searchSnapshots(client, prefix, { query: 'mitra.kernel.major_minor:"5.15"' }),
    swappiness: await settingValues(client, prefix, { key: 'vm.swappiness' }),
    versions: await listVersions({ client, prefix }, { host: 'web-1', path: '/etc/fstab' }),
  });
  const on7 = await answers(source.client);
  const on9 = await answers(target.client);

  expect(on9.search.hits.map((h) => h.host)).toEqual(['web-1', 'web-2']);
  expect(on9.search.hits[0].id).toBe(currentStateId('web-1', '/etc/fstab'));
  expect(JSON.stringify(on9.get)).toContain('noatime');
  expect(on9.kernel44.hits.map((h) => h.host)).toEqual(['web-2']);
  expect(on9.hostsKernel44.hosts.map((h) => h.host)).toEqual(['web-2']);
  expect(on9.hostsBash5.hosts.map((h) => h.host)).toEqual(['db-1', 'web-1']);
  expect(on9.kernel515.hits.map((h) => h.host)).toEqual(['db-1', 'web-1']);
  expect(on9.swappiness.values.map((b) => [b.value, b.count])).toEqual([
    ['10', 2],
    ['60', 1],
  ]);
  expect(on9.versions.versions.map((v) => v.timestamp)).toEqual([T2, T1]);

  expect(on9).toEqual(on7);
  expect((await findHosts(source.client, prefix, { missingPackage: 'zsh' })).hosts.map((h) => h.host)).toEqual(['db-1', 'web-2']);
});

test('diff, saved searches and alert rules give the same answers on ES 9 as on 7.10', async () => {
  // The documents of the previous test are on both clusters.
  const answers = async (client: Client) => {
    const scope = { client, prefix };
    const diff = await diffVersions(scope, { host: 'web-1', path: '/etc/fstab', from: { at: T1 }, to: { at: T2 } });
    await createSaved(scope, { name: 'root-fs', kind: 'lucene', params: { query: 'filename:"/etc/fstab" AND content:{{fs}}' } });
    const run = await runSaved(scope, 'root-fs', { fs: 'xfs' });
    const rule = await createRule(scope, {
      name: 'xfs-roots',
      search: 'root-fs',
      vars: { fs: 'xfs' },
      condition: { type: 'matches_above', threshold: 0 },
      actions: [{ type: 'log' }],
    });
    const evaluation = await new AlertEvaluator(scope, { settleMs: 0, log: () => {} }).evaluate(rule);
    return {
      diff: diff.diff,
      saved: { params: run.params, hosts: (run.result as { hits: { host: string }[] }).hits.map((h) => h.host) },
      alert: { transition: evaluation.transition, status: evaluation.status, hosts: evaluation.hosts, error: evaluation.error },
    };
  };
  const on7 = await answers(source.client);
  const on9 = await answers(target.client);
  expect(on9.diff).toContain('-UUID=1b2c / ext4 defaults 0 1\n+UUID=1b2c / ext4 defaults,noatime 0 1');
  expect(on9.saved).toEqual({ params: { query: 'filename:"/etc/fstab" AND content:xfs' }, hosts: ['db-1'] });
  expect(on9.alert).toEqual({ transition: 'fired', status: 'firing', hosts: ['db-1'], error: undefined });
  expect(on9).toEqual(on7);
});

test('mitra search on ES 9 pins the CA by fingerprint instead of a CA file', async () => {
  const res = await runMitra([
    'search',
    'filename:"/etc/fstab" AND content:ext4',
    '--es',
    es9.url,
    '--ca-fingerprint',
    creds.caFingerprint,
    '--api-key',
    creds.apiKey!,
    '--prefix',
    prefix,
    '--json',
  ]);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  const out = JSON.parse(res.stdout) as { total: number; hits: { host: string }[] };
  expect(out.hits.map((h) => h.host)).toEqual(['web-1', 'web-2']);
});

describe('a user error on the secured cluster is one clear line and exit 3', () => {
  const oneLine = (stderr: string) => {
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0];
  };

  test('wrong API key', async () => {
    const wrong = Buffer.from('mitra:not-the-key').toString('base64');
    const res = await runMitra(['setup', ...tls(), '--api-key', wrong, '--prefix', prefix]);
    expect(res.code).toBe(3);
    expect(oneLine(res.stderr)).toMatch(/^mitra: authentication failed at https:\/\/127\.0\.0\.1:\d+: check the API key \(--api-key/);
  });

  test('untrusted certificate: no CA given, or a fingerprint of another CA', async () => {
    const none = await runMitra(['setup', '--es', es9.url, '--api-key', creds.apiKey!, '--prefix', prefix]);
    expect(none.code).toBe(3);
    expect(oneLine(none.stderr)).toMatch(
      /^mitra: TLS verification failed for https:.*self-signed certificate.*--ca-file or --ca-fingerprint/,
    );
    const otherCa = creds.caFingerprint.replace(/^[0-9A-F]{2}/, (b) => (b === '00' ? '11' : '00'));
    const pinned = await runMitra(['setup', '--es', es9.url, '--ca-fingerprint', otherCa, '--api-key', creds.apiKey!, '--prefix', prefix]);
    expect(pinned.code).toBe(3);
    expect(oneLine(pinned.stderr)).toMatch(/^mitra: TLS verification failed .*fingerprint does not match/);
  });

  test('missing privilege: a read-only user cannot install templates', async () => {
    const res = await runMitra([
      'setup',
      ...tls(),
      '--user',
      creds.limitedUsername,
      // One word: the generated password is base64url and starts with "-" one time in 64, which a separate argument would read as an option.
      `--password=${creds.limitedPassword}`,
      // A prefix with nothing installed yet, so the first write setup tries is a template.
      '--prefix',
      `${prefix}ro-`,
    ]);
    expect(res.code).toBe(3);
    expect(oneLine(res.stderr)).toMatch(
      /^mitra: permission denied at https:.*index_template\/put\] is unauthorized for user \[mitra-reader\].*manage_index_templates.*; grant the user/,
    );
  });
});

test('retention on ES 9: setup says which lifecycle it found; mitra prune with the API key deletes old days by name, keeps the rest', async () => {
  // This integ-test build has no ILM module (docs/compatibility.md): setup must say so, not claim a policy.
  const setup = await runMitra(['setup', ...tls(), '--api-key', creds.apiKey!, '--prefix', prefix, '--json'], {}, 120_000);
  expect(setup.code).toBe(0);
  const lifecycle = (JSON.parse(setup.stdout) as { settings: { lifecycle: { kind: string; note: string } } }).settings.lifecycle;
  expect(lifecycle.kind).toBe('none');
  expect(lifecycle.note).toMatch(/no ILM\/ISM on this cluster, schedule `mitra prune`/);
  // Two days long past retention (10 years here, so the fleet's fixed 2026-11 days stay whenever this runs), and the current state.
  const old = [`${prefix}history-2001.01.01`, `${prefix}history-2001.01.02`];
  const today = `${prefix}history-${new Date().toISOString().slice(0, 10).replace(/-/g, '.')}`;
  for (const index of [...old, today]) await target.client.indices.create({ index }, { ignore: [400] });
  const history = async () => Object.keys(await target.client.indices.get({ index: `${prefix}history-*`, allow_no_indices: true })).sort();
  const before = await history();
  const current = (await target.client.count({ index: `${prefix}current` })).count;
  const res = await runMitra(
    ['prune', ...tls(), '--api-key', creds.apiKey!, '--prefix', prefix, '--retention', '3650d', '--json'],
    {},
    120_000,
  );
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  expect((JSON.parse(res.stdout) as { deleted: { index: string }[] }).deleted.map((d) => d.index)).toEqual(old);
  // ES 9 refuses wildcard deletes (action.destructive_requires_name): prune names every index it deletes.
  expect(await history()).toEqual(before.filter((i) => !old.includes(i)));
  expect(await history()).toContain(today);
  expect((await target.client.count({ index: `${prefix}current` })).count).toBe(current);
}, 300_000);

/** The default engine gets the snapshots through its pipeline, as the agent sends them: current, and history for a change. */
async function shipThroughPipeline(snapshots: WireInput[]): Promise<void> {
  const res = await source.client.bulk({
    pipeline: source.pipeline,
    refresh: true,
    operations: asSent(snapshots).flatMap((d) => [{ index: { _index: 'anything' } }, d]),
  });
  expect(res.errors).toBe(false);
}

interface SimulatedDoc {
  _index: string;
  _id: string;
  _source: Record<string, unknown>;
}

async function simulate(snapshots: WireInput[]): Promise<SimulatedDoc[]> {
  const res = await source.client.ingest.simulate({ id: source.pipeline, docs: asSent(snapshots).map((d) => ({ _source: d })) });
  return res.docs.map((d) => {
    const doc = (d as { doc?: SimulatedDoc }).doc;
    if (!doc) throw new Error(`simulate failed: ${JSON.stringify(d).slice(0, 300)}`);
    return doc;
  });
}

const asSent = (snapshots: WireInput[]): WireInput[] =>
  snapshots.flatMap((s) => [
    { ...s, mitra: { ...s.mitra, target: 'current' as const } },
    { ...s, mitra: { ...s.mitra, target: 'history' as const } },
  ]);
