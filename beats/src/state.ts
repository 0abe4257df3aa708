import { accessSync, chmodSync, constants, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { FileMemory } from './changes';
import { PRIVATE_DIR, PRIVATE_FILE } from './log';

export const SYSTEM_STATE_DIR = '/var/lib/mitra';

/** /var/lib/mitra when we may write there (root, or a prepared directory), else ~/.mitra. */
export function defaultStateDir(): string {
  try {
    mkdirSync(SYSTEM_STATE_DIR, { recursive: true, mode: PRIVATE_DIR });
    accessSync(SYSTEM_STATE_DIR, constants.W_OK);
    return SYSTEM_STATE_DIR;
  } catch {
    return join(homedir(), '.mitra');
  }
}

export interface CycleSummary {
  at: string;
  trigger: 'cycle' | 'watch' | 'resend';
  read: number;
  skipped: { path: string; state: string; reason?: string }[];
  bytes: number;
  changed: number;
  shipped: number;
  spooled: number;
  resent: number;
  rejected: number;
  tookMs: number;
  error?: string;
}

interface StateFile {
  version: 1;
  lastSuccess?: string;
  lastCycle?: CycleSummary;
  /** Keyed by host name and path: what was last handed to a durable output. */
  files: Record<string, FileMemory>;
}

/**
 * The agent's memory across restarts, in <state_dir>/state.json: the last
 * shipped fingerprint of every file (so a restart does not re-create history),
 * and the last cycle for `mitra agent --status`. Written atomically.
 */
export class AgentState {
  private data: StateFile;

  constructor(readonly dir: string) {
    this.data = load(join(dir, 'state.json'));
  }

  static key = (host: string, path: string): string => `${host}\t${path}`;

  memory(host: string, path: string): FileMemory | undefined {
    return this.data.files[AgentState.key(host, path)];
  }

  remember(host: string, path: string, memory: FileMemory): void {
    this.data.files[AgentState.key(host, path)] = memory;
  }

  recordCycle(summary: CycleSummary, success: boolean): void {
    this.data.lastCycle = summary;
    if (success) this.data.lastSuccess = summary.at;
  }

  get lastSuccess(): string | undefined {
    return this.data.lastSuccess;
  }

  get lastCycle(): CycleSummary | undefined {
    return this.data.lastCycle;
  }

  save(): void {
    mkdirSync(this.dir, { recursive: true, mode: PRIVATE_DIR });
    const file = join(this.dir, 'state.json');
    writeFileSync(`${file}.tmp`, JSON.stringify(this.data), { mode: PRIVATE_FILE });
    // The mode applies only to a new file: a leftover .tmp keeps its own.
    chmodSync(`${file}.tmp`, PRIVATE_FILE);
    renameSync(`${file}.tmp`, file);
  }
}

function load(file: string): StateFile {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as StateFile;
    // typeof null is 'object' too: "files": null would throw at every lookup, so every cycle.
    if (parsed?.version === 1 && typeof parsed.files === 'object' && parsed.files !== null) return parsed;
  } catch {
    // First start, or a damaged file: start afresh (worst case one extra history document per file).
  }
  return { version: 1, files: {} };
}
