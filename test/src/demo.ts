import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, resolveConnection, snapshotPipeline } from '@mitra/core';
import { engineOptions, startEngine } from '@mitra/engine';
import { loadFleet } from './fleet/load';
import { scenario, sendHistory } from './incident-fixtures';
import { simulateHost } from './fleet/simulator';
import { MITRA_BIN } from './support/cli';

/**
 * `npm run demo`: the main job end to end on the local engine.
 *  1. start the engine (reused when already running), 2. `mitra setup`,
 *  3. the agent indexes this machine from an original-format runner.yaml,
 *  4. a simulated fleet arrives through the same pipeline,
 *  5. the original questions, asked with the CLI,
 *  6. the 2016 page-cache incident replayed from its real /proc data.
 * The engine keeps running afterwards so you can go on asking.
 */
const ROOT = resolve(__dirname, '..', '..');
const WORK = join(ROOT, 'test', '.work', 'demo');
const FLEET_HOSTS = Number(process.env.MITRA_DEMO_HOSTS) || 1000;
const INCIDENT_HOST = 'incident-01';

function step(title: string): void {
  process.stdout.write(`\n\x1b[1m== ${title}\x1b[0m\n`);
}

/** Runs `mitra ...` as a user would, showing the command and (the start of) its answer. */
function mitra(args: string[], maxLines = 14): number {
  process.stdout.write(`$ mitra ${args.map((a) => (/[\s"*]/.test(a) ? `'${a}'` : a)).join(' ')}\n`);
  const res = spawnSync(process.execPath, [MITRA_BIN, ...args], { encoding: 'utf8' });
  const lines = res.stdout.trimEnd().split('\n');
  const shown =
    lines.length > maxLines
      ? [...lines.slice(0, maxLines - 2), `  ... (${lines.length - maxLines + 1} more lines)`, lines[lines.length - 1]]
      : lines;
  process.stdout.write(`${shown.join('\n')}\n`);
  if (res.stderr.trim()) process.stdout.write(`${res.stderr.trim()}\n`);
  return res.status ?? 1;
}

function runnerYaml(): string {
  // The original runner.yaml format, unchanged, pointed at the local engine.
  return `log: {file: ${join(WORK, 'runner.log')}, maxsize: 10, level: info}
indexer: {prefix: mitra-, es_host: 127.0.0.1, es_port: 9200, maxsize: 10}  # maxsize in MB, -1 = no limit
files: [/etc/hosts, /etc/resolv.conf, /etc/sysctl.conf, /etc/security/limits.conf,
        /etc/ntp.conf, /etc/fstab, /tmp/pkgs, /proc/meminfo, /proc/version,
        /proc/vmstat, /proc/zoneinfo, /proc/buddyinfo, /proc/loadavg, /etc/os-release]
frequency: 300  # seconds
state_dir: ${join(WORK, 'state')}
`;
}

/** The first simulated host whose /etc/hosts changed during the simulated days (the generator is deterministic). */
function hostWithChanges(hosts: number, now: Date): { name: string; firstAt: string } {
  for (let i = 0; i < hosts; i++) {
    const host = simulateHost(i, { hosts, days: 3, seed: 42, now });
    const versions = host.files.find((f) => f.path === '/etc/hosts')?.versions ?? [];
    if (versions.length > 1) return { name: host.name, firstAt: versions[0].at };
  }
  throw new Error('the simulated fleet has no host whose /etc/hosts changed');
}

async function main(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const options = engineOptions();
  step(`1. Local engine (Elasticsearch 7.10.2 on 127.0.0.1:${options.port})`);
  const engine = await startEngine(options);
  process.stdout.write(
    engine.alreadyRunning ? `already running at ${engine.url}\n` : `ready at ${engine.url} in ${engine.seconds.toFixed(1)} s\n`,
  );

  step('2. Index templates and the mitra-snapshot pipeline');
  if (mitra(['setup']) !== 0) throw new Error('setup failed');

  step(`3. The agent indexes this machine (${hostname()}) from an original-format runner.yaml`);
  const config = join(WORK, 'runner.yaml');
  writeFileSync(config, runnerYaml());
  mitra(['agent', '-c', config, '--once'], 30);
  mitra(['get', hostname(), '/proc/version']);

  step(`4. A simulated fleet of ${FLEET_HOSTS} hosts, through the same pipeline`);
  const { client } = await connect(resolveConnection());
  // The fleet's clock is the current hour, so running the demo again within it re-sends the same snapshots (same ids) instead of adding history.
  const fleetNow = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const t0 = Date.now();
  const stats = await loadFleet(client, 'mitra-', { hosts: FLEET_HOSTS, days: 3, seed: 42, now: fleetNow });
  process.stdout.write(`${stats.documents} snapshots of ${stats.hosts} hosts in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  // The host Mitra was first built for: its real /proc snapshots of 2016-09-10 (test/fixtures/incident).
  const incident = scenario(INCIDENT_HOST);
  await sendHistory({ client, pipeline: snapshotPipeline('mitra-') }, incident.host, incident.snapshots);
  await client.close();

  step('5. The original questions');
  process.stdout.write('How many servers run a 4.4 kernel?\n');
  mitra(['hosts', '--kernel', '4.4'], 8);
  process.stdout.write('\nWhich servers do not have zsh?\n');
  mitra(['hosts', '--missing-package', 'zsh'], 8);
  process.stdout.write('\nWhich servers have an /etc/hosts larger than 4 KiB?\n');
  mitra(['hosts', '--file', '/etc/hosts', '--larger-than', '4k'], 8);
  process.stdout.write('\nvm.swappiness across the fleet:\n');
  mitra(['values', 'vm.swappiness'], 12);
  process.stdout.write('\nThe original Lucene query, verbatim:\n');
  mitra(['search', 'filename:"/etc/fstab" AND content:ext4'], 8);
  const changed = hostWithChanges(FLEET_HOSTS, fleetNow);
  process.stdout.write(`\nWhat /etc/hosts looked like on ${changed.name} over time, and what changed:\n`);
  mitra(['history', changed.name, '/etc/hosts'], 8);
  mitra(['diff', changed.name, '/etc/hosts', '--from', changed.firstAt], 16);

  step('6. The 2016-09-10 page-cache incident, replayed from its real /proc snapshots');
  mitra(['incident', INCIDENT_HOST, '--from', '2016-09-10T10:53:00Z', '--to', '2016-09-10T10:54:00Z'], 40);

  step('Go on');
  process.stdout.write(
    [
      'The engine keeps running: ask more with `npx mitra --help`, browse with `npx mitra serve` (http://127.0.0.1:5601),',
      'stop it with `npm run engine:stop`.',
      '',
    ].join('\n'),
  );
}

main().catch((e: Error) => {
  process.stderr.write(`demo: ${e.message}\n`);
  process.exit(1);
});
