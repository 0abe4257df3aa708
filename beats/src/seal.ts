import { OPEN_UNTIL, supersedeOperation, type WireDoc } from '@mitra/core/dist/base';

/**
 * Version validity (core/src/history/supersede.ts), the agent's half: a
 * history version shipped to Elasticsearch goes out open (`superseded_at` =
 * OPEN_UNTIL), and the version it replaces (`mitra.supersedes`, which the
 * agent knows from its state) is closed by an `update` in the same bulk, so
 * both arrive or neither does. Spool files for Filebeat carry no open marker:
 * Filebeat cannot send the update, and a version left open would be wrong.
 */

/** The document's JSON as indexed, and the bulk lines that follow its own (none, or the update's two). */
export function sealed(doc: WireDoc, prefix: string): { json: string; follow: string[] } {
  if (doc.mitra.target !== 'history') return { json: JSON.stringify(doc), follow: [] };
  const { supersedes, ...mitra } = doc.mitra;
  const json = JSON.stringify({ ...doc, mitra: { ...mitra, superseded_at: OPEN_UNTIL } });
  const op = supersedes
    ? supersedeOperation(prefix, { host: doc.host.name, path: doc.file.path, previousAt: supersedes, at: doc['@timestamp'] })
    : undefined;
  return { json, follow: op ? op.map((line) => JSON.stringify(line)) : [] };
}

export type SealOutcome = 'done' | 'gone' | 'retry' | 'failed';

/**
 * An update item's result. 404 means the previous version is no longer there
 * (pruned by retention, or never delivered): nothing to close, not an error,
 * and never retried. 429/5xx: the document goes round again (its index is
 * idempotent). Anything else is logged; the new version itself is kept.
 */
export function sealOutcome(status: number, error: unknown): SealOutcome {
  if (!error) return 'done';
  if (status === 404) return 'gone';
  return status === 429 || status >= 500 ? 'retry' : 'failed';
}
