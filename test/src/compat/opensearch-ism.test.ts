import {
  connect,
  currentIndex,
  historyIndices,
  lifecyclePolicyId,
  resolveConnection,
  snapshotPipeline,
  type Connection,
} from '@mitra/core';
import { FLAVORS, pluginFolder } from '@mitra/engine';
import { runMitra } from '../support/cli';
import { ENGINE_START_TIMEOUT_MS, useEngine, type FlavorEngine } from '../support/engines';

/**
 * Retention by the engine's own lifecycle, on a real Index State Management
 * plugin: the opensearch-ism engine flavour (OpenSearch 2.19.1 with the job
 * scheduler and ISM 2.19.1.0; see engine/README.md). ISM checks its indices
 * every minute there, so each wait below is a few of its runs.
 *
 * No package registry this project may use serves ISM, and the repository
 * neither downloads nor builds it, so the flavour loads the plugins from the
 * folder MITRA_OPENSEARCH_PLUGINS names (an OpenSearch 2.19.1 distribution's
 * plugins/). Without it this file is skipped and says why; the lifecycle's
 * requests are also checked without an engine in
 * core/src/retention/lifecycle.test.ts.
 */
const plugins = pluginFolder(FLAVORS['opensearch-ism']);
const unavailable = plugins && 'missing' in plugins ? plugins.missing : undefined;
// On stderr directly: jest drops console output of a file whose tests are all skipped.
if (unavailable) process.stderr.write(`opensearch-ism.test.ts skipped: ${unavailable}\n`);
const describeIsm = unavailable ? describe.skip : describe;

const DAY = 86_400_000;
const OWN_POLICY = {
  policy: { description: 'an operator', default_state: 'hot', states: [{ name: 'hot', actions: [], transitions: [] }] },
};
const ISM_RUNS_MS = 300_000;
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10).replace(/-/g, '.');

interface Explained {
  policy_id?: string;
  policy_seq_no?: number;
}

describeIsm('retention on OpenSearch with ISM', () => {
  let os: FlavorEngine;
  let c: Connection;
  const prefix = `t-ism-${process.pid}-`;
  const policy = lifecyclePolicyId(prefix);
  const today = `${prefix}history-${dayOf(Date.now())}`;
  const yesterday = `${prefix}history-${dayOf(Date.now() - DAY)}`;

  const snapshotAt = (t: number, host: string) => ({
    '@timestamp': new Date(t).toISOString(),
    host: { name: host },
    file: { path: '/etc/hostname' },
  });
  const ingest = async (doc: object) => {
    const res = await c.client.bulk({ pipeline: snapshotPipeline(prefix), refresh: true, operations: [{ index: { _index: 'x' } }, doc] });
    expect(res.items.map((i) => i.index?.error ?? null)).toEqual([null]);
  };

  const setup = async (retention: string) => {
    const res = await runMitra(['setup', '--es', os.url, '--prefix', prefix, '--retention', retention, '--json'], {}, 120_000);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    return (JSON.parse(res.stdout) as { settings: { lifecycle: { kind: string; note: string } } }).settings.lifecycle;
  };
  const explain = async (): Promise<Record<string, Explained>> => {
    const res = await c.client.transport.request({ method: 'GET', path: `/_plugins/_ism/explain/${prefix}*` }, { meta: true });
    const byIndex = { ...(res.body as Record<string, unknown>) };
    delete byIndex.total_managed_indices;
    return byIndex as Record<string, Explained>;
  };
  const installedPolicy = async () =>
    (await c.client.transport.request({ method: 'GET', path: `/_plugins/_ism/policies/${policy}` })) as {
      _seq_no: number;
      _primary_term: number;
      policy: { states: { name: string; transitions: { conditions?: { min_index_age?: string } }[] }[] };
    };
  const indices = async () =>
    (await c.client.cat.indices({ index: `${prefix}*`, format: 'json', h: 'index' })).map((r) => String(r.index)).sort();
  const until = async (what: string, ok: () => Promise<boolean>) => {
    const end = Date.now() + ISM_RUNS_MS;
    while (!(await ok())) {
      if (Date.now() > end) throw new Error(`ISM did not ${what} within ${ISM_RUNS_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 5_000));
    }
  };

  beforeAll(async () => {
    os = await useEngine('opensearch-ism');
    c = await connect(resolveConnection({ es: os.url }, {}, {}));
    // A day that exists before Mitra's policy does: ISM's template only claims indices created after it.
    await c.client.index({ index: today, document: { '@timestamp': new Date().toISOString(), host: { name: 'h1' } }, refresh: true });
  }, ENGINE_START_TIMEOUT_MS);

  afterAll(async () => {
    if (!c) return os?.release();
    await c.client.transport.request({ method: 'POST', path: `/_plugins/_ism/remove/${prefix}*` }).catch(() => undefined);
    for (const id of [policy, `${prefix}own`])
      await c.client.transport.request({ method: 'DELETE', path: `/_plugins/_ism/policies/${id}` }, { ignore: [404] });
    await c.client.indices.delete({ index: `${prefix}*` }, { ignore: [404] });
    await c.client.indices.deleteIndexTemplate({ name: `${prefix}*` }, { ignore: [404] });
    await c.client.ingest.deletePipeline({ id: `${prefix}*` }, { ignore: [404] });
    await c.client.close();
    await os.release();
  }, 60_000);

  test(
    'setup installs a policy ISM accepts; it manages the days before it and after it, never current state',
    async () => {
      const lifecycle = await setup('1d');
      expect(lifecycle).toMatchObject({ kind: 'ism', policy, note: `retention 1d: ISM policy ${policy} on ${historyIndices(prefix)}` });
      expect((await installedPolicy()).policy.states[0].transitions[0].conditions).toEqual({ min_index_age: '2d' });

      // Through the pipeline: a snapshot of the current state, and yesterday's version, whose history index opens after the policy.
      await ingest({
        '@timestamp': new Date().toISOString(),
        host: { name: 'h2' },
        file: { path: '/etc/hostname' },
        mitra: { content: 'h2\n' },
      });
      await ingest({ ...snapshotAt(Date.now() - DAY, 'h2'), mitra: { content: 'h2\n', target: 'history' } });
      await until('claim the new history index', async () => (await explain())[yesterday]?.policy_id === policy);
      const managed = await explain();
      expect(managed[today]?.policy_id).toBe(policy);
      expect(managed[currentIndex(prefix)]?.policy_id ?? null).toBeNull();
      expect(await indices()).toEqual([currentIndex(prefix), yesterday, today]);
    },
    ISM_RUNS_MS + 60_000,
  );

  test(
    'a day written late is created late, so ISM would keep it too long; mitra prune deletes it by name while ISM runs',
    async () => {
      const late = Date.now() - 10 * DAY;
      await ingest({ ...snapshotAt(late, 'h3'), mitra: { content: 'h3\n', target: 'history' } });
      const lateDay = `${prefix}history-${dayOf(late)}`;
      await until('claim the late day', async () => (await explain())[lateDay]?.policy_id === policy);
      // What ISM ages it by (min_index_age): its creation, today, not its day ten days ago.
      const settings = await c.client.indices.getSettings({ index: lateDay, name: 'index.creation_date' });
      expect(Date.now() - Number(settings[lateDay].settings?.index?.creation_date)).toBeLessThan(DAY);

      const res = await runMitra(['prune', '--es', os.url, '--prefix', prefix, '--retention', '1d', '--json']);
      expect(res.code).toBe(0);
      expect((JSON.parse(res.stdout) as { deleted: { index: string }[] }).deleted.map((d) => d.index)).toEqual([lateDay]);
      expect(await indices()).toEqual([currentIndex(prefix), yesterday, today]);
    },
    ISM_RUNS_MS + 60_000,
  );

  test(
    'a new retention reaches the days ISM already manages (they run the version they started with until told)',
    async () => {
      // ISM has to have started the index on the policy first; only then is there a version to leave.
      const versions = async () => Object.values(await explain()).map((e) => e.policy_seq_no ?? null);
      // Yesterday's and today's indices; current state is not managed (null).
      await until('start both history indices on the policy', async () => (await versions()).filter((v) => v !== null).length === 2);
      // A day an operator put on a policy of their own: a new retention of Mitra's must leave it there.
      const own = `${prefix}own`;
      const theirs = `${prefix}history-2026.01.01`;
      await c.client.transport.request({ method: 'PUT', path: `/_plugins/_ism/policies/${own}`, body: OWN_POLICY });
      await c.client.indices.create({ index: theirs });
      await until("claim the operator's day", async () => (await explain())[theirs]?.policy_id === policy);
      await c.client.transport.request({ method: 'POST', path: `/_plugins/_ism/remove/${theirs}` });
      await c.client.transport.request({ method: 'POST', path: `/_plugins/_ism/add/${theirs}`, body: { policy_id: own } });
      const lifecycle = await setup('5d');
      expect((await explain())[theirs]?.policy_id).toBe(own);
      await c.client.indices.delete({ index: theirs });
      expect(lifecycle.note).toBe(
        `retention 5d: ISM policy ${policy} on ${historyIndices(prefix)} (updated; 2 existing history index(es) switch to it)`,
      );
      const updated = await installedPolicy();
      expect(updated.policy.states[0].transitions[0].conditions).toEqual({ min_index_age: '6d' });
      await until('switch both history indices to the new version', async () =>
        (await versions()).every((v) => v === null || v === updated._seq_no),
      );
      expect((await versions()).sort()).toEqual([updated._seq_no, updated._seq_no, null]);
      // The same retention again changes nothing.
      expect((await setup('5d')).note).toBe(`retention 5d: ISM policy ${policy} on ${historyIndices(prefix)}`);
      expect((await installedPolicy())._seq_no).toBe(updated._seq_no);
    },
    2 * ISM_RUNS_MS + 60_000,
  );

  test(
    "Mitra's policy, aged down to a second, deletes history and leaves current state",
    async () => {
      // The one change to Mitra's policy: its age, so ISM acts now rather than in days.
      const installed = await installedPolicy();
      const body = { policy: JSON.parse(JSON.stringify(installed.policy)) as typeof installed.policy };
      body.policy.states[0].transitions[0].conditions = { min_index_age: '1s' };
      for (const key of ['policy_id', 'last_updated_time', 'schema_version', 'error_notification']) delete (body.policy as never)[key];
      for (const t of (body.policy as unknown as { ism_template: Record<string, unknown>[] }).ism_template) delete t.last_updated_time;
      await c.client.transport.request({
        method: 'PUT',
        path: `/_plugins/_ism/policies/${policy}`,
        querystring: { if_seq_no: installed._seq_no, if_primary_term: installed._primary_term },
        body,
      });
      await c.client.transport.request({ method: 'POST', path: `/_plugins/_ism/change_policy/${today}`, body: { policy_id: policy } });
      await c.client.transport.request({ method: 'POST', path: `/_plugins/_ism/change_policy/${yesterday}`, body: { policy_id: policy } });
      await until('delete the history indices', async () => (await indices()).length === 1);
      expect(await indices()).toEqual([currentIndex(prefix)]);
      expect((await c.client.count({ index: currentIndex(prefix) })).count).toBe(1);
    },
    2 * ISM_RUNS_MS,
  );

  test(
    'retention off takes the policy off the history indices and deletes it',
    async () => {
      await c.client.indices.create({ index: today });
      await until('claim the new history index', async () => (await explain())[today]?.policy_id === policy);
      expect((await setup('off')).note).toBe(`retention off: ISM policy ${policy} removed from ${historyIndices(prefix)}`);
      expect((await explain())[today]?.policy_id ?? null).toBeNull();
      const gone = await c.client.transport.request(
        { method: 'GET', path: `/_plugins/_ism/policies/${policy}` },
        { ignore: [404], meta: true },
      );
      expect(gone.statusCode).toBe(404);
    },
    ISM_RUNS_MS + 60_000,
  );
});
