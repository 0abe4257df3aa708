import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_DIR, PRIVATE_FILE, type Logger } from './log';
import type { WireDoc } from '@mitra/core/dist/base';

/**
 * The on-disk spool: NDJSON files, one wire-format document per line, named
 * spool-<epoch ms>-<pid>-<seq>.ndjson so that name order is age order.
 * A file is written to a .tmp name, fsync'd, then renamed, so a reader (the
 * agent resending, or Filebeat) only ever sees whole files, and a kill -9
 * loses nothing that was acknowledged.
 */
export interface SpoolFile {
  name: string;
  bytes: number;
  /** Epoch ms from the name: when its documents were collected. */
  collectedAt: number;
}

export interface SpoolStats {
  dir: string;
  files: number;
  bytes: number;
  oldest?: string;
}

const SPOOL_FILE = /^spool-\d+-\d+-\d+\.ndjson$/;
const WRITE_CHUNK = 4 * 1024 * 1024;

/**
 * Which files to drop, oldest first, so that existing + incoming fits the cap.
 * The incoming file is always kept: the newest snapshot is the one worth most.
 */
export function planEviction(existing: SpoolFile[], incomingBytes: number, capBytes: number): SpoolFile[] {
  let total = existing.reduce((sum, f) => sum + f.bytes, 0) + incomingBytes;
  const drop: SpoolFile[] = [];
  for (const file of [...existing].sort(byName)) {
    if (total <= capBytes) break;
    drop.push(file);
    total -= file.bytes;
  }
  return drop;
}

const byName = (a: SpoolFile, b: SpoolFile): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export class Spool {
  private seq = 0;

  constructor(
    readonly dir: string,
    private readonly capBytes: number,
    private readonly log: Logger,
    /** output: spool — Filebeat ships these files, so dropping old ones is housekeeping, not loss. */
    private readonly shippedByFilebeat = false,
  ) {}

  /** Spool files, oldest first. */
  files(): SpoolFile[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => SPOOL_FILE.test(n))
      .map((name) => ({ name, bytes: sizeOf(join(this.dir, name)), collectedAt: Number(name.split('-')[1]) }))
      .sort(byName);
  }

  stats(): SpoolStats {
    const files = this.files();
    return { dir: this.dir, files: files.length, bytes: files.reduce((s, f) => s + f.bytes, 0), oldest: files[0]?.name };
  }

  /**
   * Durably appends documents as one new spool file; returns its name once it
   * is on disk. `collectedAt` (epoch ms, default now) names the file, so a
   * batch spooled late (after a failed delivery) still sorts before later ones.
   */
  write(docs: WireDoc[], collectedAt = Date.now()): string {
    mkdirSync(this.dir, { recursive: true, mode: PRIVATE_DIR });
    const lines = docs.map((d) => `${JSON.stringify(d)}\n`);
    this.evict(lines.reduce((n, line) => n + Buffer.byteLength(line), 0));
    const name = `spool-${String(collectedAt).padStart(15, '0')}-${process.pid}-${String(this.seq++).padStart(6, '0')}.ndjson`;
    this.writeDurably(name, lines);
    return name;
  }

  /** Rewrites a spool file with fewer documents (the rest were delivered), atomically. */
  replace(name: string, docs: WireDoc[]): void {
    this.writeDurably(
      name,
      docs.map((d) => `${JSON.stringify(d)}\n`),
    );
  }

  /** Lines are written a few MB at a time, never joined: a cycle's documents can exceed the longest string V8 makes (512 MB). */
  private writeDurably(name: string, lines: string[]): void {
    const tmp = join(this.dir, `.${name}.tmp`);
    const fd = openSync(tmp, 'w', PRIVATE_FILE);
    try {
      // writeSync may write only part (disk nearly full); writeFileSync writes on until all is written or throws.
      let chunk = '';
      for (const line of lines) {
        chunk += line;
        if (chunk.length < WRITE_CHUNK) continue;
        writeFileSync(fd, chunk);
        chunk = '';
      }
      writeFileSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(this.dir, name));
    syncDir(this.dir);
  }

  /** The documents of one spool file; lines that do not parse or are not documents (a damaged disk) are logged and skipped. */
  read(name: string): WireDoc[] {
    const docs: WireDoc[] = [];
    // Line by line from the bytes: the whole file as one string fails past 512 MB.
    const bytes = readFileSync(join(this.dir, name));
    for (let start = 0, i = 0; start < bytes.length; i++) {
      const newline = bytes.indexOf(10, start);
      const end = newline < 0 ? bytes.length : newline;
      const line = bytes.toString('utf8', start, end);
      start = end + 1;
      if (!line.trim()) continue;
      let doc: unknown;
      try {
        doc = JSON.parse(line);
      } catch {
        this.log.error(`spool: ${name} line ${i + 1} is not JSON; skipping that line`);
        continue;
      }
      // JSON that is not a document (null, or a key damaged) would throw wherever it is used, at every resend.
      if (isWireDoc(doc)) docs.push(doc);
      else this.log.error(`spool: ${name} line ${i + 1} is not a Mitra document; skipping that line`);
    }
    return docs;
  }

  remove(name: string): void {
    unlinkSync(join(this.dir, name));
  }

  /** Leftovers of writes a crash interrupted: never acknowledged, so safe to delete. */
  removeTemporaries(): void {
    let names: string[] = [];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const n of names.filter((n) => n.endsWith('.ndjson.tmp'))) {
      try {
        unlinkSync(join(this.dir, n));
      } catch (e) {
        this.log.warn(`spool: cannot remove the unfinished ${n} (${(e as NodeJS.ErrnoException).code}); it is ignored`);
      }
    }
  }

  private evict(incomingBytes: number): void {
    const drop = planEviction(this.files(), incomingBytes, this.capBytes);
    if (!drop.length) return;
    const lost = drop.flatMap((f) => this.pathsIn(f.name));
    for (const f of drop) unlinkSync(join(this.dir, f.name));
    const which = describeLost(lost);
    if (this.shippedByFilebeat) {
      this.log.warn(
        `spool: removed the ${drop.length} oldest spool file(s) (${lost.length} snapshot(s): ${which}) to stay under spool.max_mb; Filebeat should have shipped them long ago — check Filebeat if it is not running`,
      );
      return;
    }
    this.log.error(
      `spool: cap spool.max_mb (${this.capBytes / (1024 * 1024)} MB) reached: DROPPED the ${drop.length} oldest spool file(s), ${lost.length} snapshot(s) lost: ${which}; the cluster has been unreachable too long — fix the connection or raise spool.max_mb`,
    );
  }

  /** The file paths (with target) of a spool file's documents, for the loss report. */
  private pathsIn(name: string): string[] {
    try {
      return this.read(name).map((d) => `${d.file?.path} (${d.mitra?.target})`);
    } catch {
      return [];
    }
  }
}

/** What shipping a spooled document needs: its host name, path, timestamp and target. */
function isWireDoc(doc: unknown): doc is WireDoc {
  const d = doc as Partial<WireDoc> | null;
  return (
    typeof d?.['@timestamp'] === 'string' &&
    typeof d.host?.name === 'string' &&
    typeof d.file?.path === 'string' &&
    (d.mitra?.target === 'current' || d.mitra?.target === 'history')
  );
}

/** "/etc/a (history) ×3, /etc/b (current)" — every path named, counted. */
export function describeLost(paths: string[]): string {
  const counts = new Map<string, number>();
  for (const p of paths) counts.set(p, (counts.get(p) ?? 0) + 1);
  return [...counts].map(([p, n]) => (n > 1 ? `${p} x${n}` : p)).join(', ') || 'none readable';
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Makes the rename itself durable. */
function syncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
