#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { EngineError, engineOptions, engineStatus, resetEngineData, startEngine, stopEngine } from './engine';

const USAGE = `usage: npm run engine:<start|stop|status> [-- --port N]
       node engine/dist/cli.js <start|stop|status|reset> [--port N]

  start   build (first run: Maven) and start the local node on 127.0.0.1, wait until ready
  stop    stop it (SIGTERM, then SIGKILL after 30 s)
  status  print whether it runs, its pid, URL, version and cluster health
  reset   wipe its data (stopped node only)

Environment: MITRA_ENGINE_PORT (default 9200), MITRA_ENGINE_HEAP (default 1g),
MITRA_ENGINE_JAVA_HOME (default: the Java 17 under /usr/lib/jvm).`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
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
  const o = engineOptions({ port });
  switch (command) {
    case 'start': {
      const r = await startEngine(o);
      console.log(
        r.alreadyRunning
          ? `engine: already running at ${r.url} (pid ${r.pid})`
          : `engine: ready at ${r.url} (pid ${r.pid}) in ${r.seconds.toFixed(1)} s`,
      );
      return 0;
    }
    case 'stop':
      console.log((await stopEngine(o)) ? 'engine: stopped' : 'engine: not running');
      return 0;
    case 'status': {
      const s = await engineStatus(o);
      console.log(
        s.running
          ? `engine: running at ${s.url} (pid ${s.pid ?? 'not ours'}), Elasticsearch ${s.version}, health ${s.health}`
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof EngineError ? `engine: ${e.message}` : e);
    process.exit(e instanceof EngineError ? 3 : 1);
  },
);
