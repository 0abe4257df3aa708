import * as nodeFs from 'node:fs';
import type { SysctlSelection } from '../config';
import type { Snapshot } from '../wire';

export const SYSCTL_PATH = 'mitra:sysctl';

/** The file system calls sysctl collection makes (tests pass their own tree). */
export interface SysctlFs {
  readFileSync(path: string): Buffer;
  readdirSync(path: string, options: { withFileTypes: true }): { name: string; isDirectory(): boolean; isFile(): boolean }[];
  statSync(path: string): { mode: number };
}
/** Bounds for `sysctl: all`: a kernel has a few thousand entries; stop well past that. */
const MAX_ENTRIES = 20_000;
const MAX_VALUE_BYTES = 4096;
/**
 * Counters and random values that change on every read: as settings they
 * would make a history document every cycle and say nothing about configuration.
 */
const VOLATILE = new Set([
  'kernel.random.uuid',
  'kernel.random.entropy_avail',
  'kernel.ns_last_pid',
  'kernel.pty.nr',
  'fs.dentry-state',
  'fs.inode-nr',
  'fs.inode-state',
  'fs.file-nr',
  'fs.aio-nr',
  'fs.quota.syncs',
  'net.netfilter.nf_conntrack_count',
]);

/**
 * Live kernel settings from /proc/sys as one `mitra:sysctl` snapshot of
 * `key = value` lines (the sysctl parser's input). Keys that cannot be read are
 * skipped; with a key list, an absent key is logged through `onSkip`.
 */
export function collectSysctl(
  selection: SysctlSelection,
  hostfs: string,
  onSkip: (key: string, why: string) => void,
  fs: SysctlFs = nodeFs,
): Snapshot | undefined {
  if (selection.mode === 'off') return undefined;
  const root = `${hostfs}/proc/sys`;
  const lines: string[] = [];
  const entries = selection.mode === 'all' ? listAll(root, fs) : selection.keys.map((key) => ({ key, path: keyToPath(key) }));
  for (const { key, path } of entries) {
    const value = readSetting(root, path, fs);
    if (typeof value === 'string') lines.push(`${key} = ${value}`);
    else if (selection.mode === 'keys') onSkip(key, value.error);
  }
  const content = lines.length ? `${lines.join('\n')}\n` : '';
  return { path: SYSCTL_PATH, state: 'present', format: 'sysctl', content, stat: { size: Buffer.byteLength(content) } };
}

export const keyToPath = (key: string): string => (key.includes('/') ? key : key.replace(/\./g, '/'));
/** As sysctl(8) names it: a dot inside a component (the VLAN eth0.100) becomes "/", then "/" becomes ".". */
const pathToKey = (rel: string): string =>
  rel
    .split('/')
    .map((c) => c.replace(/\./g, '/'))
    .join('.');

function readSetting(root: string, path: string, fs: SysctlFs): string | { error: string } {
  try {
    const raw = fs.readFileSync(`${root}/${path}`).subarray(0, MAX_VALUE_BYTES).toString('utf8');
    // Multi-line values (rare) are folded so each setting stays one `key = value` line.
    return raw.replace(/\s*\n\s*/g, ' ').trim();
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
}

/** Every readable, non-volatile setting, sorted; write-only entries (no r bits, e.g. vm.compact_memory) are skipped. */
function listAll(root: string, fs: SysctlFs): { key: string; path: string }[] {
  const keys: { key: string; path: string }[] = [];
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = fs.readdirSync(rel ? `${root}/${rel}` : root, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (keys.length >= MAX_ENTRIES) return;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && readable(`${root}/${child}`, fs) && !VOLATILE.has(pathToKey(child)))
        keys.push({ key: pathToKey(child), path: child });
    }
  };
  walk('');
  return keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function readable(path: string, fs: SysctlFs): boolean {
  try {
    return (fs.statSync(path).mode & 0o444) !== 0;
  } catch {
    return false;
  }
}
