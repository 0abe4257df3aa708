/**
 * The wire format: one JSON document per snapshot, posted through the
 * <prefix>snapshot pipeline (or written as one NDJSON spool line for Filebeat).
 * The pipeline derives _index and _id from host.name, file.path, @timestamp
 * and mitra.target, so these documents carry everything their id depends on.
 */
export type SnapshotState = 'present' | 'missing' | 'too_large' | 'binary' | 'unreadable' | 'refused';
export type Target = 'current' | 'history';

export interface FileStat {
  size?: number;
  mtime?: string;
  mode?: string;
  uid?: number;
  gid?: number;
  inode?: string;
  /** Sent by the agent only for too_large files (the pipeline hashes content itself). */
  hash?: { sha256: string };
}

/** What a collector saw for one path, before identity and routing are added. */
export interface Snapshot {
  /** The path as the host sees it (or a virtual path like mitra:packages). */
  path: string;
  state: SnapshotState;
  content?: string;
  reason?: string;
  format?: string;
  stat?: FileStat;
}

export interface WireDoc {
  '@timestamp': string;
  host: { name: string; fqdn?: string };
  file: { path: string } & FileStat;
  mitra: {
    content?: string;
    state: SnapshotState;
    reason?: string;
    format?: string;
    target: Target;
    changed_at?: string;
    /** History only: @timestamp of the version this one replaces (beats/src/seal.ts closes it). */
    supersedes?: string;
    tags?: string[];
    agent: { version: string };
  };
}

export interface DocContext {
  host: { name: string; fqdn?: string };
  timestamp: string;
  tags: string[];
  agentVersion: string;
}

export function toWireDoc(s: Snapshot, ctx: DocContext, target: Target, changedAt?: string, supersedes?: string): WireDoc {
  const mitra: WireDoc['mitra'] = { state: s.state, target, agent: { version: ctx.agentVersion } };
  if (s.content !== undefined && s.state === 'present') mitra.content = s.content;
  if (s.reason) mitra.reason = s.reason;
  if (s.format) mitra.format = s.format;
  if (changedAt) mitra.changed_at = changedAt;
  if (supersedes && target === 'history') mitra.supersedes = supersedes;
  if (ctx.tags.length) mitra.tags = ctx.tags;
  return { '@timestamp': ctx.timestamp, host: ctx.host, file: { path: s.path, ...s.stat }, mitra };
}
