import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentState } from './state';

describe('AgentState', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it.each(['{"version":1,"files":null}', '{"version":1}', 'null', '{"version":1,"files":{"h\\t/a"', ''])(
    'starts afresh from a damaged state.json (%j) instead of failing every cycle',
    (text) => {
      const dir = mkdtempSync(join(tmpdir(), 'mitra-state-'));
      dirs.push(dir);
      writeFileSync(join(dir, 'state.json'), text);
      const state = new AgentState(dir);
      expect(state.memory('h', '/a')).toBeUndefined();
      state.remember('h', '/a', { fingerprint: 'present:x', changedAt: '2026-01-01T00:00:00.000Z' });
      expect(state.memory('h', '/a')).toEqual({ fingerprint: 'present:x', changedAt: '2026-01-01T00:00:00.000Z' });
    },
  );
});
