import { errors } from '@elastic/elasticsearch';
import { chooseMode, clientOptions, CompatTransport, explainError, parseServerInfo } from './connection';
import { ClusterError, UsageError } from './errors';

test('compatibility mode for 7.x and OpenSearch, native for Elasticsearch 8 and 9', () => {
  expect(chooseMode(parseServerInfo({ version: { number: '7.10.2' } }))).toBe('compat');
  expect(chooseMode(parseServerInfo({ version: { number: '2.19.1', distribution: 'opensearch' } }))).toBe('compat');
  expect(chooseMode(parseServerInfo({ version: { number: '8.17.0' } }))).toBe('native');
  expect(chooseMode(parseServerInfo({ version: { number: '9.2.1' } }))).toBe('native');
});

test('compat mode swaps in the CompatTransport; native keeps the stock one', () => {
  const base = { nodes: ['http://x:9200'], verifyTls: true, requestTimeoutMs: 1000 };
  expect(clientOptions(base, 'compat').Transport).toBe(CompatTransport);
  expect(clientOptions(base, 'native').Transport).toBeUndefined();
  expect(clientOptions({ ...base, apiKey: 'k' }, 'native').auth).toEqual({ apiKey: 'k' });
  expect(clientOptions({ ...base, caFingerprint: 'ab'.repeat(32) }, 'native').caFingerprint).toMatch(/^AB:AB:/);
  expect(() => clientOptions({ ...base, caFingerprint: 'abc' }, 'native')).toThrow(/not a sha256 fingerprint/);
});

test('a pinned CA fingerprint replaces chain verification only when no CA file is given', () => {
  const base = { nodes: ['https://x:9200'], verifyTls: true, requestTimeoutMs: 1000 };
  const fp = 'ab'.repeat(32);
  expect(clientOptions(base, 'native').tls?.rejectUnauthorized).toBe(true);
  // The client checks the pin itself; Node's check would reject the (self-signed) CA before it could.
  expect(clientOptions({ ...base, caFingerprint: fp }, 'native').tls?.rejectUnauthorized).toBe(false);
  expect(clientOptions({ ...base, caFingerprint: fp, caFile: __filename }, 'native').tls?.rejectUnauthorized).toBe(true);
  expect(clientOptions({ ...base, verifyTls: false }, 'native').tls?.rejectUnauthorized).toBe(false);
});

const response = (statusCode: number, body: unknown) =>
  new errors.ResponseError({ body, statusCode, headers: {}, warnings: null, meta: {} as never });

test('client errors become one actionable line', () => {
  const url = 'http://es:9200';
  expect(explainError(new errors.ConnectionError('connect ECONNREFUSED 1.2.3.4:9200'), url).message).toMatch(
    /^cannot reach Elasticsearch at http:\/\/es:9200 \(connection refused\): start it/,
  );
  expect(explainError(new errors.ConnectionError('getaddrinfo ENOTFOUND es'), url).message).toMatch(/cannot resolve the host/);
  expect(explainError(new errors.ConnectionError('self-signed certificate'), url).message).toMatch(
    /^TLS verification failed .*\(self-signed certificate\)/,
  );
  expect(explainError(new errors.TimeoutError('Request timed out'), url).message).toMatch(/did not answer in time/);
  // https:// to a cluster that serves plain HTTP: no CA would help.
  const plainHttp = new errors.ConnectionError(
    '80AC67F0327F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:',
  );
  expect(explainError(plainHttp, 'https://es:9200').message).toBe(
    'https://es:9200 does not answer TLS (the server speaks plain HTTP?): write the URL with http:// (--es, MITRA_ES_URL), or check the port',
  );
  expect(explainError(response(401, { error: { type: 'security_exception' } }), url).message).toMatch(/^authentication failed/);
  const forbidden = explainError(
    response(403, { error: { type: 'security_exception', reason: 'action [indices:data/read/search] is unauthorized for user [bob]' } }),
    url,
  );
  expect(forbidden.message).toMatch(/permission denied .*unauthorized for user \[bob\]/);
  expect(forbidden).toBeInstanceOf(ClusterError);
  expect(forbidden.exitCode).toBe(3);
  const usage = new UsageError('x');
  expect(explainError(usage, url)).toBe(usage);
  for (const e of [new errors.ConnectionError('connect ECONNREFUSED'), response(500, { error: 'boom' })]) {
    expect(explainError(e, url).message.split('\n')).toHaveLength(1);
  }
});

test('a GET / answer without a version number is not Elasticsearch or OpenSearch: one line, exit 3', () => {
  for (const [answer, why] of [
    ['<html><body>Welcome to nginx</body></html>', 'an HTML page'],
    [{ status: 'ok' }, 'JSON'],
    [{ version: { number: 'latest' } }, 'JSON'],
    [[1, 2], 'a JSON list'],
    [null, 'no body'],
  ] as [unknown, string][]) {
    let error: unknown;
    try {
      parseServerInfo(answer, 'http://127.0.0.1:8080');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClusterError);
    expect((error as ClusterError).exitCode).toBe(3);
    expect((error as Error).message).toBe(
      `http://127.0.0.1:8080 does not look like Elasticsearch or OpenSearch: GET / answered ${why} without version.number; point --es / MITRA_ES_URL at the cluster`,
    );
  }
  expect(parseServerInfo({ version: { number: '7.10.2' }, tagline: 'You Know, for Search' }).major).toBe(7);
});
