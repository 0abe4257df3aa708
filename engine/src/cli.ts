#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { clusterStatus, resetClusterData, startCluster, stopCluster } from './cluster';
import { EngineError, engineOptions, engineStatus, resetEngineData, startEngine, stopEngine, type EngineOptions } from './engine';
import { parseFlavor, type FlavorName } from './flavors';
import { credentialsFile, SecurityError } from './security';

const USAGE = `usage: npm run engine:<start|stop|status> [-- --flavor F] [-- --port N] [-- --nodes N]
       node engine/dist/cli.js <start|stop|status|reset> [--flavor F] [--port N] [--nodes N]

  start   build (first run: Maven) and start the local node on 127.0.0.1, wait until ready
  stop    stop it (SIGTERM, then SIGKILL after 30 s)
  status  print whether it runs, its pid, URL, version and cluster health
  reset   wipe its data (stopped node only)

--nodes N (start, 2-9, default flavour only) starts a local N-node cluster: HTTP ports
N, N+1, ..., transport ports 1000 above, one JVM and one engine/.data/<port>-node<i>/
per node. stop, status and reset find a cluster on --port by its data dirs.

Flavors (--flavor or MITRA_ENGINE_FLAVOR):
  es7 (default)  Elasticsearch 7.10.2 with all modules, http://127.0.0.1:9200
  es9            Elasticsearch 9.x, security on: https://127.0.0.1:9210, CA, users and
                 an API key in engine/.data/es9-<port>/credentials.json
  opensearch     OpenSearch 2.19.1 with its modules, http://127.0.0.1:9220
  opensearch-ism OpenSearch 2.19.1 with the job scheduler and Index State Management,
                 http://127.0.0.1:9230; MITRA_OPENSEARCH_PLUGINS names the folder that
                 holds both plugins (an OpenSearch 2.19.1 distribution's plugins/)

Environment: MITRA_ENGINE_PORT (default: the flavor's), MITRA_ENGINE_HEAP (default 1g),
MITRA_ENGINE_JAVA_HOME (default: Java 17, or Temurin 25 for es9, under /usr/lib/jvm).`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: 'string' }, flavor: { type: 'string' }, nodes: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals[0];
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    console.error(`engine: --port ${values.port} is not a TCP port (1-65535)`);
    return 2;
  }
  let flavor: FlavorName | undefined;
  try {
    flavor = values.flavor === undefined ? undefined : parseFlavor(values.flavor);
  } catch (e) {
    console.error(`engine: ${(e as Error).message}`);
    return 2;
  }
  const nodes = values.nodes === undefined ? 1 : Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1) {
    console.error(`engine: --nodes ${values.nodes} is not a node count (1-9)`);
    return 2;
  }
  const o = engineOptions({ port, flavor });
  if (nodes > 1 || (command !== 'start' && (await clusterStatus(o)))) return clusterCommand(command, o, nodes);
  switch (command) {
    case 'start': {
      const r = await startEngine(o);
      console.log(
        r.alreadyRunning
          ? `engine: already running at ${r.url} (pid ${r.pid})`
          : `engine: ready at ${r.url} (pid ${r.pid}) in ${r.seconds.toFixed(1)} s`,
      );
      if (o.flavor === 'es9') console.log(`engine: CA, users and API key in ${credentialsFile(o.dataDir)}`);
      return 0;
    }
    case 'stop':
      console.log((await stopEngine(o)) ? 'engine: stopped' : 'engine: not running');
      return 0;
    case 'status': {
      const s = await engineStatus(o);
      console.log(
        s.running
          ? `engine: running at ${s.url} (pid ${s.pid ?? 'not ours'}), ${s.distribution === 'opensearch' ? 'OpenSearch' : 'Elasticsearch'} ${s.version}, health ${s.health}`
          : `engine: not running (${s.url})`,
      );
      return s.running ? 0 : 1;
    }
    case 'reset':
      resetEngineData(o);
      console.log(`engine: wiped ${o.dataDir}`);
      return 0;
    default:
      console.error(`engine: unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

/** start/stop/status/reset of a local multi-node cluster (src/cluster.ts). */
async function clusterCommand(command: string, o: EngineOptions, nodes: number): Promise<number> {
  switch (command) {
    case 'start': {
      const r = await startCluster(o, nodes);
      console.log(
        `engine: ${nodes}-node cluster ready at ${r.url} in ${r.seconds.toFixed(1)} s: ${r.nodes.map((n) => `${n.name} :${n.port} pid ${n.pid}`).join(', ')}`,
      );
      return 0;
    }
    case 'stop':
      console.log((await stopCluster(o)) ? 'engine: cluster stopped' : 'engine: cluster not running');
      return 0;
    case 'status': {
      const s = await clusterStatus(o);
      if (!s) return 1;
      const up = s.nodes.filter((n) => n.running).length;
      console.log(`engine: cluster ${s.url}, ${up}/${s.nodes.length} nodes up, health ${s.health ?? 'unknown'}`);
      for (const n of s.nodes) console.log(`  ${n.name} :${n.port} ${n.running ? `running (pid ${n.pid ?? 'not ours'})` : 'down'}`);
      return up ? 0 : 1;
    }
    case 'reset':
      console.log(`engine: wiped the data of ${resetClusterData(o)} cluster node(s)`);
      return 0;
    default:
      console.error(`engine: unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const known = e instanceof EngineError || e instanceof SecurityError;
    console.error(known ? `engine: ${e.message}` : e);
    process.exit(known ? 3 : 1);
  },
);
