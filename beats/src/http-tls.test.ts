import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainError, type ConnectionConfig } from '@mitra/core';
import { HttpTransport } from './http';

/**
 * TLS as the agent meets it: a CA made here with openssl, a server certificate
 * it signed for 127.0.0.1, and the three ways to trust it (CA file, pinned CA
 * fingerprint, --insecure). A wrong pin or no trust at all must fail.
 */
const dir = mkdtempSync(join(tmpdir(), 'mitra-tls-'));
const file = (name: string) => join(dir, name);
let server: Server;
let url: string;
let caFingerprint: string;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

beforeAll(async () => {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=mitra test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(file('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
    '-out',
    'server.pem',
  );
  // The server sends its chain (leaf + CA), as Elasticsearch does with a CA-signed certificate.
  const chain = readFileSync(file('server.pem'), 'utf8') + readFileSync(file('ca.pem'), 'utf8');
  server = createServer({ key: readFileSync(file('server.key')), cert: chain }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"version":{"number":"9.2.0"}}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  caFingerprint = new X509Certificate(readFileSync(file('ca.pem'))).fingerprint256;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const config = (over: Partial<ConnectionConfig>): ConnectionConfig => ({ nodes: [url], verifyTls: true, requestTimeoutMs: 5000, ...over });
const get = (over: Partial<ConnectionConfig>) => {
  const t = new HttpTransport(config(over), async () => {});
  return t.request('GET', '/', undefined, { retries: 0 }).finally(() => t.close());
};

describe('HttpTransport over TLS', () => {
  it('trusts the server through a CA file', async () => {
    await expect(get({ caFile: file('ca.pem') })).resolves.toEqual({ version: { number: '9.2.0' } });
  });

  it('trusts the server through the CA fingerprint alone (hex, with or without colons)', async () => {
    await expect(get({ caFingerprint })).resolves.toMatchObject({ version: {} });
    await expect(get({ caFingerprint: caFingerprint.replace(/:/g, '').toLowerCase() })).resolves.toMatchObject({ version: {} });
  });

  it('refuses a server whose CA does not match the pinned fingerprint', async () => {
    const wrong = createHash('sha256').update('another CA').digest('hex');
    const error = await get({ caFingerprint: wrong }).catch((e) => e);
    expect(error).toMatchObject({ name: 'ConnectionError' });
    expect(explainError(error, url).message).toMatch(/TLS verification failed .*fingerprint/);
  });

  it('a wrong pin is refused on every request of one transport, not only the first (no resumed TLS session skips it)', async () => {
    const wrong = createHash('sha256').update('another CA').digest('hex');
    const t = new HttpTransport(config({ caFingerprint: wrong }), async () => {});
    for (let i = 0; i < 3; i++)
      await expect(t.request('GET', '/', undefined, { retries: 0 })).rejects.toMatchObject({ name: 'ConnectionError' });
    t.close();
  });

  it('refuses an unknown CA unless verification is turned off (--insecure)', async () => {
    const error = await get({}).catch((e) => e);
    expect(explainError(error, url).message).toMatch(
      /TLS verification failed for https:\/\/127\.0\.0\.1:\d+ \(SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
    );
    await expect(get({ verifyTls: false })).resolves.toMatchObject({ version: {} });
  });
});
