import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { explainError, type ConnectionConfig } from '@mitra/core';
import { backoffMs, ConnectionError, HttpTransport, ResponseError, TimeoutError } from './http';

/** A loopback HTTP server answering from a script; it records what it was sent. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
let server: Server;
let port: number;
let seen: Seen[] = [];
let answer: (req: Seen) => { status: number; body?: unknown; delayMs?: number } = () => ({ status: 200, body: {} });

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const s: Seen = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(s);
      const a = answer(s);
      setTimeout(() => {
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
      }, a.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => {
  seen = [];
  answer = () => ({ status: 200, body: {} });
});

const config = (over: Partial<ConnectionConfig> = {}): ConnectionConfig => ({
  nodes: [`http://127.0.0.1:${port}`],
  verifyTls: true,
  requestTimeoutMs: 2000,
  ...over,
});
const noWait = async () => {};

describe('HttpTransport against a loopback server', () => {
  it('bulk: NDJSON body ending in a newline, the pipeline in the query, the first item of each answer line', async () => {
    answer = () => ({
      status: 200,
      body: { errors: true, items: [{ index: { status: 201 } }, { index: { status: 429, error: { type: 'x', reason: 'busy' } } }] },
    });
    const t = new HttpTransport(config(), noWait);
    const items = await t.bulk('m-snapshot', ['{"index":{}}', '{"a":1}', '{"index":{}}', '{"a":2}']);
    expect(items).toEqual([{ status: 201 }, { status: 429, error: { type: 'x', reason: 'busy' } }]);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/_bulk?pipeline=m-snapshot',
      body: '{"index":{}}\n{"a":1}\n{"index":{}}\n{"a":2}\n',
    });
    expect(seen[0].headers['content-type']).toBe('application/x-ndjson');
    t.close();
  });

  it.each<[string, Partial<ConnectionConfig>, string | undefined]>([
    ['API key', { apiKey: 'aWQ6a2V5' }, 'ApiKey aWQ6a2V5'],
    ['user and password', { username: 'agent', password: 'p@ss' }, `Basic ${Buffer.from('agent:p@ss').toString('base64')}`],
    ['none', {}, undefined],
  ])('auth: %s', async (_name, over, header) => {
    const t = new HttpTransport(config(over), noWait);
    await t.request('GET', '/');
    expect(seen[0].headers.authorization).toBe(header);
    t.close();
  });

  it('auth from the URL (user:pass@), decoded', async () => {
    const t = new HttpTransport(config({ nodes: [`http://agent:p%40ss@127.0.0.1:${port}`] }), noWait);
    await t.request('GET', '/');
    expect(seen[0].headers.authorization).toBe(`Basic ${Buffer.from('agent:p@ss').toString('base64')}`);
    t.close();
  });

  it('502/503/504 are tried 3 times in all (as the client does), then the error is a ResponseError core explains', async () => {
    answer = () => ({
      status: 503,
      body: { error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' }, status: 503 },
    });
    const t = new HttpTransport(config(), noWait);
    const error = await t.request('POST', '/_bulk', {}).catch((e) => e);
    expect(seen).toHaveLength(3);
    expect(error).toBeInstanceOf(ResponseError);
    expect(explainError(error, 'http://es').message).toBe('Elasticsearch at http://es answered 503: primary shard is not active');
    t.close();
  });

  it('429 and 4xx are not retried here (the agent spools and backs off); an ignored status is returned', async () => {
    answer = () => ({ status: 429, body: { error: { type: 'es_rejected_execution_exception', reason: 'busy' }, status: 429 } });
    const t = new HttpTransport(config(), noWait);
    await expect(t.request('GET', '/x')).rejects.toMatchObject({ meta: { statusCode: 429 } });
    expect(seen).toHaveLength(1);
    answer = () => ({ status: 404, body: { error: 'not there' } });
    await expect(t.request('GET', '/y', undefined, { ignore: [404] })).resolves.toEqual({ error: 'not there' });
    t.close();
  });

  it('connection refused: tried 3 times with the client’s backoff, then a ConnectionError that reads as "connection refused"', async () => {
    const waits: number[] = [];
    const t = new HttpTransport(config({ nodes: ['http://127.0.0.1:1'] }), async (ms) => void waits.push(ms));
    const error = await t.request('GET', '/').catch((e) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(waits).toHaveLength(2);
    expect(explainError(error, 'http://127.0.0.1:1').message).toMatch(
      /cannot reach Elasticsearch at http:\/\/127.0.0.1:1 \(connection refused\)/,
    );
    t.close();
  });

  it('two nodes: a refused one is skipped at once for the next', async () => {
    const waits: number[] = [];
    const t = new HttpTransport(config({ nodes: ['http://127.0.0.1:1', `http://127.0.0.1:${port}`] }), async (ms) => void waits.push(ms));
    await t.request('GET', '/');
    expect(seen).toHaveLength(1);
    expect(waits).toEqual([]);
    t.close();
  });

  it('a node that drops the connection mid-request (killed): the request goes to the next node', async () => {
    const dying = createServer((req) => req.socket.destroy());
    await new Promise<void>((r) => dying.listen(0, '127.0.0.1', r));
    const waits: number[] = [];
    const deadPort = (dying.address() as AddressInfo).port;
    const t = new HttpTransport(
      config({ nodes: [`http://127.0.0.1:${deadPort}`, `http://127.0.0.1:${port}`] }),
      async (ms) => void waits.push(ms),
    );
    answer = () => ({ status: 200, body: { errors: false, items: [{ index: { status: 201 } }] } });
    await expect(t.bulk('m-snapshot', ['{"index":{}}', '{}'])).resolves.toEqual([{ status: 201 }]);
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe('/_bulk?pipeline=m-snapshot');
    expect(waits).toEqual([]);
    t.close();
    await new Promise((r) => dying.close(r));
  });

  it('a slow answer past the request timeout is a TimeoutError, not retried', async () => {
    answer = () => ({ status: 200, body: {}, delayMs: 500 });
    const t = new HttpTransport(config({ requestTimeoutMs: 100 }), noWait);
    const error = await t.request('GET', '/').catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(explainError(error, 'http://es').message).toMatch(/did not answer in time/);
    expect(seen).toHaveLength(1);
    t.close();
  });

  it('an HTML error page keeps its text for the message; a 200 that is not JSON is a DeserializationError', async () => {
    answer = () => ({ status: 502, body: '<html>Bad Gateway</html>' });
    const t = new HttpTransport(config(), noWait);
    await expect(t.request('GET', '/')).rejects.toMatchObject({ meta: { statusCode: 502, body: '<html>Bad Gateway</html>' } });
    answer = () => ({ status: 200, body: 'hello' });
    await expect(t.request('GET', '/')).rejects.toMatchObject({ name: 'DeserializationError' });
    t.close();
  });

  it('backoff: 1–2 s after the first failed round, 2–4 s after the second (the client’s formula)', () => {
    expect([backoffMs(1, () => 0), backoffMs(1, () => 1), backoffMs(2, () => 0), backoffMs(2, () => 1), backoffMs(5, () => 1)]).toEqual([
      1000, 2000, 2000, 4000, 4000,
    ]);
  });
});
