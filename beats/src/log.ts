import { chmodSync, closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogLevel } from './config';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Everything the agent writes (log, state, spool) is its own: 0600 files, 0700 directories it creates. */
export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;
/** Rotated files kept next to the live log: runner.log.1 … runner.log.3. */
export const KEEP_ROTATED = 3;

export interface LogOptions {
  level: LogLevel;
  file?: string;
  maxBytes: number;
  /** Where lines go besides the file; stderr by default, a no-op for quiet tests. */
  stderr?: (line: string) => void;
}

/**
 * Leveled, line-oriented log to a size-rotated file and stderr. Never throws:
 * logging must not stop a cycle. Lines are always whole lines: a message is
 * made one line, each line is one write(2) with O_APPEND (atomic against other
 * processes appending to the same file), and a file that does not end in a
 * newline (a crash of some earlier writer, another tool's log) gets one before
 * our first line instead of our line being glued to its last.
 */
export class Logger {
  private fileBroken = false;
  /** Checked on the first write to a file we did not create ourselves. */
  private checkedTail = false;

  constructor(private readonly options: LogOptions) {
    if (!options.file) return;
    try {
      mkdirSync(dirname(options.file), { recursive: true, mode: PRIVATE_DIR });
    } catch {
      // Reported on the first write.
    }
    try {
      // A log written by an older version may be world-readable.
      chmodSync(options.file, PRIVATE_FILE);
    } catch {
      // Not there yet (created 0600 on first write), or not ours to change.
    }
  }

  debug = (message: string): void => this.write('debug', message);
  info = (message: string): void => this.write('info', message);
  warn = (message: string): void => this.write('warn', message);
  error = (message: string): void => this.write('error', message);

  /** Whether lines of this level reach stderr (so a caller need not print them again). */
  reachesStderr(level: LogLevel): boolean {
    return RANK[level] >= RANK[this.options.level];
  }

  private write(level: LogLevel, message: string): void {
    if (RANK[level] < RANK[this.options.level]) return;
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${oneLine(message)}\n`;
    (this.options.stderr ?? ((l: string) => process.stderr.write(l)))(line);
    this.toFile(line);
  }

  private toFile(line: string): void {
    const file = this.options.file;
    if (!file || this.fileBroken) return;
    try {
      this.append(file, Buffer.from(line));
    } catch (e) {
      // Say it once on stderr and carry on: a full disk must not stop collection.
      this.fileBroken = true;
      process.stderr.write(`mitra agent: cannot write log file ${file} (${(e as NodeJS.ErrnoException).code}): logging to stderr only\n`);
    }
  }

  /**
   * The size that decides rotation is the file's own, read on the open file:
   * another process (a --once run next to the daemon) may have written or
   * rotated since our last line.
   */
  private append(file: string, line: Buffer): void {
    let fd = openSync(file, 'a+', PRIVATE_FILE);
    try {
      const size = fstatSync(fd).size;
      if (size > 0 && size + line.length > this.options.maxBytes) {
        closeSync(fd);
        fd = -1;
        rotate(file);
        this.checkedTail = false;
        fd = openSync(file, 'a+', PRIVATE_FILE);
      }
      const text = this.checkedTail || endsWithNewline(fd) ? line : Buffer.concat([Buffer.from('\n'), line]);
      this.checkedTail = true;
      // One write: O_APPEND makes it land whole after whatever other processes wrote.
      const n = writeSync(fd, text, 0, text.length);
      if (n < text.length) writeSync(fd, text, n, text.length - n);
    } finally {
      if (fd >= 0) closeSync(fd);
    }
  }
}

function rotate(file: string): void {
  for (let i = KEEP_ROTATED - 1; i >= 1; i--) renameQuietly(`${file}.${i}`, `${file}.${i + 1}`);
  renameQuietly(file, `${file}.1`);
}

/** Newlines and other control characters inside a message would forge or split lines. */
export function oneLine(message: string): string {
  // eslint-disable-next-line no-control-regex
  return message.replace(/\r\n|[\r\n\u2028\u2029]/g, ' \\n ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?');
}

function endsWithNewline(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

function renameQuietly(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch {
    // Nothing to rotate yet.
  }
}

/** A logger that drops everything, for callers that do not care. */
export const silentLogger = (): Logger => new Logger({ level: 'error', maxBytes: Infinity, stderr: () => {} });
