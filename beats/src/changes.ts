import { createHash } from 'node:crypto';
import type { Snapshot } from './wire';
import type { WireDoc } from '@mitra/core/dist/base';

/** What the agent remembers per (host, path): the last content it handed to a durable output. */
export interface FileMemory {
  fingerprint: string;
  changedAt: string;
}

/**
 * A snapshot's identity for change detection: its state plus the sha256 of the
 * (already redacted) content. present→missing is a change; so is a new hash.
 */
export function fingerprint(s: Pick<Snapshot, 'state' | 'content' | 'stat'>): string {
  // A too_large file has no content but its hash, so a new version of it is a change too.
  if (s.state === 'too_large' && s.stat?.hash) return `too_large:${s.stat.hash.sha256}`;
  if (s.state !== 'present') return s.state;
  return `present:${createHash('sha256')
    .update(s.content ?? '', 'utf8')
    .digest('hex')}`;
}

export const fingerprintOfDoc = (d: WireDoc): string => fingerprint({ state: d.mitra.state, content: d.mitra.content, stat: d.file });

/** The same fingerprint from a stored document: its state and the sha256 the pipeline gave its content (or, too_large, the agent sent). */
export function storedFingerprint(state: string, sha256: string | undefined): string {
  if (state === 'present' && sha256) return `present:${sha256}`;
  if (state === 'too_large' && sha256) return `too_large:${sha256}`;
  return state;
}

export interface Decision {
  changed: boolean;
  /** changed_at to put on the current-state document. */
  changedAt: string;
  memory: FileMemory;
}

/** Unchanged → current-state doc only; changed (or never seen) → current + history. */
export function decide(s: Snapshot, previous: FileMemory | undefined, now: string): Decision {
  const fp = fingerprint(s);
  if (previous && previous.fingerprint === fp) return { changed: false, changedAt: previous.changedAt, memory: previous };
  return { changed: true, changedAt: now, memory: { fingerprint: fp, changedAt: now } };
}
