import { spawn } from 'node:child_process';
import { MITRA_BIN, runMitra } from './support/cli';
import { testCluster, type TestCluster } from './support/cluster';
import { currentIndex } from '@mitra/core';

/**
 * Retention on the local 7.10 engine (no ILM there): `mitra prune` deletes the
 * prefix's daily history indices past retention by the date in their name,
 * and nothing else. The indices are created directly (the template applies),
 * not through the pipeline, which may refuse documents this old.
 */
let c: TestCluster;
let otherPrefix: string;
const DAY = 86_400_000;

const dayName = (prefix: string, daysAgo: number) => {
  const d = new Date(Date.now() - daysAgo * DAY);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${prefix}history-${d.getUTCFullYear()}.${p2(d.getUTCMonth() + 1)}.${p2(d.getUTCDate())}`;
};

async function create(client: TestCluster['client'], index: string): Promise<void> {
  await client.index({ index, id: 'x', document: { '@timestamp': new Date().toISOString(), 'host.name': 'h1' }, refresh: true });
}

const names = async () =>
  (await c.client.cat.indices({ index: `${c.prefix}*,${otherPrefix}*`, format: 'json', h: 'index' })).map((r) => String(r.index)).sort();

let expired: string[];
let survivors: string[];

beforeAll(async () => {
  c = await testCluster('retention');
  // A prefix that starts with c's: `t-retention-<pid>-` must not match `t-retention-<pid>-x-`.
  otherPrefix = `${c.prefix}x-`;
  await c.setup();
  expired = [dayName(c.prefix, 400), dayName(c.prefix, 120), dayName(c.prefix, 91)];
  survivors = [
    // The retention boundary: day D is kept until D + 91 days (its whole day within 90 days).
    dayName(c.prefix, 90),
    dayName(c.prefix, 1),
    dayName(c.prefix, 0),
    currentIndex(c.prefix),
    // Old, but not a name prune can date: left alone.
    `${c.prefix}history-2001.02.31`,
    `${c.prefix}history-2001.01.01-reindexed`,
    // Another prefix's old day.
    dayName(otherPrefix, 400),
  ];
  for (const index of [...expired, ...survivors]) await create(c.client, index);
});
afterAll(() => c.cleanup());

test('--dry-run lists exactly the expired days and deletes nothing', async () => {
  const before = await names();
  const res = await runMitra(['prune', '--prefix', c.prefix, '--dry-run', '--json']);
  expect(res.code).toBe(0);
  const out = JSON.parse(res.stdout) as { dryRun: boolean; deleted: { index: string }[]; kept: string[] };
  expect(out.dryRun).toBe(true);
  expect(out.deleted.map((d) => d.index)).toEqual([...expired].sort());
  expect(await names()).toEqual(before);
});

test('an argument (mitra prune 365d, meaning --retention 365d) is refused, and nothing is deleted', async () => {
  const before = await names();
  for (const args of [['365d'], ['off'], ['--dry-run', 'extra']]) {
    const res = await runMitra(['prune', ...args, '--prefix', c.prefix]);
    expect({ args, code: res.code, stdout: res.stdout }).toEqual({ args, code: 2, stdout: '' });
    expect(res.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^mitra: prune takes no arguments, got "[^"]+": .*--retention/)]);
  }
  expect(await names()).toEqual(before);
});

test('prune deletes the expired days; recent days, current state and other prefixes stay', async () => {
  const res = await runMitra(['prune', '--prefix', c.prefix, '--retention', '90d']);
  expect(res.code).toBe(0);
  expect(res.stdout.trim().split('\n')).toHaveLength(1);
  expect(res.stdout).toMatch(/^prune: retention 90d, prefix "t-retention-\d+-": deleted 3 history index\(es\)/);
  expect(await names()).toEqual([...survivors].sort());
  // The current-state document is still there, not just its index.
  expect((await c.client.count({ index: currentIndex(c.prefix) })).count).toBe(1);
  const again = await runMitra(['prune', '--prefix', c.prefix]);
  expect(again.stdout).toMatch(/deleted 0 history index/);
});

test('a shorter retention takes more days, never today', async () => {
  const res = await runMitra(['prune', '--prefix', c.prefix, '--retention', '1d', '--json']);
  expect(res.code).toBe(0);
  const deleted = (JSON.parse(res.stdout) as { deleted: { index: string }[] }).deleted.map((d) => d.index);
  expect(deleted).toContain(dayName(c.prefix, 90));
  expect(deleted).not.toContain(dayName(c.prefix, 0));
  expect(await names()).toContain(currentIndex(c.prefix));
  expect(await names()).toContain(dayName(otherPrefix, 400));
});

test('mitra serve prunes on its schedule (at start, then hourly)', async () => {
  const old = dayName(c.prefix, 300);
  await create(c.client, old);
  const child = spawn(process.execPath, [MITRA_BIN, 'serve', '--port', '0', '--prefix', c.prefix, '--retention', '30d'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  try {
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if (/prune: /.test(stderr)) resolve();
      });
      child.on('close', () => reject(new Error(`serve exited: ${stderr}`)));
    });
  } finally {
    child.kill('SIGTERM');
  }
  expect(stderr).toMatch(/mitra serve: prune: retention 30d, prefix "t-retention-\d+-": deleted 1 history index/);
  expect(await c.client.indices.exists({ index: old })).toBe(false);
});

test('a bad retention is one line and exit 2', async () => {
  for (const bad of ['90', '-1d', '0d', '90 days', '1e3d']) {
    const res = await runMitra(['prune', '--prefix', c.prefix, `--retention=${bad}`]);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/--retention "[^"]*" is not a retention: use a number of days like 90d/);
  }
  const setup = await runMitra(['setup', '--prefix', c.prefix, '--retention', 'forever']);
  expect(setup.code).toBe(2);
});
