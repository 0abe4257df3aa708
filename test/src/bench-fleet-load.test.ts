import { installAssets } from '@mitra/ingest-pipelines';
import { dropFleet, growFleet, readFleetState } from '../../bench/src/fleet-load';
import { questions } from '../../bench/src/questions';
import { loadFleet } from './fleet/load';
import { testCluster, type TestCluster } from './support/cluster';

/**
 * The benchmark's fast fleet loader (bench/src/fleet-load.ts) must load what
 * the tests' loader loads: a fleet grown in two steps with concurrent bulk
 * requests answers every benchmarked question exactly as the same fleet sent
 * host by host through loadFleet. It must also never build on a fleet it
 * cannot grow, and drop only its own prefix.
 */

const SHAPE = { seed: 42, days: 3 };
let cluster: TestCluster;

beforeAll(async () => {
  // As bench/src/run.ts does: one bulk can take longer than the default 30 s on a busy machine.
  process.env.MITRA_ES_TIMEOUT_MS ??= '300000';
  cluster = await testCluster('bench-fleet-load');
});
afterAll(async () => {
  await cluster.cleanup();
});

const subject = async (prefix: string) => {
  const state = await readFleetState(cluster.client, prefix);
  const asOf = new Date(state!.now);
  return { client: cluster.client, prefix, asOf, fleet: state! };
};

jest.setTimeout(600_000);

test('a fleet grown 120 → 260 hosts with small concurrent bulks answers every question as loadFleet does', async () => {
  const grown = cluster.prefix;
  const reference = `${cluster.prefix}ref-`;
  const first = await growFleet(cluster.client, grown, 120, SHAPE, { bulkBytes: 64 * 1024, concurrency: 4 });
  const second = await growFleet(cluster.client, grown, 260, SHAPE, { bulkBytes: 64 * 1024, concurrency: 4 });
  expect(first).toMatchObject({ from: 0, to: 120 });
  expect(second).toMatchObject({ from: 120, to: 260 });
  expect(second!.requests).toBeGreaterThan(4);
  expect(await growFleet(cluster.client, grown, 260, SHAPE)).toBeNull();

  const state = (await readFleetState(cluster.client, grown))!;
  expect(state).toMatchObject({ hosts: 260, complete: true, ...SHAPE });
  await installAssets(cluster.client, reference);
  await loadFleet(cluster.client, reference, { hosts: 260, ...SHAPE, now: new Date(state.now) });

  const a = questions(await subject(grown));
  const b = questions({ ...(await subject(grown)), prefix: reference });
  expect(a.length).toBeGreaterThan(15);
  for (let i = 0; i < a.length; i++) {
    const got = JSON.stringify(await a[i].ask())
      .split(grown)
      .join('<prefix>');
    const want = JSON.stringify(await b[i].ask())
      .split(reference)
      .join('<prefix>');
    expect({ question: a[i].name, answer: got }).toEqual({ question: b[i].name, answer: want });
  }
  // The questions are about something: hosts and histories are there.
  expect(((await a[0].ask()) as { hosts: number }).hosts).toBe(260);
});

test('a smaller target, another seed, another simulator or an interrupted load reloads from scratch; dropFleet spares a sibling prefix', async () => {
  const prefix = `${cluster.prefix}g-`;
  const sibling = `${prefix}x-`;
  await cluster.client.indices.create({ index: `${sibling}current` });
  await growFleet(cluster.client, prefix, 40, SHAPE);

  expect(await growFleet(cluster.client, prefix, 30, SHAPE)).toMatchObject({ from: 0, to: 30 });
  expect(await growFleet(cluster.client, prefix, 30, { ...SHAPE, seed: 7 })).toMatchObject({ from: 0, to: 30 });

  const state = (await readFleetState(cluster.client, prefix))!;
  await cluster.client.index({
    index: `${prefix}bench-state`,
    id: 'fleet',
    document: { ...state, hosts: 50, complete: false },
    refresh: true,
  });
  expect(await growFleet(cluster.client, prefix, 50, { ...SHAPE, seed: 7 })).toMatchObject({ from: 0, to: 50 });
  // A fleet made by another simulator or pipeline (its fingerprint differs) is not reused, even at the same size.
  await cluster.client.index({
    index: `${prefix}bench-state`,
    id: 'fleet',
    document: { ...(await readFleetState(cluster.client, prefix))!, fingerprint: 'older' },
    refresh: true,
  });
  expect(await growFleet(cluster.client, prefix, 50, { ...SHAPE, seed: 7 })).toMatchObject({ from: 0, to: 50 });
  expect(await growFleet(cluster.client, prefix, 50, { ...SHAPE, seed: 7 })).toBeNull();
  const count = await cluster.client.count({ index: `${prefix}current`, query: { term: { 'file.path': '/proc/version' } } });
  expect(count.count).toBe(50);

  await dropFleet(cluster.client, prefix);
  expect(await cluster.client.indices.exists({ index: `${prefix}current` })).toBe(false);
  expect(await readFleetState(cluster.client, prefix)).toBeNull();
  expect(await cluster.client.indices.exists({ index: `${sibling}current` })).toBe(true);
});
