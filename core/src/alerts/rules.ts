import { UsageError } from '../errors';
import type { IndexScope } from '../history/scope';
import { rulesIndex, stateIndex } from '../names';
import type { PageRequest } from '../sorted-page';
import { checkName, definedFields, namedDocuments } from '../saved/documents';
import { checkParams, checkStoredParams } from '../saved/kinds';

/**
 * When a rule is active:
 *  - matches_above: the query matches more than `threshold` things (hits, hosts);
 *  - hosts_changed: the set of matching hosts differs from the last evaluation;
 *  - file_changed: `path` changed (a history document arrived) on a host in
 *    scope since the last evaluation. Scope: the query's hosts, or every host.
 */
export type AlertCondition =
  { type: 'matches_above'; threshold: number } | { type: 'hosts_changed' } | { type: 'file_changed'; path: string };

export type AlertAction = { type: 'log' } | { type: 'webhook'; url: string };

export interface InlineQuery {
  kind: string;
  params: Record<string, unknown>;
}

export interface AlertRule {
  name: string;
  description: string;
  /** A saved search to run (with `vars`), or an inline `query`. */
  search?: string;
  vars?: Record<string, string>;
  query?: InlineQuery;
  condition: AlertCondition;
  actions: AlertAction[];
  enabled: boolean;
  created: string;
  updated: string;
}

export type AlertRuleInput = Omit<AlertRule, 'created' | 'updated' | 'description' | 'actions' | 'enabled'> &
  Partial<Pick<AlertRule, 'description' | 'actions' | 'enabled'>>;

const store = (scope: IndexScope) => namedDocuments<AlertRule>(scope, rulesIndex(scope.prefix), 'alert rule', 'mitra alerts');

/** A page of rules by name: `total`, `rules` and `next` (the `cursor` of the page after). */
export async function listRules(scope: IndexScope, page: PageRequest = {}) {
  const { items, ...rest } = await store(scope).list(page);
  return { ...rest, rules: items };
}

export const getRule = (scope: IndexScope, name: string): Promise<AlertRule> => store(scope).get(name);

export async function createRule(scope: IndexScope, input: AlertRuleInput, now = new Date()): Promise<AlertRule> {
  return store(scope).create(await checkedOnEngine(scope, validRule(input, now.toISOString(), now.toISOString())));
}

export async function updateRule(scope: IndexScope, name: string, patch: Partial<AlertRuleInput>, now = new Date()): Promise<AlertRule> {
  const old = await getRule(scope, name);
  return store(scope).put(
    await checkedOnEngine(scope, validRule({ ...old, ...definedFields(patch), name: old.name }, old.created, now.toISOString())),
  );
}

/** An inline query the engine would refuse at every evaluation is refused now (a saved search was checked when saved). */
async function checkedOnEngine(scope: IndexScope, rule: AlertRule): Promise<AlertRule> {
  if (rule.query) await checkStoredParams(scope.client, scope.prefix, rule.query.kind, rule.query.params);
  return rule;
}

/** Deletes the rule and its state (its event history stays). */
export async function deleteRule(scope: IndexScope, name: string): Promise<{ deleted: string }> {
  const res = await store(scope).remove(name);
  await scope.client.delete({ index: stateIndex(scope.prefix), id: name, refresh: true }, { ignore: [404] });
  return res;
}

export function validRule(input: AlertRuleInput, created: string, updated: string): AlertRule {
  const name = checkName(input.name, 'alert rule');
  const condition = validCondition(input.condition);
  if (input.search !== undefined && input.query !== undefined)
    throw new UsageError('an alert rule takes a saved search or an inline query, not both');
  if (input.search === undefined && input.query === undefined && condition.type !== 'file_changed') {
    throw new UsageError(`a ${condition.type} rule needs a query: give search (a saved search name) or query {kind, params}`);
  }
  if (input.search !== undefined) checkName(input.search, 'saved search');
  const query =
    input.query === undefined ? undefined : { kind: input.query.kind, params: checkParams(input.query.kind, input.query.params ?? {}) };
  const actions = (input.actions ?? [{ type: 'log' }]).map(validAction);
  const rule: AlertRule = {
    name,
    description: input.description ?? '',
    condition,
    actions,
    enabled: input.enabled ?? true,
    created,
    updated,
  };
  if (input.search !== undefined) rule.search = input.search;
  if (input.vars !== undefined) rule.vars = input.vars;
  if (query) rule.query = query;
  return rule;
}

function validCondition(c: unknown): AlertCondition {
  const cond = (c ?? {}) as { type?: unknown; threshold?: unknown; path?: unknown };
  switch (cond.type) {
    case 'matches_above': {
      const t = cond.threshold;
      // A number or its digits, never Number(null | '' | true); and a safe integer: 99999999999999999999 would be stored as 1e20.
      const n = typeof t === 'number' || (typeof t === 'string' && /^\s*\d+\s*$/.test(t)) ? Number(t) : NaN;
      if (!Number.isSafeInteger(n) || n < 0) {
        throw new UsageError(
          `condition threshold "${String(cond.threshold)}" is not a whole number from 0 to ${Number.MAX_SAFE_INTEGER}: matches_above needs threshold N`,
        );
      }
      return { type: 'matches_above', threshold: n };
    }
    case 'hosts_changed':
      return { type: 'hosts_changed' };
    case 'file_changed':
      if (typeof cond.path !== 'string' || !cond.path) throw new UsageError('condition file_changed needs a path, e.g. /etc/hosts');
      return { type: 'file_changed', path: cond.path };
    default:
      throw new UsageError(`condition type "${String(cond.type)}" is not known: use matches_above, hosts_changed or file_changed`);
  }
}

function validAction(a: unknown): AlertAction {
  const action = (a ?? {}) as { type?: unknown; url?: unknown };
  if (action.type === 'log') return { type: 'log' };
  if (action.type === 'webhook') {
    const url = String(action.url ?? '');
    if (!/^https?:\/\/[^\s]+$/.test(url)) throw new UsageError(`webhook url "${url}" is not an http(s) URL`);
    return { type: 'webhook', url };
  }
  throw new UsageError(`action type "${String(action.type)}" is not known: use log or webhook`);
}

/**
 * Parses the CLI's condition text: "matches > 3", "hosts changed", "file changed /etc/hosts".
 */
export function parseCondition(text: string): AlertCondition {
  const t = text.trim();
  const above = /^matches\s*>\s*(\d+)$/.exec(t);
  if (above) return { type: 'matches_above', threshold: Number(above[1]) };
  if (/^hosts\s+changed$/.test(t)) return { type: 'hosts_changed' };
  const file = /^file\s+changed\s+(\S+)$/.exec(t);
  if (file) return { type: 'file_changed', path: file[1] };
  throw new UsageError(`--when "${text}" is not a condition: use "matches > N", "hosts changed" or "file changed PATH"`);
}
