import { type FileStat, type SnapshotState, type Target, WIRE_BOUNDS, type WireDoc } from '@mitra/core/dist/base';

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

/**
 * The first control character (U+0000–U+001F, U+007F) of a path, as its code, or undefined. The snapshot
 * pipeline refuses such a file.path, and through Filebeat a refused line is resent forever; any local user can
 * make such a name (a newline, an escape) where a glob looks.
 */
export function controlCharacter(path: string): number | undefined {
  // eslint-disable-next-line no-control-regex
  const at = path.search(/[\u0000-\u001f\u007f]/);
  return at < 0 ? undefined : path.charCodeAt(at);
}

/** An error message that quotes a long path can pass the pipeline's bound on mitra.reason. */
export const MAX_REASON_BYTES = WIRE_BOUNDS.reasonBytes;

/** `text` cut to at most `maxBytes` of UTF-8, ending in … when cut; encodeInto never splits a character. */
export function withinBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(maxBytes - 3)); // 3: the ellipsis in UTF-8
  return `${text.slice(0, read)}…`;
}

export interface DocContext {
  host: { name: string; fqdn?: string };
  timestamp: string;
  tags: string[];
  agentVersion: string;
  /**
   * False when the agent cannot see which documents the cluster refused (output: spool, shipped by Filebeat),
   * so cannot keep its host document to what the cluster holds: its documents then go unstamped. Default true.
   */
  confirmsHostDoc?: boolean;
}

export function toWireDoc(s: Snapshot, ctx: DocContext, target: Target, changedAt?: string, supersedes?: string): WireDoc {
  // host_doc: this agent sends a host document every full cycle (core's HOST_DOC_PATH), listing only paths the cluster
  // holds (it ships it again without any it refused); host questions take it at its word.
  const stamp = ctx.confirmsHostDoc === false ? {} : { host_doc: true };
  const mitra: WireDoc['mitra'] = { state: s.state, target, agent: { version: ctx.agentVersion, ...stamp } };
  if (s.content !== undefined && s.state === 'present') mitra.content = s.content;
  if (s.reason) mitra.reason = withinBytes(s.reason, MAX_REASON_BYTES);
  if (s.format) mitra.format = s.format;
  if (changedAt) mitra.changed_at = changedAt;
  if (supersedes && target === 'history') mitra.supersedes = supersedes;
  if (ctx.tags.length) mitra.tags = ctx.tags;
  return { '@timestamp': ctx.timestamp, host: ctx.host, file: { path: s.path, ...s.stat }, mitra };
}
