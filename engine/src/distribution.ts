import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareSecurity, type Credentials } from './security';

/**
 * Runs an unpacked Elasticsearch distribution (the es9 flavour) the way an
 * operator would: its own bin/elasticsearch with ES_PATH_CONF pointing at a
 * config dir under the node's data dir. The server writes its pid to
 * <dataDir>/engine.pid itself (-p), so stopping signals the server JVM, not the
 * launcher in front of it.
 *
 * Elasticsearch refuses to run as root ("can not run elasticsearch as root"),
 * and CI runs as root: then the node runs as the unprivileged `nobody`, which
 * owns the node's config, data and logs (credentials.json stays root's).
 */
export interface DistributionOptions {
  esHome: string;
  dataDir: string;
  port: number;
  heap: string;
  javaHome?: string;
  url: string;
  logFile: string;
  pidFile: string;
}

export const configDir = (dataDir: string) => join(dataDir, 'config');

export function launchDistribution(o: DistributionOptions): { child: ChildProcess; credentials: Credentials } {
  const conf = configDir(o.dataDir);
  if (!existsSync(join(conf, 'jvm.options'))) {
    mkdirSync(o.dataDir, { recursive: true });
    cpSync(join(o.esHome, 'config'), conf, { recursive: true });
  }
  const credentials = prepareSecurity({ dataDir: o.dataDir, configDir: conf, esHome: o.esHome, javaHome: o.javaHome, url: o.url });
  writeFileSync(join(conf, 'elasticsearch.yml'), elasticsearchYml(o));
  const runAs = process.getuid?.() === 0 ? unprivilegedUser() : undefined;
  if (runAs) handOver(o.dataDir, runAs);
  const out = openSync(o.logFile, 'a');
  const child = spawn(join(o.esHome, 'bin', 'elasticsearch'), ['-p', o.pidFile], {
    cwd: o.dataDir,
    detached: true,
    stdio: ['ignore', out, out],
    ...(runAs ?? {}),
    env: {
      ...process.env,
      ES_PATH_CONF: conf,
      ES_JAVA_OPTS: `-Xms${o.heap} -Xmx${o.heap}`,
      ...(o.javaHome ? { ES_JAVA_HOME: o.javaHome } : {}),
    },
  });
  closeSync(out);
  return { child, credentials };
}

interface Account {
  uid: number;
  gid: number;
}

function unprivilegedUser(): Account {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined)
    throw new Error('Elasticsearch cannot run as root and there is no "nobody" user: start the engine as a normal user');
  return { uid: Number(uid), gid: Number(gid) };
}

/** The node's own files go to the account it runs as; the credentials file does not. */
function handOver(dataDir: string, to: Account): void {
  for (const dir of ['data', 'logs']) mkdirSync(join(dataDir, dir), { recursive: true });
  chownSync(dataDir, to.uid, to.gid);
  for (const entry of ['config', 'data', 'logs']) chownTree(join(dataDir, entry), to);
}

function chownTree(path: string, to: Account): void {
  chownSync(path, to.uid, to.gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, to);
    else chownSync(child, to.uid, to.gid);
  }
}

function elasticsearchYml(o: DistributionOptions): string {
  return `# Written by engine/src/distribution.ts at every start: edit that file, not this one.
cluster.name: mitra-es9
node.name: mitra-es9
network.host: 127.0.0.1
http.port: ${o.port}
# Node-to-node traffic only; any free port in the range will do.
transport.port: 9300-9399
discovery.type: single-node
path.data: ${join(o.dataDir, 'data')}
path.logs: ${join(o.dataDir, 'logs')}
# A developer disk is often fuller than a server's; don't go read-only at 90%.
cluster.routing.allocation.disk.threshold_enabled: false
xpack.security.enabled: true
xpack.security.http.ssl.enabled: true
xpack.security.http.ssl.key: certs/node.key
xpack.security.http.ssl.certificate: certs/node.crt
xpack.security.http.ssl.certificate_authorities: [certs/ca.crt]
# One node on loopback: no node-to-node traffic to protect.
xpack.security.transport.ssl.enabled: false
`;
}
