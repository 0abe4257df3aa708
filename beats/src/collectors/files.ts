import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type BigIntStats } from 'node:fs';
import { posix } from 'node:path';
import type { SecretGuard } from '../secrets';
import type { Snapshot } from '../wire';
import type { FileStat } from '@mitra/core/dist/base';

export interface FileReadOptions {
  /** Prepended to the path when reading ("" for this machine). */
  hostfs: string;
  /** Content limit in bytes: the smaller of indexer.maxsize and max_content_mb. */
  maxBytes: number;
  /** The setting that sets maxBytes, named in the too_large reason (default maxsize). */
  limitName?: string;
  /** Refuses secret files and redacts secrets (beats/src/secrets). */
  secrets: SecretGuard;
}

const CHUNK = 64 * 1024;
// ignoreBOM: a UTF-8 BOM is part of the file (its bytes, size and sha256), not something to drop.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Snapshots one file. Never throws: every way a read can fail becomes a
 * snapshot with a state and a reason, so one bad file never stops a cycle.
 */
export function collectFile(path: string, options: FileReadOptions): Snapshot {
  // Decided on where the path leads (symlinks, `..` resolved), not on how it is spelled.
  const target = options.secrets.target(path);
  if ('error' in target) return failed(path, target.error);
  if ('refused' in target) return { path, state: 'refused', reason: target.refused };
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not hang the agent waiting for a writer.
    // O_NOFOLLOW: a symlink swapped in after resolving is refused (ELOOP), not followed.
    fd = openSync(target.file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (e) {
    return failed(path, e);
  }
  try {
    return readOpen(path, target.resolved, fd, options);
  } catch (e) {
    return failed(path, e);
  } finally {
    closeSync(fd);
  }
}

function readOpen(path: string, resolved: string, fd: number, options: FileReadOptions): Snapshot {
  // bigint: inode numbers exceed 2^53 on some file systems.
  const st = fstatSync(fd, { bigint: true });
  const stat = statFields(st);
  const same = options.secrets.identity(path, st);
  if (same) return { path, state: 'refused', reason: same, stat };
  if (!st.isFile()) return { path, state: 'unreadable', reason: `not a regular file (${kind(st)})`, stat };
  const planted = plantedBy(resolved, st, options.hostfs);
  if (planted) return { path, state: 'refused', reason: `${path} ${planted}`, stat };
  // /proc files report st_size 0, so the limit is applied to what is read, not to st_size alone;
  // and some never end in practice (/proc/<pid>/pagemap: 256 GB), so those are read only so far.
  const read = readBounded(fd, options.maxBytes, Number(st.size) > options.maxBytes, st.size === 0n ? UNKNOWN_SIZE_READ_LIMIT : Infinity);
  if (!read.bytes) return tooLarge(path, read, options, stat);
  const bytes = read.bytes;
  stat.size = bytes.length;
  const text = decode(bytes);
  if (text === undefined) return { path, state: 'binary', reason: 'content is not UTF-8 text (NUL byte or invalid UTF-8)', stat };
  const inspected = options.secrets.inspect(path, resolved, text);
  if ('refused' in inspected) return { path, state: 'refused', reason: inspected.refused, stat };
  return { path, state: 'present', content: inspected.content, stat };
}

/**
 * Why a file is one any local user could have put there, or undefined: it sits in a world-writable directory
 * (/tmp, /var/tmp, /dev/shm) and neither root nor the agent's user owns it. /tmp/pkgs, in the original file list,
 * is read as the host's package inventory; planted, it would make every package question lie about this host.
 * Decided on where the path leads (`resolved`), so a link from a safe place to such a file is refused too.
 */
function plantedBy(resolved: string, st: BigIntStats, hostfs: string): string | undefined {
  const owner = Number(st.uid);
  if (owner === 0 || owner === process.getuid?.()) return undefined;
  const dir = posix.dirname(resolved);
  const parent = statSync(hostfs + dir, { throwIfNoEntry: false });
  if (!parent || (parent.mode & 0o002) === 0) return undefined;
  return `is owned by uid ${owner} in the world-writable directory ${dir}: any local user could have put it there, so it is not read; have root or the agent's user own it, or keep it elsewhere`;
}

interface BoundedRead {
  /** The content, or undefined when it is over the limit (then only size and hash are known). */
  bytes?: Buffer;
  size: number;
  /** Of all of it; undefined when reading stopped at `maxRead` (then `size` is what was read). */
  sha256?: string;
}

/** How far a file whose size is not known ahead (st_size 0: /proc, /sys) is read past the limit to size and hash it. */
export const UNKNOWN_SIZE_READ_LIMIT = 256 * 1024 * 1024;

/**
 * Reads to EOF, hashing as it goes. Content is kept only while it fits the
 * limit; past it (or from the start, when st_size already says so) the rest is
 * hashed chunk by chunk and dropped, so a 500 MB file costs one chunk of memory.
 */
export function readBounded(fd: number, limit: number, knownTooLarge = false, maxRead = Infinity): BoundedRead {
  const hash = createHash('sha256');
  let chunks: Buffer[] | undefined = knownTooLarge ? undefined : [];
  let total = 0;
  let buf = Buffer.allocUnsafe(CHUNK);
  for (;;) {
    if (total >= maxRead) return { size: total };
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    const chunk = buf.subarray(0, n);
    hash.update(chunk);
    total += n;
    if (chunks && total > limit) chunks = undefined;
    if (chunks) {
      chunks.push(chunk);
      buf = Buffer.allocUnsafe(CHUNK);
    }
  }
  const sha256 = hash.digest('hex');
  return { bytes: chunks ? Buffer.concat(chunks, total) : undefined, size: total, sha256 };
}

function decode(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function failed(path: string, e: unknown): Snapshot {
  const code = (e as NodeJS.ErrnoException).code ?? 'error';
  // Vanished between listing and reading (or mid-read): the file is missing now.
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ESTALE') return { path, state: 'missing', reason: code };
  if (code === 'EISDIR') return { path, state: 'unreadable', reason: 'not a regular file (directory)' };
  return { path, state: 'unreadable', reason: `${code}: ${(e as Error).message}` };
}

function tooLarge(path: string, read: BoundedRead, options: FileReadOptions, stat: FileStat): Snapshot {
  const limit = `${options.limitName ?? 'maxsize'} ${formatMb(options.maxBytes)}`;
  if (read.sha256 === undefined) {
    const reason = `more than ${read.size} bytes (not read further: its size is not known ahead) is over ${limit}`;
    return { path, state: 'too_large', reason, stat: { ...stat, size: read.size } };
  }
  const reason = `${read.size} bytes is over ${limit}`;
  return { path, state: 'too_large', reason, stat: { ...stat, size: read.size, hash: { sha256: read.sha256 } } };
}

const formatMb = (bytes: number): string => `${+(bytes / (1024 * 1024)).toFixed(3)} MB`;

function statFields(st: BigIntStats): FileStat {
  return {
    size: Number(st.size),
    mtime: st.mtime.toISOString(),
    mode: (Number(st.mode) & 0o7777).toString(8).padStart(4, '0'),
    uid: Number(st.uid),
    gid: Number(st.gid),
    inode: String(st.ino),
  };
}

function kind(st: BigIntStats): string {
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  return 'special file';
}

/**
 * The path a snapshot is stored under: the configured spelling with `.`,
 * `//` and `..` folded lexically (the pipeline refuses any other form, and
 * the original id rule hashes this path). Several spellings of one file
 * become one document, so `snapshotsByPath` decides which of them it holds.
 */
export const documentPath = (path: string): string => posix.normalize(path).replace(/(.)\/+$/, '$1');

/** One snapshot per document path: if any spelling of a file was refused, the document says refused. */
export function snapshotsByPath(snapshots: Snapshot[]): Snapshot[] {
  const byPath = new Map<string, Snapshot>();
  for (const s of snapshots) {
    const path = documentPath(s.path);
    const kept = byPath.get(path);
    if (!kept || (s.state === 'refused' && kept.state !== 'refused')) byPath.set(path, { ...s, path });
  }
  return [...byPath.values()];
}
