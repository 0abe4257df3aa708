import { spawn, type ChildProcess } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createApiServer,
  DEFAULT_WEBHOOK_POLICY,
  postWithRetry,
  WEBHOOK_NOT_DELIVERED,
  type AlertNotification,
  type WebhookPolicy,
} from '@mitra/core';
import { MITRA_BIN, runMitra } from './support/cli';
import { testCluster, type TestCluster } from './support/cluster';

/**
 * `mitra serve` as an attacker meets it: a web page posting cross-site, a
 * rebound DNS name, a network peer without credentials, and alert webhooks
 * aimed at the server's own network. Every refusal is checked to be one: the
 * same request with the missing piece added goes through.
 */
interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: { error?: string; message?: string; [k: string]: unknown };
}

/** node:http, not fetch: fetch will not send a chosen Host header. */
function raw(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : {} }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const JSON_CHANGE = { 'content-type': 'application/json', 'kbn-xsrf': 'x' };

interface Serving {
  port: number;
  stderr: () => string;
  stop(): Promise<void>;
}

/** Runs the real `mitra serve` and waits for its start-up line. */
async function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Serving> {
  const child: ChildProcess = spawn(process.execPath, [MITRA_BIN, 'serve', '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout!.resume();
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr!.on('data', (d) => {
      stderr += d;
      const m = /mitra serve: http:\/\/\S+:(\d+)\/api\/mitra/.exec(stderr);
      if (m) resolve(Number(m[1]));
    });
    child.on('close', () => reject(new Error(`mitra serve exited: ${stderr}`)));
  });
  const closed = new Promise<void>((r) => child.on('close', () => r()));
  return {
    port,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGINT');
      await closed;
    },
  };
}

const RULE = {
  name: 'csrf-probe',
  query: { kind: 'lucene', params: { query: 'filename:"/etc/hosts"' } },
  condition: { type: 'matches_above', threshold: 0 },
};

describe('mitra serve answers only its user', () => {
  let c: TestCluster;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    c = await testCluster('i10-api-security');
    await c.setup();
    const doc = {
      '@timestamp': new Date().toISOString(),
      host: { name: 'web-01' },
      file: { path: '/etc/hosts' },
      mitra: { content: 'x\n' },
    };
    const res = await c.client.bulk({ pipeline: c.pipeline, operations: [{ index: { _index: 'x' } }, doc], refresh: true });
    expect(res.errors).toBe(false);
    // The server as createApiServer builds it with no security options: the defaults are what is tested.
    server = createApiServer({ ctx: { client: c.client, prefix: c.prefix } });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server?.close(() => r()));
    await c.cleanup();
  });

  const ruleExists = async () =>
    (await raw(port, 'GET', `/api/mitra/alerts/rules/${RULE.name}`, { host: `127.0.0.1:${port}` })).status === 200;

  it('refuses a cross-origin POST, a cross-site fetch, a text/plain POST and a POST without kbn-xsrf; creates nothing', async () => {
    const host = { host: `127.0.0.1:${port}` };
    const body = JSON.stringify(RULE);
    const attempts: [Record<string, string>, number, RegExp][] = [
      [{ ...host, ...JSON_CHANGE, origin: 'http://evil.example' }, 403, /origin "http:\/\/evil\.example" refused/],
      [{ ...host, ...JSON_CHANGE, origin: 'null' }, 403, /origin "null" refused/],
      [{ ...host, ...JSON_CHANGE, origin: `http://127.0.0.1:${port + 1}` }, 403, /refused/],
      [{ ...host, ...JSON_CHANGE, 'sec-fetch-site': 'cross-site' }, 403, /Sec-Fetch-Site: cross-site/],
      [{ ...host, 'kbn-xsrf': 'x', 'content-type': 'text/plain' }, 415, /Content-Type: application\/json \(got "text\/plain"\)/],
      [{ ...host, 'kbn-xsrf': 'x', 'content-type': 'application/x-www-form-urlencoded' }, 415, /application\/json/],
      [{ ...host, 'kbn-xsrf': 'x' }, 415, /got "none"/],
      [{ ...host, 'content-type': 'application/json' }, 400, /must carry a kbn-xsrf header/],
    ];
    for (const [headers, status, message] of attempts) {
      const res = await raw(port, 'POST', '/api/mitra/alerts/rules', headers, body);
      expect({ headers, status: res.status }).toEqual({ headers, status });
      expect(res.body.message).toMatch(message);
      expect(Object.keys(res.body).sort()).toEqual(['error', 'message']);
    }
    expect(await ruleExists()).toBe(false);
    // Evaluation cannot be triggered cross-site either.
    const evalRes = await raw(
      port,
      'POST',
      '/api/mitra/alerts/eval',
      { ...host, 'content-type': 'text/plain', origin: 'http://evil.example' },
      '{}',
    );
    expect(evalRes.status).toBe(403);
    const del = await raw(port, 'DELETE', `/api/mitra/alerts/rules/${RULE.name}`, {
      ...host,
      origin: 'http://evil.example',
      'kbn-xsrf': 'x',
    });
    expect(del.status).toBe(403);

    // The same request from the app (same origin, the header, JSON) is taken.
    const ok = await raw(
      port,
      'POST',
      '/api/mitra/alerts/rules',
      { ...host, ...JSON_CHANGE, origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' },
      body,
    );
    expect(ok.status).toBe(201);
    expect(await ruleExists()).toBe(true);
    const removed = await raw(port, 'DELETE', `/api/mitra/alerts/rules/${RULE.name}`, { ...host, 'kbn-xsrf': 'x' });
    expect(removed.status).toBe(200);
  });

  it('answers only to the names it serves: a foreign or rebound Host gets 421, reads included', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${port}`,
      `rebind.attacker.example:${port}`,
      `127.0.0.1:${port + 1}`,
      `localhost.evil.example:${port}`,
    ]) {
      const res = await raw(port, 'GET', '/api/mitra/hosts?kernel=4.4', { host });
      expect({ host, status: res.status, error: res.body.error }).toEqual({ host, status: 421, error: 'misdirected_request' });
      expect(res.body.message).toMatch(/is not a name this server answers to.*--allow-host/);
    }
    // The UI is behind the same check (a rebound page must not load it either).
    expect((await raw(port, 'GET', '/', { host: `evil.example:${port}` })).status).toBe(421);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect({ host, status: (await raw(port, 'GET', '/api/mitra', { host })).status }).toEqual({ host, status: 200 });
    }
  });

  it('refuses to listen beyond loopback without authentication, in one line, exit 2, before touching the cluster', async () => {
    for (const host of ['0.0.0.0', '::', '192.0.2.10']) {
      // An unreachable cluster: the refusal must come first, not a connection error.
      const res = await runMitra(['serve', '--host', host, '--port', '0', '--es', 'http://127.0.0.1:1']);
      expect({ host, code: res.code, stdout: res.stdout }).toEqual({ host, code: 2, stdout: '' });
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(
        /is not loopback and the API has no authentication: add --token-file FILE \(or MITRA_SERVE_TOKEN\) or --caller-api-keys/,
      );
    }
  });

  it('with a token: 401 without it or with a wrong one, 200 with it; a weak or exposed token file refuses to start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mitra-serve-token-'));
    const token = 'a3f1c0de5eed'.repeat(4);
    const file = join(dir, 'token');
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    const serving = await startServe(['--host', '0.0.0.0', '--token-file', file, '--prefix', c.prefix]);
    try {
      expect(serving.stderr()).toMatch(/auth token\)/);
      const host = { host: `127.0.0.1:${serving.port}` };
      const path = '/api/mitra/hosts?kernel=4.4';
      const none = await raw(serving.port, 'GET', path, host);
      expect(none).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      expect(none.headers['www-authenticate']).toBe('Bearer');
      expect(none.body.message).toMatch(/authentication required: send Authorization: Bearer/);
      for (const wrong of [`Bearer ${token.slice(0, -1)}x`, `Bearer ${token}x`, 'Bearer ', `Basic ${token}`, token]) {
        expect({ wrong, status: (await raw(serving.port, 'GET', path, { ...host, authorization: wrong })).status }).toEqual({
          wrong,
          status: 401,
        });
      }
      const ok = await raw(serving.port, 'GET', path, { ...host, authorization: `Bearer ${token}` });
      expect(ok.status).toBe(200);
      // Authentication does not replace the CSRF rules: a change still needs them.
      const change = await raw(
        serving.port,
        'POST',
        '/api/mitra/alerts/eval',
        { ...host, authorization: `Bearer ${token}`, 'kbn-xsrf': 'x', 'content-type': 'text/plain' },
        '{}',
      );
      expect(change.status).toBe(415);
    } finally {
      await serving.stop();
    }
    chmodSync(file, 0o644);
    const exposed = await runMitra(['serve', '--host', '0.0.0.0', '--port', '0', '--token-file', file, '--es', 'http://127.0.0.1:1']);
    expect(exposed.code).toBe(2);
    expect(exposed.stderr).toMatch(/is readable by others \(mode 644\): chmod 600/);
    const weak = await runMitra(['serve', '--host', '0.0.0.0', '--port', '0', '--es', 'http://127.0.0.1:1'], {
      MITRA_SERVE_TOKEN: 'hunter2',
    });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toMatch(/token is shorter than 32 characters/);
    expect(weak.stderr).not.toContain('hunter2');
  });

  it("with caller API keys: Elasticsearch checks the key, and the caller's key (not serve's own) reaches Elasticsearch", async () => {
    const proxy = await securityStandIn(c.url);
    const serving = await startServe(['--caller-api-keys', '--es', proxy.url, '--api-key', 'serve-own-key', '--prefix', c.prefix]);
    try {
      const host = { host: `127.0.0.1:${serving.port}` };
      const path = '/api/mitra/hosts?kernel=4.4';
      const none = await raw(serving.port, 'GET', path, host);
      expect(none).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      expect(none.body.message).toMatch(/ApiKey <your Elasticsearch API key>/);
      const bad = await raw(serving.port, 'GET', path, { ...host, authorization: 'ApiKey not-a-key' });
      expect(bad).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      expect(bad.body.message).toMatch(/Elasticsearch did not accept this API key/);
      proxy.seen.length = 0;
      const ok = await raw(serving.port, 'GET', path, { ...host, authorization: `ApiKey ${GOOD_KEY}` });
      expect(ok.status).toBe(200);
      const searches = proxy.seen.filter((r) => r.path.includes('_search'));
      expect(searches.length).toBeGreaterThan(0);
      expect(searches.every((r) => r.authorization === `ApiKey ${GOOD_KEY}`)).toBe(true);
      expect(proxy.seen.map((r) => r.path)).toContain('/_security/_authenticate');
    } finally {
      await serving.stop();
      await proxy.close();
    }
  });

  it('with caller API keys on a cluster without security: a clear refusal, no data', async () => {
    const serving = await startServe(['--caller-api-keys', '--prefix', c.prefix]);
    try {
      const res = await raw(serving.port, 'GET', '/api/mitra/hosts?kernel=4.4', {
        host: `127.0.0.1:${serving.port}`,
        authorization: `ApiKey ${GOOD_KEY}`,
      });
      expect(res.status).toBe(503);
      expect(res.body.message).toMatch(/cannot check API keys .*use --token-file instead/);
      expect(res.body.hosts).toBeUndefined();
    } finally {
      await serving.stop();
    }
  });
});

const GOOD_KEY = 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==';

/**
 * A loopback proxy in front of the real (security-less) 7.10 engine that
 * records the Authorization header of every request and stands in for
 * Elasticsearch security on GET /_security/_authenticate only: 200 for
 * GOOD_KEY, and otherwise the 401 Elasticsearch gives (security_exception,
 * "unable to authenticate with provided credentials", WWW-Authenticate).
 */
async function securityStandIn(target: string) {
  const seen: { path: string; authorization?: string }[] = [];
  const server = createServer((req, res) => {
    seen.push({ path: (req.url ?? '').split('?')[0], authorization: req.headers.authorization });
    if (req.url?.startsWith('/_security/_authenticate')) {
      if (req.headers.authorization === `ApiKey ${GOOD_KEY}`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ username: 'reader', roles: [], authentication_type: 'api_key', enabled: true }));
      } else {
        const reason = 'unable to authenticate with provided credentials';
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'ApiKey' });
        res.end(
          JSON.stringify({
            error: { root_cause: [{ type: 'security_exception', reason }], type: 'security_exception', reason },
            status: 401,
          }),
        );
      }
      return;
    }
    const url = new URL(req.url ?? '/', target);
    const upstream = request(url, { method: req.method, headers: { ...req.headers, host: url.host }, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const NOTE: AlertNotification = {
  rule: 'ssrf-probe',
  state: 'firing',
  hosts: ['web-01'],
  count: 1,
  evaluated_at: new Date().toISOString(),
  query: null,
  condition: { type: 'matches_above', threshold: 0 },
};

describe('alert webhooks cannot reach into the server’s network', () => {
  let receiver: Server;
  let rport: number;
  const hits: string[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      hits.push(req.url ?? '');
      req.resume();
      if (req.url === '/redirect') res.writeHead(302, { location: `http://127.0.0.1:${rport}/hook` }).end();
      else if (req.url === '/missing') res.writeHead(404).end('no');
      else if (req.url === '/huge') res.writeHead(200).end(Buffer.alloc(256 * 1024, 'x'));
      else if (req.url === '/slow') setTimeout(() => res.writeHead(204).end(), 5000).unref();
      else res.writeHead(204).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    rport = (receiver.address() as AddressInfo).port;
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  /** Every client socket this process opens while `work` runs. */
  async function socketsDuring<T>(work: () => Promise<T>): Promise<{ value: T; sockets: number }> {
    let sockets = 0;
    const count = () => sockets++;
    subscribe('net.client.socket', count);
    try {
      return { value: await work(), sockets };
    } finally {
      unsubscribe('net.client.socket', count);
    }
  }

  const deliver = (url: string, policy: Partial<WebhookPolicy> = {}) =>
    postWithRetry(url, NOTE, { tries: 1, webhooks: { ...DEFAULT_WEBHOOK_POLICY, ...policy } });

  it('refuses loopback, private, link-local, CGNAT, mapped and odd IP forms, and names resolving to them — before connecting, with one text', async () => {
    const targets = [
      `https://127.0.0.1:${rport}/hook`,
      `https://127.9.9.9:${rport}/hook`,
      `https://localhost:${rport}/hook`,
      `https://[::1]:${rport}/hook`,
      `https://[::ffff:127.0.0.1]:${rport}/hook`,
      `https://[::ffff:7f00:1]:${rport}/hook`,
      `https://[::127.0.0.1]:${rport}/hook`,
      `https://[64:ff9b::7f00:1]:${rport}/hook`,
      `https://0x7f000001:${rport}/hook`,
      `https://2130706433:${rport}/hook`,
      `https://0177.0.0.1:${rport}/hook`,
      `https://127.1:${rport}/hook`,
      `https://0.0.0.0:${rport}/hook`,
      `https://[::]:${rport}/hook`,
      'https://10.1.2.3/hook',
      'https://172.16.5.4/hook',
      'https://192.168.1.1/hook',
      'https://100.64.0.1/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://[fd00::1]/hook',
      'https://[fe80::1]/hook',
      'https://[2002:a00:1::]/hook',
      'https://224.0.0.1/hook',
    ];
    const { value: results, sockets } = await socketsDuring(() => Promise.all(targets.map((url) => deliver(url, { allowHttp: true }))));
    expect(sockets).toBe(0);
    expect(hits).toEqual([]);
    for (const [i, r] of results.entries()) {
      expect({ url: targets[i], result: r.result }).toEqual({
        url: targets[i],
        result: { type: 'webhook', ok: false, attempts: 1, error: WEBHOOK_NOT_DELIVERED },
      });
    }
    // The operator's log line says why (never the API caller).
    expect(results[0].reason).toMatch(/127\.0\.0\.1, a loopback\/private\/special address/);
    expect(results[2].reason).toMatch(/localhost is 127\.0\.0\.1/);
  });

  it('refuses http by default and hosts outside allow_hosts, before resolving or connecting', async () => {
    const { value, sockets } = await socketsDuring(async () => [
      await deliver('http://hooks.example.com/x'),
      await deliver('https://other.example.org/x', { allowHosts: ['hooks.example.com', '*.hooks.example.net'] }),
      await deliver('https://evilhooks.example.net/x', { allowHosts: ['*.hooks.example.net'] }),
      await deliver(`https://user:pass@127.0.0.1:${rport}/hook`, { allowNetworks: ['127.0.0.1/32'] }),
    ]);
    expect(sockets).toBe(0);
    expect(value.map((r) => r.result.error)).toEqual(new Array(4).fill(WEBHOOK_NOT_DELIVERED));
    expect(value[0].reason).toMatch(/http: refused/);
    expect(value[1].reason).toMatch(/not in webhooks.allow_hosts/);
  });

  it('even where loopback is allowed: redirects are not followed, and closed port, non-HTTP, 404, too large and too slow all read the same', async () => {
    const allowed = { allowHttp: true, allowNetworks: ['127.0.0.1/32'] };
    const closedPort = await freePort();
    const garbage = createTcpServer((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n'));
    await new Promise<void>((r) => garbage.listen(0, '127.0.0.1', r));
    const garbagePort = (garbage.address() as AddressInfo).port;
    try {
      const base = `http://127.0.0.1:${rport}`;
      const ok = await deliver(`${base}/hook`, allowed);
      expect(ok.result).toEqual({ type: 'webhook', ok: true, attempts: 1 });
      hits.length = 0;
      const failures = await Promise.all([
        deliver(`${base}/redirect`, allowed),
        deliver(`${base}/missing`, allowed),
        deliver(`${base}/huge`, { ...allowed, maxResponseBytes: 1024 }),
        deliver(`${base}/slow`, { ...allowed, timeoutMs: 300 }),
        deliver(`http://127.0.0.1:${closedPort}/hook`, allowed),
        deliver(`http://127.0.0.1:${garbagePort}/hook`, allowed),
      ]);
      expect(new Set(failures.map((f) => JSON.stringify(f.result)))).toEqual(
        new Set([JSON.stringify({ type: 'webhook', ok: false, attempts: 1, error: WEBHOOK_NOT_DELIVERED })]),
      );
      // The redirect was answered, not followed.
      expect(hits.filter((h) => h === '/hook')).toEqual([]);
      expect(failures[0].reason).toBe('HTTP 302');
      // Allowing 127.0.0.1 does not allow the rest of loopback.
      expect((await deliver(`http://127.0.0.2:${rport}/hook`, allowed)).result.ok).toBe(false);
    } finally {
      garbage.close();
    }
  });

  it('through the API: a rule posting to loopback is stored, evaluated, and refused with the one text', async () => {
    const c = await testCluster('i10-api-security-hook');
    await c.setup();
    const server = createApiServer({ ctx: { client: c.client, prefix: c.prefix } });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      await c.client.bulk({
        pipeline: c.pipeline,
        refresh: true,
        operations: [
          { index: { _index: 'x' } },
          { '@timestamp': new Date().toISOString(), host: { name: 'web-01' }, file: { path: '/etc/hosts' }, mitra: { content: 'x\n' } },
        ],
      });
      const headers = { host: `127.0.0.1:${port}`, ...JSON_CHANGE };
      const rule = { ...RULE, name: 'pwn', actions: [{ type: 'webhook', url: `http://127.0.0.1:${rport}/pwned-by-webhook/_doc` }] };
      expect((await raw(port, 'POST', '/api/mitra/alerts/rules', headers, JSON.stringify(rule))).status).toBe(201);
      hits.length = 0;
      const fired = await raw(port, 'POST', '/api/mitra/alerts/rules/pwn/eval', headers, '{}');
      expect(fired.status).toBe(200);
      expect(fired.body).toMatchObject({ transition: 'fired', actions: [{ type: 'webhook', ok: false, error: WEBHOOK_NOT_DELIVERED }] });
      expect(hits).toEqual([]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      await c.cleanup();
    }
  });
});

async function freePort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
