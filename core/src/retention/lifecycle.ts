import type { Client } from '@elastic/elasticsearch';
import { responseStatus } from '../client';
import { historyIndices, lifecyclePolicyId } from '../names';
import { formatRetention, inUrlSizedGroups, type RetentionDays } from './retention';

/**
 * Retention by the engine's own lifecycle, where it has one:
 * - Elasticsearch with ILM (8.x/9.x default distributions): a delete-phase
 *   policy attached to the history template (`index.lifecycle.name`), the age
 *   parsed from the index name (`index.lifecycle.parse_origination_date`,
 *   elastic/elasticsearch#46755: `<name>-yyyy.MM.dd` with optional `-N`).
 * - OpenSearch with the Index Management plugin: an ISM policy whose
 *   `ism_template` claims new history indices. ISM ages an index from its
 *   creation only (index-management ManagedIndexUtils.kt, `min_index_age`
 *   against the index's creation date), which is its day only when the day's
 *   data arrived on that day: see `lifecycleDeletesLateDays`.
 * - Neither (Elasticsearch 7.10 OSS, the integ-test 9.x build, OpenSearch
 *   without the plugin): nothing here; `mitra prune` does it.
 * Both policies delete at `days + 1` days from the start of the index's day,
 * the same age `mitra prune` uses (retention.ts `expired`).
 * Checked against a real ISM (the opensearch-ism engine flavour,
 * test/src/compat/opensearch-ism.test.ts); ILM against its own code in
 * x-pack-core 8.19.0 and 9.2.4 (the policy parser and validation, the index
 * settings, the index-name date, and the policy's steps from the first to the
 * delete: test/src/ilm-code.test.ts), not a running ILM.
 */
export type LifecycleKind = 'ilm' | 'ism' | 'none';

export interface LifecycleResult {
  kind: LifecycleKind;
  /** The policy id, when one was installed. */
  policy?: string;
  /** Index settings the history template must carry (ILM only). */
  templateSettings: Record<string, unknown>;
  /** One line for `mitra setup`. */
  note: string;
}

type LifecycleClient = Pick<Client, 'transport'>;

async function request(client: LifecycleClient, method: string, path: string, body?: unknown, querystring?: Record<string, unknown>) {
  return client.transport.request({ method, path, body, querystring } as never, { meta: true } as never) as Promise<{
    statusCode: number;
    body: Record<string, unknown>;
  }>;
}

/** GET that answers whether the API exists: 2xx yes; 400/404/405 (no handler) no; 403 yes (it exists, we may not use it). */
async function hasApi(client: LifecycleClient, path: string): Promise<boolean> {
  try {
    await request(client, 'GET', path);
    return true;
  } catch (e) {
    const status = responseStatus(e);
    if (status === 403) return true;
    if (status === 400 || status === 404 || status === 405 || status === 410) return false;
    throw e;
  }
}

/**
 * Whether the lifecycle deletes every old day by itself, so a scheduled prune
 * has nothing to do. ILM ages a history index from the date in its name. ISM
 * ages it from its creation: a day written late (an agent back from a long
 * outage, a backfill, an incident replay) is created late and would outlive
 * the retention by that delay, so on ISM prune keeps running and deletes such
 * days by name.
 */
export const lifecycleDeletesLateDays = (kind: LifecycleKind): boolean => kind === 'ilm';

export async function detectLifecycle(client: LifecycleClient): Promise<LifecycleKind> {
  if (await hasApi(client, '/_ilm/status')) return 'ilm';
  if (await hasApi(client, '/_plugins/_ism/policies')) return 'ism';
  return 'none';
}

/**
 * The lifecycle that deletes the prefix's old history on this cluster: ILM or
 * ISM when the engine has it AND Mitra's policy for the prefix is installed
 * (mitra setup), else 'none' — then a scheduled prune must do it.
 */
export async function activeLifecycle(client: LifecycleClient, prefix: string): Promise<LifecycleKind> {
  const kind = await detectLifecycle(client);
  if (kind === 'none') return kind;
  const policy = lifecyclePolicyId(prefix);
  const path = kind === 'ilm' ? `/_ilm/policy/${policy}` : `/_plugins/_ism/policies/${policy}`;
  try {
    await request(client, 'GET', path);
    return kind;
  } catch (e) {
    if (responseStatus(e) === 404) return 'none';
    throw e;
  }
}

/**
 * Installs (or updates) the retention policy for the prefix's history indices.
 * A user who may not manage lifecycle policies (403) still gets the rest of
 * setup; the note says what to grant, or to schedule `mitra prune`.
 */
export async function applyLifecycle(client: LifecycleClient, prefix: string, days: RetentionDays): Promise<LifecycleResult> {
  try {
    return await installLifecycle(client, prefix, days);
  } catch (e) {
    if (responseStatus(e) !== 403) throw e;
    return {
      kind: 'none',
      templateSettings: {},
      note: `retention ${formatRetention(days)}: not allowed to install a lifecycle policy (grant manage_ilm, or manage_index_templates plus ISM rights on OpenSearch), so schedule mitra prune`,
    };
  }
}

/**
 * The body of `PUT _ilm/policy/<policy>`: delete a history day once it is `days + 1` days old, aged from the day in
 * its name (ilmIndexSettings). test/src/ilm-code.test.ts runs it through Elasticsearch's own ILM parser and checks.
 */
export const ilmPolicy = (days: number) => ({
  policy: {
    _meta: { managed_by: 'mitra', retention_days: days },
    phases: { delete: { min_age: `${days + 1}d`, actions: { delete: {} } } },
  },
});

/** The `index` settings a history index carries under ILM: the policy, and its age taken from the date in its name. */
export const ilmIndexSettings = (policy: string) => ({ lifecycle: { name: policy, parse_origination_date: true } });

async function installLifecycle(client: LifecycleClient, prefix: string, days: RetentionDays): Promise<LifecycleResult> {
  const kind = await detectLifecycle(client);
  const policy = lifecyclePolicyId(prefix);
  const history = historyIndices(prefix);
  if (kind === 'none') {
    return {
      kind,
      templateSettings: {},
      note: `retention ${formatRetention(days)}: no ILM/ISM on this cluster, schedule \`mitra prune\` (mitra serve does)`,
    };
  }
  if (kind === 'ilm') {
    if (days === undefined) {
      await request(client, 'PUT', `/${history}/_settings`, { 'index.lifecycle.name': null }, { allow_no_indices: true });
      return { kind, templateSettings: {}, note: 'retention off: history indices leave ILM' };
    }
    await request(client, 'PUT', `/_ilm/policy/${policy}`, ilmPolicy(days));
    const templateSettings = ilmIndexSettings(policy);
    // Existing days join the policy too; the template covers the days to come.
    await request(client, 'PUT', `/${history}/_settings`, { index: templateSettings }, { allow_no_indices: true });
    return { kind, policy, templateSettings, note: `retention ${days}d: ILM policy ${policy} on ${history}` };
  }
  if (days === undefined) {
    // Managed indices keep running a policy until it is removed from them.
    await request(client, 'POST', `/_plugins/_ism/remove/${history}`);
    await request(client, 'DELETE', `/_plugins/_ism/policies/${policy}`).catch(ignoreStatus(404));
    return { kind, templateSettings: {}, note: `retention off: ISM policy ${policy} removed from ${history}` };
  }
  const change = await putIsmPolicy(client, policy, history, days);
  // An index created before the policy (or its ism_template) is not claimed by it: add it.
  await request(client, 'POST', `/_plugins/_ism/add/${history}`, { policy_id: policy });
  return { kind, policy, templateSettings: {}, note: `retention ${days}d: ISM policy ${policy} on ${history}${change}` };
}

const ignoreStatus = (status: number) => (e: unknown) => {
  if (responseStatus(e) !== status) throw e;
};

/** Installs or updates the ISM policy; returns what the note adds about an update. */
async function putIsmPolicy(client: LifecycleClient, policy: string, pattern: string, days: number): Promise<string> {
  const description = `Mitra: delete daily history after ${days} days`;
  const body = {
    policy: {
      description,
      default_state: 'keep',
      states: [
        { name: 'keep', actions: [], transitions: [{ state_name: 'delete', conditions: { min_index_age: `${days + 1}d` } }] },
        { name: 'delete', actions: [{ delete: {} }], transitions: [] },
      ],
      ism_template: [{ index_patterns: [pattern], priority: 100 }],
    },
  };
  const existing = await getIsmPolicy(client, policy);
  // The description carries the days: the same one means this retention is in place already.
  if (existing?.policy?.description === description) return '';
  // ISM updates a policy only with its sequence number (optimistic concurrency).
  const qs = existing ? { if_seq_no: existing._seq_no, if_primary_term: existing._primary_term } : undefined;
  await request(client, 'PUT', `/_plugins/_ism/policies/${policy}`, body, qs);
  if (!existing) return '';
  // A managed index runs the policy version it started with until told to change (verified on ISM 2.19.1).
  const ours = await indicesOnPolicy(client, pattern, policy);
  let switched = 0;
  for (const names of inUrlSizedGroups(ours)) {
    const res = await request(client, 'POST', `/_plugins/_ism/change_policy/${names.join(',')}`, { policy_id: policy });
    switched += Number(res.body.updated_indices) || 0;
  }
  return ` (updated; ${switched} existing history index(es) switch to it)`;
}

/**
 * The history indices ISM manages with Mitra's policy: only those switch to its
 * new version, never a day an operator put on a policy of their own.
 */
async function indicesOnPolicy(client: LifecycleClient, pattern: string, policy: string): Promise<string[]> {
  // ISM answers explain (and change_policy) on a pattern that matches no index with a 400.
  const indices = (await request(client, 'GET', `/_cat/indices/${pattern}`, undefined, { format: 'json', h: 'index' })).body;
  if (!Array.isArray(indices) || indices.length === 0) return [];
  const explained = (await request(client, 'GET', `/_plugins/_ism/explain/${pattern}`)).body as Record<
    string,
    { policy_id?: string | null }
  >;
  return Object.entries(explained)
    .filter(([, e]) => typeof e === 'object' && e !== null && e.policy_id === policy)
    .map(([index]) => index)
    .sort();
}

interface IsmPolicyDoc {
  _seq_no?: number;
  _primary_term?: number;
  policy?: { description?: string };
}

async function getIsmPolicy(client: LifecycleClient, policy: string): Promise<IsmPolicyDoc | undefined> {
  try {
    return (await request(client, 'GET', `/_plugins/_ism/policies/${policy}`)).body as IsmPolicyDoc;
  } catch (e) {
    if (responseStatus(e) === 404) return undefined;
    throw e;
  }
}
