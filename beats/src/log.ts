import { appendFileSync, chmodSync, mkdirSync, renameSync, statSync } from 'node:fs';
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

/** Leveled, line-oriented log to a size-rotated file and stderr. Never throws: logging must not stop a cycle. */
export class Logger {
  private size = 0;
  private fileBroken = false;

  constructor(private readonly options: LogOptions) {
    if (!options.file) return;
    try {
      mkdirSync(dirname(options.file), { recursive: true, mode: PRIVATE_DIR });
      this.size = statSync(options.file).size;
    } catch {
      this.size = 0;
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

  private write(level: LogLevel, message: string): void {
    if (RANK[level] < RANK[this.options.level]) return;
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}\n`;
    (this.options.stderr ?? ((l: string) => process.stderr.write(l)))(line);
    this.toFile(line);
  }

  private toFile(line: string): void {
    const file = this.options.file;
    if (!file || this.fileBroken) return;
    try {
      if (this.size + line.length > this.options.maxBytes) this.rotate(file);
      appendFileSync(file, line, { mode: PRIVATE_FILE });
      this.size += Buffer.byteLength(line);
    } catch (e) {
      // Say it once on stderr and carry on: a full disk must not stop collection.
      this.fileBroken = true;
      process.stderr.write(`mitra agent: cannot write log file ${file} (${(e as NodeJS.ErrnoException).code}): logging to stderr only\n`);
    }
  }

  private rotate(file: string): void {
    for (let i = KEEP_ROTATED - 1; i >= 1; i--) renameQuietly(`${file}.${i}`, `${file}.${i + 1}`);
    renameQuietly(file, `${file}.1`);
    this.size = 0;
  }
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
