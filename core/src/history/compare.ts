import { NotFoundError } from '../errors';
import { currentStateId } from '../ids';
import { unifiedDiff } from './diff';
import { lastSeen, sourcePath, type IndexScope } from './scope';
import { parseInstant } from './time';
import { contentAt, versionById, type Version } from './versions';
import { currentIndex } from '../names';

/** Names one side of a diff: a history version id, or "the file as it was at this instant". */
export type VersionRef = { id: string } | { at: string };

/** A 64-hex text is a version id; anything else must be a time. */
export function parseVersionRef(text: string, param: string): VersionRef {
  return /^[0-9a-f]{64}$/.test(text) ? { id: text } : { at: parseInstant(text, param) };
}

export interface DiffSide {
  label: string;
  host: string;
  path: string;
  /** The history version, for version diffs; null for current-state copies. */
  version: Version | null;
  timestamp: string | null;
  state: string;
}

export interface DiffResult {
  from: DiffSide;
  to: DiffSide;
  identical: boolean;
  /** Unified diff (`diff -u`); empty when identical. */
  diff: string;
  asOf: string | null;
}

interface Side extends DiffSide {
  content: string;
}

/** Diff between two versions of one file on one host (by time or by version id). */
export async function diffVersions(
  scope: IndexScope,
  q: { host?: string; path?: string; from: VersionRef; to: VersionRef },
): Promise<DiffResult> {
  // With the file named, its last-seen time is asked alongside the two sides (by version id it is known only after).
  const known = q.host && q.path ? lastSeen(scope, q.host, q.path) : undefined;
  const [a, b] = await Promise.all([resolveSide(scope, q.host, q.path, q.from), resolveSide(scope, q.host, q.path, q.to)]);
  const asOf = known && b.host === q.host && b.path === q.path ? await known : await lastSeen(scope, b.host, b.path);
  return compare(a, b, asOf ?? b.timestamp);
}

/** Diff between two hosts' current copies of one file. */
export async function diffHosts(scope: IndexScope, q: { path: string; hostA: string; hostB: string }): Promise<DiffResult> {
  const res = await scope.client.mget<Record<string, unknown>>({
    index: currentIndex(scope.prefix),
    ids: [currentStateId(q.hostA, q.path), currentStateId(q.hostB, q.path)],
  });
  const sides = res.docs.map((doc, i): Side => {
    const host = i === 0 ? q.hostA : q.hostB;
    if (!('found' in doc) || !doc.found) {
      throw new NotFoundError(`host ${host} has no current copy of ${q.path}: check the host name (mitra hosts) and the path`);
    }
    const timestamp = String(sourcePath(doc._source, '@timestamp'));
    const content = sourcePath(doc._source, 'mitra.content');
    const state = String(sourcePath(doc._source, 'mitra.state') ?? 'present');
    return {
      label: `${host}:${q.path}`,
      host,
      path: q.path,
      version: null,
      timestamp,
      state,
      content: typeof content === 'string' ? content : '',
    };
  });
  const older = [sides[0].timestamp, sides[1].timestamp].sort()[0];
  return compare(sides[0], sides[1], older);
}

async function resolveSide(scope: IndexScope, host: string | undefined, path: string | undefined, ref: VersionRef): Promise<Side> {
  if ('id' in ref) {
    const v = await versionById(scope, ref.id);
    const { content, host: h, path: p, ...version } = v;
    return { label: `${h}:${p}@${v.timestamp}`, host: h, path: p, version, timestamp: v.timestamp, state: v.state, content: content ?? '' };
  }
  if (!host || !path) throw new NotFoundError('a diff by time needs the host and the path');
  const at = await contentAt(scope, { host, path, at: ref.at });
  if (!at.version) {
    throw new NotFoundError(`${path} on ${host} has no version at or before ${ref.at}: list versions with mitra history ${host} ${path}`);
  }
  const v = at.version;
  return {
    label: `${host}:${path}@${v.timestamp}`,
    host,
    path,
    version: v,
    timestamp: v.timestamp,
    state: v.state,
    content: at.content ?? '',
  };
}

function compare(a: Side, b: Side, asOf: string | null): DiffResult {
  const diff = unifiedDiff(a.content, b.content, { oldLabel: a.label, newLabel: b.label });
  const strip = ({ content: _c, ...side }: Side): DiffSide => side;
  return { from: strip(a), to: strip(b), identical: diff === '' && a.state === b.state, diff, asOf };
}
