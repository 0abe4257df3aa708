import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter } from 'node:path';
import type { PackageSource } from '../config';
import type { Snapshot } from '../wire';

export const PACKAGES_PATH = 'mitra:packages';
const TIMEOUT_MS = 60_000;
const MAX_OUTPUT = 64 * 1024 * 1024;

interface Manager {
  format: 'dpkg' | 'rpm';
  command: string;
  args: (hostfs: string) => string[];
  /** Database files whose mtimes say whether the inventory can have changed. */
  databases: string[];
  /** The inventory sent, from the command's output (the output itself when absent). */
  inventory?: (stdout: string) => string;
}

const MANAGERS: Manager[] = [
  {
    format: 'dpkg',
    command: 'dpkg-query',
    args: (hostfs) => [
      ...(hostfs ? [`--admindir=${hostfs}/var/lib/dpkg`] : []),
      '-W',
      '-f=${Status}\t${binary:Package}\t${Version}\t${Architecture}\n',
    ],
    databases: ['/var/lib/dpkg/status'],
    inventory: installedOnly,
  },
  {
    format: 'rpm',
    command: 'rpm',
    args: (hostfs) => [...(hostfs ? ['--root', hostfs] : []), '-qa', '--qf', '%{NAME}\t%{VERSION}-%{RELEASE}\t%{ARCH}\n'],
    databases: ['/var/lib/rpm/Packages', '/var/lib/rpm/rpmdb.sqlite', '/usr/lib/sysimage/rpm/rpmdb.sqlite'],
  },
];

/** What package collection asks of the system (tests pass their own). */
export interface PackageSystem {
  onPath(command: string): boolean;
  /** A database file's mtime as text, '-' when absent. */
  mtime(path: string): string;
  run(command: string, args: string[]): Promise<{ stdout: string; error?: { killed: boolean; message: string; stderr: string } }>;
}

const realSystem: PackageSystem = { onPath, mtime, run: execute };

/**
 * The package inventory as one `mitra:packages` snapshot. The package manager
 * runs without a shell and with a timeout, and only when its database changed
 * since the last run (the cached list is reused otherwise), so an idle host
 * spawns nothing.
 */
export class PackageCollector {
  private cache?: { key: string; snapshot: Snapshot };

  constructor(
    private readonly source: PackageSource,
    private readonly hostfs: string,
    private readonly system: PackageSystem = realSystem,
  ) {}

  /** undefined when packages are off or no package manager exists here. */
  async collect(): Promise<Snapshot | undefined> {
    const manager = this.manager();
    if (!manager) return undefined;
    const key = `${manager.format}:${manager.databases.map((db) => this.system.mtime(this.hostfs + db)).join(',')}`;
    if (this.cache?.key === key) return this.cache.snapshot;
    const snapshot = await run(manager, this.hostfs, this.system);
    if (snapshot.state === 'present') this.cache = { key, snapshot };
    return snapshot;
  }

  private manager(): Manager | undefined {
    if (this.source === 'off') return undefined;
    const candidates = this.source === 'auto' ? MANAGERS : MANAGERS.filter((m) => m.format === this.source);
    return candidates.find((m) => this.system.onPath(m.command)) ?? (this.source === 'auto' ? undefined : candidates[0]);
  }
}

async function run(manager: Manager, hostfs: string, system: PackageSystem): Promise<Snapshot> {
  const { stdout, error } = await system.run(manager.command, manager.args(hostfs));
  if (error) {
    const why = error.killed ? `timed out after ${TIMEOUT_MS / 1000} s` : error.stderr.trim().split('\n')[0] || error.message;
    return { path: PACKAGES_PATH, state: 'unreadable', format: manager.format, reason: `${manager.command} failed: ${why}` };
  }
  const content = manager.inventory ? manager.inventory(stdout) : stdout;
  return { path: PACKAGES_PATH, state: 'present', format: manager.format, content, stat: { size: Buffer.byteLength(content) } };
}

/**
 * dpkg-query -W lists every package the status file knows, also removed ones whose
 * conffiles remain (Status `deinstall ok config-files`, `rc` in dpkg -l): only the
 * installed ones (`install|hold ok installed`) are sent, without the status column.
 */
function installedOnly(stdout: string): string {
  let out = '';
  for (const line of stdout.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0 && line.slice(0, tab).split(' ')[2] === 'installed') out += `${line.slice(tab + 1)}\n`;
  }
  return out;
}

/** Without a shell, with a timeout and an output bound. */
function execute(command: string, args: string[]): ReturnType<PackageSystem['run']> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve(error ? { stdout, error: { killed: Boolean(error.killed), message: error.message, stderr } } : { stdout });
    });
  });
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '/usr/bin:/bin').split(delimiter).some((dir) => {
    try {
      accessSync(`${dir}/${command}`, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function mtime(path: string): string {
  try {
    return String(statSync(path).mtimeMs);
  } catch {
    return '-';
  }
}
