import { createHash } from 'node:crypto';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The original Mitra rule: one current-state document per (host, path),
 * `_id = sha256(host + "_" + path)` in lowercase hex. The ingest pipeline computes
 * the same value; this copy lets clients fetch a document by id without a search.
 */
export const currentStateId = (host: string, path: string): string => sha256(`${host}_${path}`);

/**
 * History documents: one per observation, so re-delivering the same snapshot
 * (same host, path and @timestamp) overwrites instead of duplicating.
 */
export const historyId = (host: string, path: string, timestamp: string): string => sha256(`${host}_${path}_${timestamp}`);

export const contentHash = sha256;
