import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ASSETS_DIR, installAssets, loadAssets } from '@mitra/ingest-pipelines';
import { runMitra } from './support/cli';
import { testCluster, type TestCluster } from './support/cluster';
import { currentIndex, snapshotPipeline } from '@mitra/core';

/** `mitra setup` as a user runs it: a subprocess against the real engine. */
let c: TestCluster;

beforeAll(async () => {
  c = await testCluster('setup');
});
afterAll(() => c.cleanup());

const setup = (...extra: string[]) => runMitra(['setup', '--prefix', c.prefix, ...extra]);

test('installs every asset, then a second run changes nothing', async () => {
  const first = await setup('--json');
  expect(first.code).toBe(0);
  const assets = JSON.parse(first.stdout).assets as { id: string; action: string }[];
  expect(assets.map((a) => a.action)).toEqual(assets.map(() => 'installed'));
  expect(assets.map((a) => a.id)).toEqual(
    expect.arrayContaining([snapshotPipeline(c.prefix), `${c.prefix}parse-meminfo`, currentIndex(c.prefix), `${c.prefix}history`]),
  );
  expect(await c.client.indices.exists({ index: currentIndex(c.prefix) })).toBe(true);

  const second = await setup('--json');
  const again = JSON.parse(second.stdout).assets as { action: string }[];
  expect(again.map((a) => a.action)).toEqual(again.map(() => 'unchanged'));
});

test('an installed asset of any other version is replaced, even a larger number (versions are content hashes)', async () => {
  const id = `${c.prefix}parse-loadavg`;
  const installed = (await c.client.ingest.getPipeline({ id }))[id];
  await c.client.ingest.putPipeline({ id, ...installed, version: 0 } as never);
  const template = currentIndex(c.prefix);
  const tpl = (await c.client.indices.getIndexTemplate({ name: template })).index_templates[0].index_template;
  // Above every content version (2^28 … 2^29-1): a "newer wins" rule would keep it.
  await c.client.indices.putIndexTemplate({ name: template, ...tpl, version: 2 ** 30 } as never);

  const res = await setup();
  expect(res.code).toBe(0);
  const ours = new Map(loadAssets(c.prefix).map((a) => [a.id, a.version]));
  expect(res.stdout).toMatch(new RegExp(`upgraded\\s+pipeline ${id} v0 -> v${ours.get(id)}`));
  expect(res.stdout).toMatch(new RegExp(`upgraded\\s+index template ${template} v${2 ** 30} -> v${ours.get(template)}`));
  expect((await c.client.ingest.getPipeline({ id }))[id].version).toBe(ours.get(id));
  expect((await c.client.indices.getIndexTemplate({ name: template })).index_templates[0].index_template.version).toBe(ours.get(template));
});

test('a changed processor or mapping property is a new version that setup installs; unchanged content is left alone', async () => {
  const copy = mkdtempSync(join(tmpdir(), 'mitra-assets-'));
  try {
    cpSync(ASSETS_DIR, copy, { recursive: true });
    const edit = (file: string, from: string, to: string) => {
      const text = readFileSync(join(copy, file), 'utf8');
      expect(text).toContain(from);
      writeFileSync(join(copy, file), text.replace(from, to));
    };
    // One processor property (a parser's painless) and one mapping property (alert events' count).
    edit('pipelines/parse-loadavg.yml', 'last_pid > 4194304L', 'last_pid > 4194305L');
    edit('templates/alerts.yml', 'count: { type: long }', 'count: { type: integer }');
    const before = new Map(loadAssets(c.prefix).map((a) => [a.id, a.version]));
    const changed = await installAssets(c.client, c.prefix, undefined, { assetsDir: copy });
    const actions = Object.fromEntries(changed.map((r) => [r.id, r.action]));
    const upgraded = [`${c.prefix}parse-loadavg`, `${c.prefix}snapshot`, `${c.prefix}sample`, `${c.prefix}alerts`];
    for (const r of changed) expect([r.id, r.action]).toEqual([r.id, upgraded.includes(r.id) ? 'upgraded' : 'unchanged']);
    expect(Object.keys(actions).length).toBe(before.size);
    for (const id of upgraded) expect(changed.find((r) => r.id === id)!.previous).toBe(before.get(id));

    const loadavg = (await c.client.ingest.getPipeline({ id: `${c.prefix}parse-loadavg` }))[`${c.prefix}parse-loadavg`];
    expect(JSON.stringify(loadavg.processors)).toContain('4194305L');
    const alerts = (await c.client.indices.getIndexTemplate({ name: `${c.prefix}alerts` })).index_templates[0].index_template;
    expect((alerts.template?.mappings?.properties?.count as { type: string }).type).toBe('integer');

    // The same content again: nothing is put.
    const again = await installAssets(c.client, c.prefix, undefined, { assetsDir: copy });
    expect(again.map((r) => r.action)).toEqual(again.map(() => 'unchanged'));
    // Back to this release's files: the changed ones are replaced again.
    const back = await setup('--json');
    const restored = (JSON.parse(back.stdout).assets as { id: string; action: string }[]).filter((a) => a.action !== 'unchanged');
    expect(restored.map((a) => [a.id, a.action]).sort()).toEqual(upgraded.map((id) => [id, 'upgraded']).sort());
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test('an unreachable cluster is one line and exit code 3', async () => {
  const res = await runMitra(['setup', '--es', 'http://127.0.0.1:1']);
  expect(res.code).toBe(3);
  expect(res.stderr.trim().split('\n')).toHaveLength(1);
  expect(res.stderr).toMatch(/cannot reach Elasticsearch at http:\/\/127\.0\.0\.1:1 \(connection refused\)/);
});

test('a malformed URL and an unknown flag are usage errors (exit 2)', async () => {
  const url = await runMitra(['setup', '--es', 'not a url']);
  expect(url.code).toBe(2);
  expect(url.stderr).toMatch(/is not a URL/);
  const flag = await runMitra(['setup', '--bogus']);
  expect(flag.code).toBe(2);
  expect(flag.stderr).toMatch(/--bogus/);
});

describe('against a server that refuses credentials', () => {
  // Not a stand-in for Elasticsearch's logic: a real HTTP peer answering 401 the
  // way a secured cluster does, to prove the client error becomes one clear line.
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="security"' });
      res.end(JSON.stringify({ error: { type: 'security_exception', reason: 'unable to authenticate user [x]' }, status: 401 }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test('bad credentials are one line naming the fix, exit 3; --debug adds the stack', async () => {
    const res = await runMitra(['setup', '--es', url, '--user', 'x', '--password', 'wrong']);
    expect(res.code).toBe(3);
    expect(res.stderr.trim()).toBe(
      `mitra: authentication failed at ${url}: check the API key (--api-key, MITRA_ES_API_KEY) or user and password (--user/--password)`,
    );
    const debug = await runMitra(['setup', '--es', url, '--debug']);
    expect(debug.stderr.split('\n').length).toBeGreaterThan(3);
  });
});

describe('against a TLS server whose certificate is not trusted', () => {
  // A real TLS handshake with a freshly made self-signed certificate.
  let server: import('node:https').Server;
  let url: string;
  beforeAll(async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'mitra-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const https = await import('node:https');
    server = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) =>
      res.end('{}'),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test('a TLS failure is one line naming --ca-file and --insecure, exit 3', async () => {
    const res = await runMitra(['setup', '--es', url]);
    expect(res.code).toBe(3);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(
      /TLS verification failed for https:\/\/127\.0\.0\.1:\d+ \((self-signed certificate|DEPTH_ZERO_SELF_SIGNED_CERT)\).*--ca-file/,
    );
  });
});

test('an upgraded template also brings its mappings to indices that already exist', async () => {
  const index = currentIndex(c.prefix);
  // An index made under an old template that had no mappings at all.
  await c.client.indices.putIndexTemplate({ name: index, index_patterns: [`${index}*`], priority: 200, version: 0, template: {} });
  await c.client.indices.delete({ index });
  await c.client.indices.create({ index });
  expect((await c.client.indices.getMapping({ index }))[index].mappings.properties).toBeUndefined();

  const res = await setup();
  expect(res.code).toBe(0);
  expect(res.stdout).toMatch(new RegExp(`upgraded\\s+index template ${index} v0`));
  const mappings = (await c.client.indices.getMapping({ index }))[index].mappings;
  expect(mappings.properties?.host).toEqual({
    dynamic: 'false',
    properties: { name: { type: 'keyword', ignore_above: 4096 }, fqdn: { type: 'keyword', ignore_above: 4096 } },
  });
  // Closed all the way down: no dynamic templates; the /proc maps are kept in _source only (not in the mapping,
  // so no field per junk key), while what the questions filter on arrives mapped.
  expect(mappings.dynamic_templates ?? []).toEqual([]);
  const mitra = mappings.properties?.mitra as {
    dynamic?: string;
    properties: Record<string, { type?: string; dynamic?: string; properties?: Record<string, unknown> }>;
  };
  expect(mitra.dynamic).toBe('false');
  expect(mitra.properties.zoneinfo).toBeUndefined();
  expect(mitra.properties.meminfo).toBeUndefined();
  expect(mitra.properties.settings.type).toBe('nested');
  expect(mitra.properties.package_names).toEqual({ type: 'keyword', ignore_above: 4096 });
});
