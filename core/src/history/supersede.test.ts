import { historyIndexAt, supersedeOperation } from './supersede';

describe('historyIndexAt: the pipeline’s daily index rule', () => {
  it('takes the UTC day of the timestamp, whatever its offset; a time without a zone is UTC', () => {
    expect(historyIndexAt('mitra-', '2026-10-05T23:59:59.999Z')).toBe('mitra-history-2026.10.05');
    expect(historyIndexAt('mitra-', '2026-10-06T00:00:00.000Z')).toBe('mitra-history-2026.10.06');
    expect(historyIndexAt('mitra-', '2026-10-05T22:30:00-02:00')).toBe('mitra-history-2026.10.06');
    expect(historyIndexAt('mitra-', '2026-10-05T23:30:00')).toBe('mitra-history-2026.10.05');
  });

  it('a time that does not parse closes nothing', () => {
    expect(historyIndexAt('mitra-', 'yesterday')).toBeUndefined();
    expect(
      supersedeOperation('mitra-', { host: 'h', path: '/p', previousAt: 'yesterday', at: '2026-10-06T00:00:00.000Z' }),
    ).toBeUndefined();
  });

  it('a version with the same timestamp as the one it replaces closes nothing (it has the same id: it replaced it)', () => {
    const at = '2026-10-06T00:00:00.000Z';
    expect(supersedeOperation('mitra-', { host: 'h', path: '/p', previousAt: at, at })).toBeUndefined();
  });
});
