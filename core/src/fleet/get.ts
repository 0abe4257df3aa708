import { isMissingDocument, type MitraClient } from '../client';
import { UsageError } from '../errors';
import { currentStateId } from '../ids';
import { explainSearchError } from './common';
import { storedInstant } from '../parse';
import { currentIndex } from '../names';

/** One host's current snapshot of one path, fetched by its id: sha256(host + "_" + path). */
export interface GetParams {
  host: string;
  path: string;
}

export interface SnapshotDoc {
  id: string;
  host: string;
  path: string;
  state: string;
  reason?: string;
  content?: string;
  hash?: string;
  size?: number;
  /** Last seen. */
  timestamp: string;
  changedAt?: string;
}

export interface GetResult {
  asOf: string | null;
  total: number;
  /** null when the host never sent the path. */
  doc: SnapshotDoc | null;
}

export async function getSnapshot(client: MitraClient, prefix: string, params: GetParams): Promise<GetResult> {
  if (!params.host.trim() || !params.path.trim()) throw new UsageError('get needs a host and a path, e.g. web-01 /etc/hosts');
  const id = currentStateId(params.host, params.path);
  const index = currentIndex(prefix);
  let res;
  try {
    res = await client.get<Record<string, unknown>>({ index, id });
  } catch (e) {
    // A 404 means no such document (found: false) only when the index exists: a missing index is the setup error.
    if (isMissingDocument(e)) return { asOf: null, total: 0, doc: null };
    throw explainSearchError(e, client, index);
  }
  if (!res.found || !res._source) return { asOf: null, total: 0, doc: null };
  const s = res._source as {
    '@timestamp'?: string;
    host?: { name?: string };
    file?: { path?: string; size?: number; hash?: { sha256?: string } };
    mitra?: { state?: string; reason?: string; content?: string; changed_at?: string };
  };
  const timestamp = s['@timestamp'] ? storedInstant(s['@timestamp']) : '';
  const doc: SnapshotDoc = {
    id,
    host: s.host?.name ?? params.host,
    path: s.file?.path ?? params.path,
    state: s.mitra?.state ?? 'present',
    timestamp,
  };
  if (s.mitra?.reason) doc.reason = s.mitra.reason;
  if (s.mitra?.content !== undefined) doc.content = s.mitra.content;
  if (s.file?.hash?.sha256) doc.hash = s.file.hash.sha256;
  if (s.file?.size !== undefined) doc.size = s.file.size;
  if (s.mitra?.changed_at) doc.changedAt = s.mitra.changed_at;
  return { asOf: timestamp || null, total: 1, doc };
}
