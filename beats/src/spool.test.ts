import { planEviction, type SpoolFile } from './spool';

const f = (name: string, bytes: number): SpoolFile => ({ name, bytes });

describe('planEviction', () => {
  it('drops nothing while under the cap', () => {
    expect(planEviction([f('spool-1', 40), f('spool-2', 40)], 20, 100)).toEqual([]);
  });

  it('drops the oldest files first, just enough to fit', () => {
    const files = [f('spool-3', 30), f('spool-1', 30), f('spool-2', 30)];
    // 90 + 25 = 115 > 100: dropping the oldest (spool-1) leaves 85.
    expect(planEviction(files, 25, 100).map((x) => x.name)).toEqual(['spool-1']);
    // 90 + 75 = 165: dropping spool-1 and spool-2 leaves 105, spool-3 too leaves 75.
    expect(planEviction(files, 75, 100).map((x) => x.name)).toEqual(['spool-1', 'spool-2', 'spool-3']);
  });

  it('keeps the incoming file even when it alone exceeds the cap', () => {
    expect(planEviction([f('spool-1', 10)], 500, 100).map((x) => x.name)).toEqual(['spool-1']);
    expect(planEviction([], 500, 100)).toEqual([]);
  });
});
