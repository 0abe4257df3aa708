import { historyId, OPEN_UNTIL } from '@mitra/core';
import { sealed, sealOutcome } from './seal';
import { toWireDoc } from './wire';

const ctx = { host: { name: 'web-01' }, timestamp: '2026-10-06T01:00:00.000Z', tags: [], agentVersion: 'test' };
const snap = { path: '/etc/app.conf', state: 'present' as const, content: 'x\n' };

describe('sealing history versions', () => {
  it('ships a history version open and closes the one it replaces, in the previous version’s daily index', () => {
    const doc = toWireDoc(snap, ctx, 'history', ctx.timestamp, '2026-10-05T23:30:00.000Z');
    const { json, follow } = sealed(doc, 'mitra-');
    const sent = JSON.parse(json);
    expect(sent.mitra.superseded_at).toBe(OPEN_UNTIL);
    expect(sent.mitra.supersedes).toBeUndefined();
    expect(follow.map((l) => JSON.parse(l))).toEqual([
      {
        update: {
          _index: 'mitra-history-2026.10.05',
          _id: historyId('web-01', '/etc/app.conf', '2026-10-05T23:30:00.000Z'),
          retry_on_conflict: 3,
        },
      },
      { doc: { mitra: { superseded_at: ctx.timestamp } } },
    ]);
  });

  it('a first version has nothing to close; current-state documents are sent as they are', () => {
    expect(sealed(toWireDoc(snap, ctx, 'history', ctx.timestamp), 'mitra-').follow).toEqual([]);
    const current = toWireDoc(snap, ctx, 'current', ctx.timestamp, '2026-10-05T23:30:00.000Z');
    expect(current.mitra.supersedes).toBeUndefined();
    expect(sealed(current, 'mitra-')).toEqual({ json: JSON.stringify(current), follow: [] });
  });

  it('a 404 (version already pruned) is neither retried nor an error; 429/5xx are retried', () => {
    expect(sealOutcome(200, undefined)).toBe('done');
    expect(sealOutcome(404, { type: 'document_missing_exception' })).toBe('gone');
    expect(sealOutcome(429, { type: 'es_rejected_execution_exception' })).toBe('retry');
    expect(sealOutcome(503, { type: 'unavailable_shards_exception' })).toBe('retry');
    expect(sealOutcome(400, { type: 'mapper_parsing_exception' })).toBe('failed');
  });
});
