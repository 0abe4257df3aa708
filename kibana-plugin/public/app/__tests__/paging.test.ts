import { pageByCursor, type Cursors } from '../components/paging';

/** A list of `total` items, `size` a page, by cursor (the index of the next page's first item). */
const list = (total: number, size: number, asked: (string | undefined)[]) => async (cursor: string | undefined) => {
  asked.push(cursor);
  const from = cursor === undefined ? 0 : Number(cursor);
  return {
    items: Array.from({ length: Math.max(0, Math.min(size, total - from)) }, (_, i) => from + i),
    ...(from + size < total ? { next: String(from + size) } : {}),
  };
};

describe('pageByCursor', () => {
  it('a page number far past the last (typed into the URL) answers the last page, looking only at the pages it knows', async () => {
    const asked: (string | undefined)[] = [];
    const looked: number[] = [];
    const cursors: Cursors = new (class extends Map<number, string | undefined> {
      override has(p: number) {
        looked.push(p);
        return super.has(p);
      }
    })();
    const body = await pageByCursor(list(120, 50, asked), 1e6, cursors);
    expect(body.items[0]).toBe(100);
    expect(asked).toEqual([undefined, '50', '100', '100']);
    // Not one check per number between 10^6 and 1: with 10^14 (a hand-edited URL) that froze the tab.
    expect(looked.length).toBeLessThan(10);
  });

  it('starts from the nearest page it knows', async () => {
    const asked: (string | undefined)[] = [];
    const cursors: Cursors = new Map([[2, '50']]);
    const body = await pageByCursor(list(200, 50, asked), 4, cursors);
    expect(body.items[0]).toBe(150);
    expect(asked).toEqual(['50', '100', '150']);
  });
});
