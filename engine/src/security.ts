import { spawnSync } from 'node:child_process';
import { randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requestJson, type EngineHttp } from './http';

/**
 * Security material for the secured flavour, made by the project itself at the
 * node's first start and kept in its data dir:
 *  - a CA and a node certificate for 127.0.0.1/localhost (openssl: X.509
 *    issuance is beyond node:crypto);
 *  - a superuser in the file realm (bin/elasticsearch-users);
 *  - after start, through the REST API: a limited user (read-only, for the
 *    missing-privilege test) and an API key holding exactly MITRA_ROLE.
 * Everything a client needs is in <dataDir>/credentials.json (mode 0600).
 */

export class SecurityError extends Error {}

export interface Credentials {
  url: string;
  /** File-realm superuser. */
  username: string;
  password: string;
  /** A user that can read but not manage templates or write: to see a 403. */
  limitedUsername: string;
  limitedPassword: string;
  /** Base64 "id:key" as Mitra's --api-key takes it; absent until the node has started once. */
  apiKey?: string;
  /** PEM file of the CA. */
  caFile: string;
  /** sha256 fingerprint of the CA certificate, colon-separated hex. */
  caFingerprint: string;
}

/** What Mitra needs on a cluster: templates, pipelines, and its own indices (docs/compatibility.md). */
export const MITRA_ROLE = {
  cluster: ['monitor', 'manage_index_templates', 'manage_ingest_pipelines'],
  indices: [{ names: ['mitra-*', 't-*'], privileges: ['create_index', 'delete_index', 'write', 'read', 'view_index_metadata', 'manage'] }],
};

const LIMITED_ROLE = { cluster: ['monitor'], indices: [{ names: ['*'], privileges: ['read', 'view_index_metadata'] }] };
const ADMIN_USER = 'mitra-admin';
const LIMITED_USER = 'mitra-reader';

export const certsDir = (configDir: string) => join(configDir, 'certs');
export const credentialsFile = (dataDir: string) => join(dataDir, 'credentials.json');

export function readCredentials(dataDir: string): Credentials | undefined {
  const file = credentialsFile(dataDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as Credentials;
}

function writeCredentials(dataDir: string, c: Credentials): void {
  const file = credentialsFile(dataDir);
  writeFileSync(file, `${JSON.stringify(c, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** The engine tooling's connection to the node as its superuser. */
export function adminHttp(c: Credentials): EngineHttp {
  return { baseUrl: c.url, ca: readFileSync(c.caFile, 'utf8'), auth: { username: c.username, password: c.password } };
}

/**
 * First start only: CA, node certificate and the superuser. Later starts reuse
 * them (the credentials file is the marker).
 */
export function prepareSecurity(o: { dataDir: string; configDir: string; esHome: string; javaHome?: string; url: string }): Credentials {
  const existing = readCredentials(o.dataDir);
  if (existing) return existing;
  const dir = certsDir(o.configDir);
  mkdirSync(dir, { recursive: true });
  makeCertificates(dir);
  const password = randomSecret();
  runEsTool(o, 'elasticsearch-users', ['useradd', ADMIN_USER, '-p', password, '-r', 'superuser']);
  const caFile = join(dir, 'ca.crt');
  const credentials: Credentials = {
    url: o.url,
    username: ADMIN_USER,
    password,
    limitedUsername: LIMITED_USER,
    limitedPassword: randomSecret(),
    caFile,
    caFingerprint: new X509Certificate(readFileSync(caFile)).fingerprint256,
  };
  writeCredentials(o.dataDir, credentials);
  return credentials;
}

/** After the node answers: the limited user and the API key (once; they live in the node's security index). */
export async function provisionUsers(dataDir: string): Promise<Credentials> {
  const c = readCredentials(dataDir);
  if (!c) throw new SecurityError(`no credentials in ${dataDir}: the secured engine was not prepared`);
  if (c.apiKey) return c;
  const http = adminHttp(c);
  await expectOk(http, 'PUT', '/_security/role/mitra_reader', LIMITED_ROLE);
  await expectOk(http, 'PUT', `/_security/user/${LIMITED_USER}`, { password: c.limitedPassword, roles: ['mitra_reader'] });
  const key = await expectOk<{ encoded: string }>(http, 'POST', '/_security/api_key', {
    name: 'mitra-local',
    role_descriptors: { mitra: MITRA_ROLE },
  });
  const updated = { ...c, apiKey: key.encoded };
  writeCredentials(dataDir, updated);
  return updated;
}

async function expectOk<T>(http: EngineHttp, method: string, path: string, body: unknown): Promise<T> {
  const res = await requestJson<T>(http, method, path, body, 30_000);
  if (res.status >= 300) throw new SecurityError(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

const randomSecret = () => randomBytes(18).toString('base64url');

/**
 * A CA and a node certificate signed by it. The node's certificate file holds
 * the chain (node + CA), so a client pinning the CA by fingerprint sees it.
 */
function makeCertificates(dir: string): void {
  const f = (name: string) => join(dir, name);
  openssl([
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650',
    '-keyout', f('ca.key'), '-out', f('ca.crt'), '-subj', '/CN=Mitra local engine CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]); // prettier-ignore
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('node.key'), '-out', f('node.csr'), '-subj', '/CN=127.0.0.1']);
  writeFileSync(
    f('node.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
  );
  openssl([
    'x509', '-req', '-sha256', '-days', '825', '-in', f('node.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'),
    '-CAcreateserial', '-extfile', f('node.ext'), '-out', f('node-only.crt'),
  ]); // prettier-ignore
  writeFileSync(f('node.crt'), readFileSync(f('node-only.crt'), 'utf8') + readFileSync(f('ca.crt'), 'utf8'));
  chmodSync(f('ca.key'), 0o600);
  chmodSync(f('node.key'), 0o600);
}

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.error)
    throw new SecurityError(`cannot run openssl (${(r.error as NodeJS.ErrnoException).code}): install it (apt-get install openssl)`);
  if (r.status !== 0) throw new SecurityError(`openssl ${args[0]} failed: ${r.stderr.trim().split('\n').pop()}`);
}

function runEsTool(o: { configDir: string; esHome: string; javaHome?: string }, tool: string, args: string[]): void {
  const env = { ...process.env, ES_PATH_CONF: o.configDir, ...(o.javaHome ? { ES_JAVA_HOME: o.javaHome } : {}) };
  const r = spawnSync(join(o.esHome, 'bin', tool), args, { env, encoding: 'utf8' });
  if (r.error) throw new SecurityError(`cannot run ${tool} (${(r.error as NodeJS.ErrnoException).code})`);
  if (r.status !== 0)
    throw new SecurityError(`${tool} ${args[0]} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
}
