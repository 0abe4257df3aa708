import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const AGENT_MAIN = join(__dirname, '..', 'dist', 'agent-main.js');

/**
 * V8's young generation (new space) in a plain `node` child after a burst of short-lived
 * allocations like an agent cycle's, with or without the agent's entry loaded first.
 */
function newSpaceMiB(loadAgentEntry: boolean): number {
  const script = `
    const v8 = require('node:v8');
    const newSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
    const churn = () => {
      const kept = [];
      for (let i = 0; i < 200; i++) {
        const burst = [];
        for (let j = 0; j < 20000; j++) burst.push({ j, s: 'x' + j });
        kept.push(burst.slice(0, 2000));
        if (kept.length > 20) kept.shift();
      }
    };
    const load = ${loadAgentEntry} ? require(${JSON.stringify(AGENT_MAIN)}).main(['agent', '--help']) : Promise.resolve();
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true;
    load.then(() => { churn(); write(String(newSpace())); });
  `;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`child node failed: ${run.stderr}`);
  return Number(run.stdout);
}

test("the agent's entry keeps V8's young generation at its starting size when started without node flags", () => {
  // The control: the same burst grows it to tens of MiB in a plain node.
  expect(newSpaceMiB(false)).toBeGreaterThanOrEqual(8);
  // With the agent's entry loaded first, as `mitra agent` runs however it is launched.
  expect(newSpaceMiB(true)).toBeLessThanOrEqual(2);
});
