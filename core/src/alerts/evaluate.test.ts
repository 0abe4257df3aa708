import { getEventListeners } from 'node:events';
import { runEvery } from './evaluate';

describe('runEvery', () => {
  it('leaves no abort listener behind per round (mitra alerts run runs for days)', async () => {
    const stop = new AbortController();
    const listeners: number[] = [];
    let rounds = 0;
    await runEvery(
      async () => {
        listeners.push(getEventListeners(stop.signal, 'abort').length);
        if (++rounds === 30) stop.abort();
        return rounds;
      },
      1,
      stop.signal,
    );
    expect(rounds).toBe(30);
    // Each wait listens for the abort while it waits, and stops listening when it ends.
    expect(Math.max(...listeners)).toBe(0);
  });

  it('an abort ends the wait at once', async () => {
    const stop = new AbortController();
    const started = Date.now();
    const done = runEvery(async () => undefined, 60_000, stop.signal);
    setTimeout(() => stop.abort(), 20);
    await done;
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
