/**
 * The wire format: one JSON document per snapshot, posted through the
 * <prefix>snapshot pipeline by the agent (or written as one NDJSON spool line
 * for Filebeat); tests and benchmarks send the same type.
 * The pipeline derives _index and _id from host.name, file.path, @timestamp
 * and mitra.target, so these documents carry everything their id depends on.
 */
export type SnapshotState = 'present' | 'missing' | 'too_large' | 'binary' | 'unreadable' | 'refused';

/**
 * Bounds the snapshot pipeline holds wire fields to (its `validate` script refuses a document past
 * one): a sender keeps within them, since through Filebeat a refused line is resent forever.
 * test/src/agent.test.ts checks the agent and the pipeline agree on them.
 */
export const WIRE_BOUNDS = {
  /** host.name, UTF-8 bytes (RFC 1035). */
  hostNameBytes: 255,
  /** file.path, UTF-8 bytes (PATH_MAX). */
  pathBytes: 4096,
  /** mitra.reason, UTF-8 bytes. */
  reasonBytes: 4096,
  /** Each of mitra.tags, UTF-8 bytes. */
  tagBytes: 1024,
} as const;
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
    /** `host_doc`: the sender writes HOST_DOC_PATH every full cycle (see there). */
    agent: { version: string; host_doc?: boolean };
  };
}

/**
 * The host document: every full agent cycle also sends a snapshot at this
 * virtual path whose content lists the paths the cycle sent as present, one
 * per line (parsed into `mitra.reports`), and stamps every document it sends
 * with `mitra.agent.host_doc: true`. One document per host then answers
 * questions about the set of hosts (which hosts send no package inventory)
 * as a filter, where a join over every current document would be needed;
 * the stamp tells the questions when every host can be answered that way.
 * See docs/architecture.md "Host questions".
 */
export const HOST_DOC_PATH = 'mitra:host';

/**
 * The host join: in the current state the pipeline makes each host's host
 * document (HOST_DOC_PATH) the parent of every other snapshot of that host
 * (the join field `mitra_join`, routed by host name). A host question is
 * then one query over the host documents, a `has_child` per condition,
 * whose cost follows the documents that match rather than a list of every
 * matching host's name. The pipeline (ingest-pipelines/assets/pipelines/
 * snapshot.yml, "route") writes these names; test/src/hosts-joined.test.ts
 * fails if the two disagree. See docs/architecture.md "Host questions".
 */
export const HOST_JOIN = { field: 'mitra_join', parent: 'host', child: 'file' } as const;

/**
 * The least any sender must give (Filebeat, curl, a test): the pipeline fills
 * the rest — `mitra.state` (present when there is content, else missing) and
 * `mitra.target` (current).
 */
export type WireInput = Omit<WireDoc, 'mitra'> & { mitra: Partial<WireDoc['mitra']> };
