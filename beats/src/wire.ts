import type { FileStat, SnapshotState, Target, WireDoc } from '@mitra/core/dist/base';

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

export interface DocContext {
  host: { name: string; fqdn?: string };
  timestamp: string;
  tags: string[];
  agentVersion: string;
}

export function toWireDoc(s: Snapshot, ctx: DocContext, target: Target, changedAt?: string, supersedes?: string): WireDoc {
  // host_doc: this agent sends a host document every full cycle (core's HOST_DOC_PATH), which host questions rely on.
  const mitra: WireDoc['mitra'] = { state: s.state, target, agent: { version: ctx.agentVersion, host_doc: true } };
  if (s.content !== undefined && s.state === 'present') mitra.content = s.content;
  if (s.reason) mitra.reason = s.reason;
  if (s.format) mitra.format = s.format;
  if (changedAt) mitra.changed_at = changedAt;
  if (supersedes && target === 'history') mitra.supersedes = supersedes;
  if (ctx.tags.length) mitra.tags = ctx.tags;
  return { '@timestamp': ctx.timestamp, host: ctx.host, file: { path: s.path, ...s.stat }, mitra };
}
