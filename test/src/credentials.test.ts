import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineOptions, startEngine } from '@mitra/engine';
import { MITRA_BIN, runMitra, type CliResult } from './support/cli';
import { testCluster, type TestCluster } from './support/cluster';

/**
 * Credentials never printed: a password planted in the Elasticsearch URL and
 * an API key planted in the flag and the environment, then every error path
 * of the CLI, the agent and serve; every byte they print and every file the
 * agent writes is searched for them. Also the modes of what the agent writes.
 */
const PASSWORD = 'PlantedPa55';
const KEY_SECRET = 'PlantedKeySecret9';
const API_KEY = Buffer.from(`PlantedKeyId:${KEY_SECRET}`).toString('base64');
const NEEDLES = [PASSWORD, API_KEY, KEY_SECRET];

const port = () => new URL(process.env.MITRA_ES_URL ?? 'http://127.0.0.1:9200').port;
const DOWN = `http://elastic:${PASSWORD}@127.0.0.1:1`;
const up = () => `http://elastic:${PASSWORD}@127.0.0.1:${port()}`;

describe('credentials are never printed or written', () => {
  let c: TestCluster;
  /** Everything any run printed, and every file the agent wrote, by where it came from. */
  const outputs: { where: string; text: string }[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'mitra-credentials-'));

  const record = (where: string, r: CliResult) => {
    outputs.push({ where: `${where} (stdout)`, text: r.stdout }, { where: `${where} (stderr)`, text: r.stderr });
    return r;
  };
  const mitra = async (where: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
    // Without the suite's MITRA_ES_URL, so the planted URL in flags, env or config file is the one used.
    record(where, await runMitra(args, { MITRA_ES_URL: undefined, ...env }));

  beforeAll(async () => {
    c = await testCluster('i10-credentials');
    await c.setup();
  });
  afterAll(async () => {
    await c.cleanup();
  });

  it('the CLI: cluster down, bad query, bad flag, bad URL, every command, with --debug', async () => {
    // About 35 runs of the real launcher.
    const key = ['--api-key', API_KEY];
    const commands: [string, string[]][] = [
      ['setup', ['setup']],
      ['search', ['search', 'filename:"/etc/hosts"']],
      ['hosts', ['hosts', '--kernel', '4.4']],
      ['values', ['values', 'vm.swappiness']],
      ['drift', ['drift', '/etc/hosts']],
      ['get', ['get', 'web-01', '/etc/hosts']],
      ['history', ['history', 'web-01', '/etc/hosts']],
      ['diff', ['diff', 'web-01', '/etc/hosts', '--against', 'web-02']],
      ['saved', ['saved', 'list']],
      ['alerts', ['alerts', 'list']],
      ['serve', ['serve', '--port', '0']],
    ];
    for (const [name, args] of commands) {
      const down = await mitra(`${name}, cluster down`, [...args, '--es', DOWN, ...key, '--prefix', c.prefix]);
      expect({ name, code: down.code }).toEqual({ name, code: 3 });
      // The message still says where: the URL without its userinfo.
      expect(down.stderr).toContain('http://127.0.0.1:1');
      const debug = await mitra(`${name}, cluster down, --debug`, [...args, '--es', DOWN, '--debug', '--prefix', c.prefix], {
        MITRA_ES_API_KEY: API_KEY,
      });
      expect(debug.code).toBe(3);
    }
    const upArgs = ['--es', up(), ...key, '--prefix', c.prefix];
    const setup = await mitra('setup --json', ['setup', '--json', ...upArgs]);
    expect(setup.code).toBe(0);
    expect(JSON.parse(setup.stdout).url).toBe(`http://127.0.0.1:${port()}`);
    const badQuery = await mitra('bad query', ['search', 'content:(unclosed', ...upArgs]);
    expect(badQuery.code).toBe(2);
    expect((await mitra('bad query --debug', ['search', 'content:(unclosed', '--debug', ...upArgs])).code).toBe(2);
    expect((await mitra('bad flag', ['hosts', '--bogus', ...upArgs])).code).toBe(2);
    expect((await mitra('no match', ['hosts', '--kernel', '1.2', ...upArgs])).code).toBe(1);
    expect((await mitra('missing saved search', ['saved', 'get', 'nope', ...upArgs])).code).toBe(1);
    for (const url of [
      `ftp://elastic:${PASSWORD}@127.0.0.1:1`,
      `http://elastic:${PASSWORD}@[bad`,
      `http://elastic:${PASSWORD}@no-such-host.invalid:9200`,
    ]) {
      const bad = await mitra(`bad URL ${url.slice(0, 4)}`, ['hosts', '--kernel', '4.4', '--es', url]);
      expect(bad.code).toBeGreaterThanOrEqual(2);
    }
    // The environment and a config file, too.
    const cfg = join(dir, 'cli.yaml');
    writeFileSync(cfg, `elasticsearch:\n  url: ${DOWN}\n  api_key: ${API_KEY}\n`);
    expect((await mitra('config file, cluster down', ['values', 'vm.swappiness', '-c', cfg])).code).toBe(3);
    expect((await mitra('env, cluster down', ['values', 'vm.swappiness'], { MITRA_ES_URL: DOWN, MITRA_ES_API_KEY: API_KEY })).code).toBe(3);
  }, 600_000);

  it('the agent: --once against a down cluster (spools), --status, then --once against the real one', async () => {
    const stateDir = join(dir, 'agent-state');
    const logFile = join(dir, 'agent-logs', 'agent.log');
    const watched = join(dir, 'watched.conf');
    writeFileSync(watched, 'a = 1\n');
    const config = (url: string) => {
      const file = join(dir, `runner-${url === DOWN ? 'down' : 'up'}.yaml`);
      writeFileSync(
        file,
        [
          `log: {file: ${logFile}, level: debug}`,
          `indexer: {prefix: ${c.prefix}}`,
          `elasticsearch: {url: "${url}", api_key: "${API_KEY}"}`,
          `files: [${watched}]`,
          'packages: off',
          `state_dir: ${stateDir}`,
        ].join('\n'),
      );
      return file;
    };
    const down = await mitra('agent --once, cluster down', ['agent', '-c', config(DOWN), '--once']);
    expect(down.code).toBe(3);
    const spooled = readdirSync(join(stateDir, 'spool')).filter((f) => f.endsWith('.ndjson'));
    expect(spooled.length).toBeGreaterThan(0);
    expect((await mitra('agent --status', ['agent', '-c', config(DOWN), '--status'])).stdout).toMatch(/last error: .*127\.0\.0\.1:1/);
    expect((await mitra('agent --status --json', ['agent', '-c', config(DOWN), '--status', '--json'])).code).toBe(0);
    expect((await mitra('agent --once --json, cluster down', ['agent', '-c', config(DOWN), '--once', '--json'])).code).toBe(3);
    const flushed = await mitra('agent --once, cluster up', ['agent', '-c', config(up()), '--once', '--debug']);
    expect(flushed.code).toBe(0);

    for (const file of walk(dir).filter((f) => !f.endsWith('.yaml'))) outputs.push({ where: file, text: readFileSync(file, 'utf8') });
    expect(outputs.some((o) => o.where.endsWith('state.json'))).toBe(true);
    expect(outputs.some((o) => o.where.endsWith('agent.log'))).toBe(true);

    // What the agent writes is its own: 0600 files in the 0700 directories it made.
    const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
    expect(mode(stateDir)).toBe('700');
    expect(mode(join(stateDir, 'spool'))).toBe('700');
    expect(mode(join(dir, 'agent-logs'))).toBe('700');
    for (const file of walk(stateDir).concat(walk(join(dir, 'agent-logs'))))
      expect({ file, mode: mode(file) }).toEqual({ file, mode: '600' });
    expect(mode(join(stateDir, 'state.json'))).toBe('600');
  }, 300_000);

  it('serve: the start-up line, an answer while the cluster is gone, and start-up against a down cluster', async () => {
    const relay = await tcpRelay(Number(port()));
    const serving = await serve(['--es', `http://elastic:${PASSWORD}@127.0.0.1:${relay.port}`, '--api-key', API_KEY, '--prefix', c.prefix]);
    try {
      expect(serving.startup).toContain(`cluster http://127.0.0.1:${relay.port},`);
      const ok = await get(serving.port, '/api/mitra/hosts?kernel=4.4');
      expect(ok.status).toBe(200);
      const bad = await get(serving.port, `/api/mitra/search?query=${encodeURIComponent('content:(unclosed')}`);
      expect(bad.status).toBe(400);
      relay.close();
      const gone = await get(serving.port, '/api/mitra/hosts?kernel=4.4');
      expect(gone.status).toBe(503);
      outputs.push({ where: 'serve answers', text: ok.text + bad.text + gone.text });
    } finally {
      outputs.push({ where: 'serve output', text: await serving.stop() });
    }
  }, 300_000);

  it('the local engine keeps its data directory to itself (0700)', async () => {
    const o = engineOptions({ port: Number(port()), log: () => {} });
    // Finds the running node; a data dir made before this rule existed is tightened on the way.
    await startEngine(o);
    expect((statSync(o.dataDir).mode & 0o777).toString(8)).toBe('700');
  });

  it('no output and no file holds the password or the API key', () => {
    expect(outputs.length).toBeGreaterThan(60);
    const hits = outputs.flatMap((o) => NEEDLES.filter((n) => o.text.includes(n)).map((n) => `${o.where}: ${n}`));
    expect(hits).toEqual([]);
  });
});

function walk(path: string): string[] {
  return readdirSync(path, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(path, e.name)) : [join(path, e.name)]));
}

function get(port: number, path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    })
      .on('error', reject)
      .end();
  });
}

/** The real `mitra serve`; stop() returns everything it printed. */
async function serve(args: string[]) {
  const child = spawn(process.execPath, [MITRA_BIN, 'serve', '--port', '0', ...args], {
    env: { ...process.env, MITRA_ES_URL: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout.on('data', (d) => (printed += d));
  const closed = new Promise<void>((r) => child.on('close', () => r()));
  const startup = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d) => {
      printed += d;
      const line = /mitra serve: .*/.exec(printed);
      if (line) resolve(line[0]);
    });
    child.on('close', () => reject(new Error(`mitra serve exited: ${printed}`)));
  });
  return {
    startup,
    port: Number(/:(\d+)\/api\/mitra/.exec(startup)![1]),
    stop: async () => {
      child.kill('SIGINT');
      await closed;
      return printed;
    },
  };
}

/** A TCP relay to the engine that can be cut: the cluster "goes away" under a running serve. */
async function tcpRelay(target: number) {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = createConnection(target, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}
