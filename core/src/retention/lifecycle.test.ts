import { activeLifecycle, applyLifecycle, lifecycleDeletesLateDays } from './lifecycle';

/**
 * The request sequence applyLifecycle sends, against a recording transport.
 * The local engines have neither ILM nor ISM (docs/compatibility.md), so this
 * checks Mitra's side only: the bodies follow the documented APIs
 * (PUT _ilm/policy, index.lifecycle.*; PUT _plugins/_ism/policies with ism_template).
 * ISM is also checked against the real plugin in test/src/compat/opensearch-ism.test.ts.
 */
type Call = { method: string; path: string; body?: unknown; querystring?: unknown };

function fakeClient(has: { ilm: boolean; ism: boolean; existingIsm?: boolean; ismDescription?: string }) {
  const calls: Call[] = [];
  const fail = (statusCode: number) => Object.assign(new Error(`status ${statusCode}`), { meta: { statusCode } });
  const transport = {
    request: async (params: Call) => {
      calls.push(params);
      if (params.path === '/_ilm/status') if (!has.ilm) throw fail(405);
      if (params.path === '/_plugins/_ism/policies') if (!has.ism) throw fail(404);
      if (params.method === 'GET' && params.path.startsWith('/_plugins/_ism/policies/')) {
        if (!has.existingIsm) throw fail(404);
        return { statusCode: 200, body: { _seq_no: 7, _primary_term: 2, policy: { description: has.ismDescription } } };
      }
      if (params.path.startsWith('/_cat/indices/'))
        return { statusCode: 200, body: [{ index: 'mitra-history-2026.12.01' }, { index: 'mitra-history-2026.12.02' }] };
      if (params.path.startsWith('/_plugins/_ism/explain/')) {
        const own = { policy_id: 'an-operators-own' };
        return {
          statusCode: 200,
          body: { 'mitra-history-2026.12.01': { policy_id: 'mitra-history-retention' }, 'mitra-history-2026.12.02': own },
        };
      }
      if (params.path.startsWith('/_plugins/_ism/change_policy/')) return { statusCode: 200, body: { updated_indices: 1 } };
      return { statusCode: 200, body: {} };
    },
  };
  return { client: { transport } as never, calls };
}

test('ILM: a delete phase at retention + 1 day, attached to the history template and the existing days', async () => {
  const { client, calls } = fakeClient({ ilm: true, ism: false });
  const r = await applyLifecycle(client, 'mitra-', 90);
  expect(r.kind).toBe('ilm');
  expect(r.templateSettings).toEqual({ lifecycle: { name: 'mitra-history-retention', parse_origination_date: true } });
  const put = calls.find((c) => c.method === 'PUT' && c.path === '/_ilm/policy/mitra-history-retention');
  expect(put?.body).toEqual({
    policy: { _meta: { managed_by: 'mitra', retention_days: 90 }, phases: { delete: { min_age: '91d', actions: { delete: {} } } } },
  });
  const settings = calls.find((c) => c.path === '/mitra-history-*/_settings');
  expect(settings?.body).toEqual({ index: r.templateSettings });
});

test('ISM: a policy claiming new history indices, updated with its sequence number when it exists', async () => {
  const { client, calls } = fakeClient({ ilm: false, ism: true, existingIsm: true });
  const r = await applyLifecycle(client, 'mitra-', 30);
  expect(r.kind).toBe('ism');
  expect(r.templateSettings).toEqual({});
  const put = calls.find((c) => c.method === 'PUT' && c.path === '/_plugins/_ism/policies/mitra-history-retention');
  expect(put?.querystring).toEqual({ if_seq_no: 7, if_primary_term: 2 });
  const policy = (put?.body as { policy: { states: { transitions: { conditions?: unknown }[] }[]; ism_template: unknown } }).policy;
  expect(policy.states[0].transitions[0].conditions).toEqual({ min_index_age: '31d' });
  expect(policy.ism_template).toEqual([{ index_patterns: ['mitra-history-*'], priority: 100 }]);
  // Existing managed indices keep the old version of a policy until told to change.
  // Only the days on Mitra's policy switch, not one an operator put on a policy of their own.
  const changes = calls.filter((c) => c.path.startsWith('/_plugins/_ism/change_policy/'));
  expect(changes).toEqual([
    expect.objectContaining({
      path: '/_plugins/_ism/change_policy/mitra-history-2026.12.01',
      body: { policy_id: 'mitra-history-retention' },
    }),
  ]);
  expect(r.note).toMatch(/updated; 1 existing history index\(es\) switch to it/);
});

test('ISM: the same retention again writes nothing but adds unmanaged history indices', async () => {
  const { client, calls } = fakeClient({
    ilm: false,
    ism: true,
    existingIsm: true,
    ismDescription: 'Mitra: delete daily history after 30 days',
  });
  await applyLifecycle(client, 'mitra-', 30);
  expect(calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`)).toEqual(['POST /_plugins/_ism/add/mitra-history-*']);
});

test('ISM: retention off takes the policy off the history indices and deletes it', async () => {
  const { client, calls } = fakeClient({ ilm: false, ism: true, existingIsm: true });
  const r = await applyLifecycle(client, 'mitra-', undefined);
  expect(calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`)).toEqual([
    'POST /_plugins/_ism/remove/mitra-history-*',
    'DELETE /_plugins/_ism/policies/mitra-history-retention',
  ]);
  expect(r.note).toBe('retention off: ISM policy mitra-history-retention removed from mitra-history-*');
});

test('only ILM ages a day by its name: with ISM, prune still has late days to delete', () => {
  expect(lifecycleDeletesLateDays('ilm')).toBe(true);
  expect(lifecycleDeletesLateDays('ism')).toBe(false);
  expect(lifecycleDeletesLateDays('none')).toBe(false);
});

test('neither: nothing is written, and the note says to schedule mitra prune', async () => {
  const { client, calls } = fakeClient({ ilm: false, ism: false });
  const r = await applyLifecycle(client, 'mitra-', 90);
  expect(r.kind).toBe('none');
  expect(r.note).toMatch(/mitra prune/);
  expect(calls.every((c) => c.method === 'GET')).toBe(true);
});

test('a user who may not manage policies gets the note, not a failed setup', async () => {
  const { client } = fakeClient({ ilm: true, ism: false });
  const transport = (client as { transport: { request: (p: Call) => Promise<unknown> } }).transport;
  const real = transport.request;
  transport.request = async (p: Call) => {
    if (p.method === 'PUT') throw Object.assign(new Error('forbidden'), { meta: { statusCode: 403 } });
    return real(p);
  };
  const r = await applyLifecycle(client, 'mitra-', 90);
  expect(r.kind).toBe('none');
  expect(r.note).toMatch(/grant manage_ilm.*mitra prune/);
});

test('activeLifecycle: ILM or ISM only when the engine has it AND the prefix has its policy; else none (prune must run)', async () => {
  const fail = (statusCode: number) => Object.assign(new Error(`status ${statusCode}`), { meta: { statusCode } });
  const engine = (api: 'ilm' | 'ism' | 'none', policies: string[]) => ({
    transport: {
      request: async ({ path }: Call) => {
        if (path === '/_ilm/status') if (api !== 'ilm') throw fail(400);
        if (path === '/_plugins/_ism/policies') if (api !== 'ism') throw fail(404);
        const policy = /^\/(?:_ilm\/policy|_plugins\/_ism\/policies)\/(.+)$/.exec(path)?.[1];
        if (policy && !policies.includes(policy)) throw fail(404);
        return { statusCode: 200, body: {} };
      },
    },
  });
  expect(await activeLifecycle(engine('ilm', ['mitra-history-retention']) as never, 'mitra-')).toBe('ilm');
  expect(await activeLifecycle(engine('ilm', ['other-history-retention']) as never, 'mitra-')).toBe('none');
  expect(await activeLifecycle(engine('ism', ['mitra-history-retention']) as never, 'mitra-')).toBe('ism');
  expect(await activeLifecycle(engine('ism', []) as never, 'mitra-')).toBe('none');
  expect(await activeLifecycle(engine('none', []) as never, 'mitra-')).toBe('none');
  // Anything but "no such policy" is not a reason to delete by hand: it surfaces.
  const broken = { transport: { request: async ({ path }: Call) => (path.startsWith('/_ilm/policy/') ? Promise.reject(fail(500)) : {}) } };
  await expect(activeLifecycle(broken as never, 'mitra-')).rejects.toThrow('status 500');
});
