import { PRUNE_TASK_TYPE, pruneTaskDefinition } from './prune_task';

/**
 * The prune task's one decision: run or leave it to the engine. Against a
 * recording client that answers as an engine with ILM, ISM or neither and
 * holds a day written late (ten days old, past a 1-day retention) and today.
 */
type Lifecycle = 'ilm' | 'ism' | 'none';
const DAY = 86_400_000;
const day = (t: number) => `mitra-history-${new Date(t).toISOString().slice(0, 10).replace(/-/g, '.')}`;

function engine(lifecycle: Lifecycle) {
  const deleted: string[] = [];
  const missing = (statusCode: number) => Object.assign(new Error(`status ${statusCode}`), { meta: { statusCode } });
  const client = {
    transport: {
      request: async ({ path }: { path: string }) => {
        if (path === '/_ilm/status' && lifecycle !== 'ilm') throw missing(405);
        if (path === '/_plugins/_ism/policies' && lifecycle !== 'ism') throw missing(404);
        return { statusCode: 200, body: {} };
      },
    },
    cat: { indices: async () => [day(Date.now() - 10 * DAY), day(Date.now())].map((index) => ({ index, 'store.size': '100' })) },
    indices: { delete: async ({ index }: { index: string[] }) => void deleted.push(...index) },
  };
  return { client, deleted };
}

async function runTask(lifecycle: Lifecycle) {
  const { client, deleted } = engine(lifecycle);
  const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const definition = pruneTaskDefinition({ prefix: 'mitra-', days: 1, logger, client: () => client as never })[PRUNE_TASK_TYPE];
  const result = (await definition.createTaskRunner({} as never).run()) as { state: Record<string, unknown> };
  return { state: result.state, deleted };
}

test('with ILM (ages a day by its name) the task leaves it to the engine', async () => {
  const { state, deleted } = await runTask('ilm');
  expect(state.skipped).toBe('ilm');
  expect(deleted).toEqual([]);
});

test('with ISM (ages an index by its creation) the task still deletes the late day by name', async () => {
  const { state, deleted } = await runTask('ism');
  expect(state).toMatchObject({ deleted: 1, kept: 1 });
  expect(deleted).toEqual([day(Date.now() - 10 * DAY)]);
});

test('with neither, the task deletes the late day', async () => {
  expect((await runTask('none')).deleted).toEqual([day(Date.now() - 10 * DAY)]);
});
