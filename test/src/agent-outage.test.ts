import { removeTempDirs, tempDir } from './agent-helpers';
import { runOutageScenario } from './agent-outage-scenario';
import { testCluster, type TestCluster } from './support/cluster';

/**
 * Never blind during an outage: a file replaced every 200 ms (10 files in turn) through a 30 s
 * outage (a closed loopback proxy; the real engine keeps running) and a kill -9
 * of the agent in the middle of it. Afterwards every distinct content written
 * is in history, none twice, and nothing was dropped (the spool had room).
 */
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await testCluster('agent-outage');
  await cluster.setup();
});
afterAll(async () => {
  removeTempDirs();
  await cluster.cleanup();
});

describe('agent through an outage', () => {
  it('sees and delivers every change made through a 30 s outage and a kill -9, each exactly once', async () => {
    const result = await runOutageScenario(cluster, { dir: tempDir('outage'), host: 'outage-host' });
    expect(result.killed.signal).toBe('SIGKILL');
    expect({ alive: result.aliveAtEnd, missing: result.missing.length, tail: result.lastStderr }).toMatchObject({
      alive: true,
      missing: 0,
    });
    // Enough writes to mean something: 36 s of writing at 5 per second, minus the restart pause.
    expect(result.writes).toBeGreaterThan(100);
    expect(result.missing).toEqual([]);
    expect(result.seen).toBe(result.writes);
    expect(result.duplicates).toBe(0);
    for (const [path, written] of result.written) expect(result.history.get(path)).toEqual(written);
    expect(result.drops).toEqual([]);
  }, 900_000);
});
