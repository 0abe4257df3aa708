import { responseStatus } from '../client';
import { contentHash } from '../ids';
import { LENIENT, type IndexScope } from '../history/scope';
import { queryKind, runQuery } from '../saved/kinds';
import { substitute } from '../saved/params';
import { getSaved } from '../saved/store';
import { runActions, type ActionResult, type AlertNotification, type DeliveryOptions } from './actions';
import { listRules, type AlertRule } from './rules';
import { alertsIndex, historyIndices, stateIndex } from '../names';
import { sortedPage, type PageRequest } from '../sorted-page';

/** What Elasticsearch remembers about a rule between evaluations (and evaluator restarts). */
export interface RuleState {
  rule: string;
  status: 'ok' | 'firing';
  /** Hosts the query matched at the last evaluation. */
  hosts: string[];
  count: number;
  last_checked: string;
  /** When status last flipped. */
  last_changed: string;
  /** file_changed rules: history ingested up to here has been looked at. */
  changes_until?: string;
}

export interface Evaluation {
  rule: string;
  status: 'ok' | 'firing';
  /** What this evaluation did: fired, recovered, or nothing. */
  transition: 'fired' | 'recovered' | null;
  count: number;
  /** Hosts involved: matching hosts, hosts that came or went (hosts_changed), hosts whose file changed. */
  hosts: string[];
  evaluated_at: string;
  actions?: ActionResult[];
  /** Set when the rule could not be evaluated; its state is left unchanged. */
  error?: string;
  /** Set when another evaluator recorded this evaluation first (nothing was sent). */
  skipped?: string;
}

export interface EvaluatorOptions extends DeliveryOptions {
  now?: () => Date;
  /**
   * file_changed looks at history ingested up to this long before the
   * evaluation (default 10 s): history indices refresh every 5 s, and a change
   * not yet searchable must fall in the next window, not between two.
   */
  settleMs?: number;
}

interface StoredState {
  state: RuleState | null;
  seq?: { if_seq_no: number; if_primary_term: number };
}

/**
 * Evaluates alert rules. All memory lives in Elasticsearch (`<prefix>alert-state`),
 * written with optimistic concurrency before any action runs: a restarted
 * evaluator, or two running at once, never fire the same transition twice.
 * (The price: an evaluator that dies between the state write and the actions
 * loses that notification — at most once, never twice.)
 */
export class AlertEvaluator {
  constructor(
    private readonly scope: IndexScope,
    private readonly opts: EvaluatorOptions = {},
  ) {}

  /** Every enabled rule, one after the other; a failing rule does not stop the others. */
  async evaluateAll(): Promise<Evaluation[]> {
    const out: Evaluation[] = [];
    let cursor: string | undefined;
    do {
      const { rules, next } = await listRules(this.scope, { size: 100, cursor });
      for (const rule of rules.filter((r) => r.enabled)) out.push(await this.evaluateSafely(rule));
      cursor = next;
    } while (cursor !== undefined);
    return out;
  }

  async evaluateSafely(rule: AlertRule): Promise<Evaluation> {
    try {
      return await this.evaluate(rule);
    } catch (e) {
      const message = (e as Error).message.split('\n')[0];
      this.opts.log?.(`alert ${rule.name}: not evaluated: ${message}`);
      const evaluated_at = this.now().toISOString();
      return { rule: rule.name, status: 'ok', transition: null, count: 0, hosts: [], evaluated_at, error: message };
    }
  }

  async evaluate(rule: AlertRule): Promise<Evaluation> {
    const stored = await this.readState(rule.name);
    const prev = stored.state;
    const evaluatedAt = this.now().toISOString();
    const ran = await this.runRuleQuery(rule);
    const check = await this.checkCondition(rule, prev, ran, evaluatedAt);
    const before = prev?.status ?? 'ok';
    const status = check.active ? 'firing' : 'ok';
    const transition = status === before ? null : status === 'firing' ? 'fired' : 'recovered';
    const next: RuleState = {
      rule: rule.name,
      status,
      hosts: ran?.hosts ?? [],
      count: check.count,
      last_checked: evaluatedAt,
      last_changed: transition ? evaluatedAt : (prev?.last_changed ?? evaluatedAt),
      ...(check.changesUntil ? { changes_until: check.changesUntil } : {}),
    };
    // A matches_above recovery names the hosts that were matching, not the (empty) current set.
    const hosts = transition === 'recovered' && rule.condition.type === 'matches_above' ? (prev?.hosts ?? []) : check.hosts;
    const base = { rule: rule.name, status, transition, count: check.count, hosts, evaluated_at: evaluatedAt } as const;
    if (!(await this.writeState(next, stored))) {
      return { ...base, transition: null, skipped: 'another evaluator recorded this evaluation first' };
    }
    if (!transition) return base;
    const notification: AlertNotification = {
      rule: rule.name,
      state: status === 'firing' ? 'firing' : 'recovered',
      hosts,
      count: check.count,
      evaluated_at: evaluatedAt,
      query: ran?.query ?? null,
      condition: rule.condition,
    };
    const actions = await runActions(rule.actions, notification, this.opts);
    await this.recordEvent(notification, actions);
    return { ...base, actions };
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  /** Runs the rule's saved search or inline query; null for a file_changed rule over every host. */
  private async runRuleQuery(rule: AlertRule): Promise<{ count: number; hosts: string[]; query: AlertNotification['query'] } | null> {
    let kind: string;
    let params: Record<string, unknown>;
    let search: string | undefined;
    if (rule.search !== undefined) {
      const saved = await getSaved(this.scope, rule.search);
      kind = saved.kind;
      params = substitute(saved.params, rule.vars ?? {}, `alert rule "${rule.name}" (saved search "${saved.name}")`);
      search = saved.name;
    } else if (rule.query !== undefined) {
      kind = rule.query.kind;
      params = substitute(rule.query.params, rule.vars ?? {}, `alert rule "${rule.name}"`);
    } else {
      return null;
    }
    // Alerts look at every match, not the first page: lucene hits by default come 100 at a time.
    if (kind === 'lucene' && params.size === undefined) params = { ...params, size: 10_000 };
    const result = await runQuery(this.scope.client, this.scope.prefix, kind, params);
    return { ...queryKind(kind).matches(result), query: { ...(search ? { search } : {}), kind, params } };
  }

  private async checkCondition(
    rule: AlertRule,
    prev: RuleState | null,
    ran: { count: number; hosts: string[] } | null,
    evaluatedAt: string,
  ): Promise<{ active: boolean; count: number; hosts: string[]; changesUntil?: string }> {
    const c = rule.condition;
    if (c.type === 'matches_above') return { active: ran!.count > c.threshold, count: ran!.count, hosts: ran!.hosts };
    if (c.type === 'hosts_changed') {
      // The first evaluation only records the baseline.
      if (!prev) return { active: false, count: ran!.count, hosts: [] };
      const before = new Set(prev.hosts);
      const now = new Set(ran!.hosts);
      const moved = [...ran!.hosts.filter((h) => !before.has(h)), ...prev.hosts.filter((h) => !now.has(h))].sort();
      return { active: moved.length > 0, count: ran!.count, hosts: moved };
    }
    const since = prev?.changes_until ?? rule.created;
    const until = new Date(Date.parse(evaluatedAt) - (this.opts.settleMs ?? 10_000)).toISOString();
    if (until <= since) return { active: false, count: 0, hosts: [], changesUntil: since };
    return { ...(await this.fileChanges(c.path, ran?.hosts ?? null, since, until)), changesUntil: until };
  }

  /**
   * History documents of `path` ingested after the last check. By ingest time,
   * not @timestamp: an agent that was offline sends old observation times late,
   * and those changes must still be noticed.
   */
  private async fileChanges(path: string, scopeHosts: string[] | null, since: string, until: string) {
    if (scopeHosts && scopeHosts.length === 0) return { active: false, count: 0, hosts: [] };
    const res = await this.scope.client.search({
      index: historyIndices(this.scope.prefix),
      ...LENIENT,
      size: 0,
      track_total_hits: true,
      query: {
        bool: {
          filter: [
            { term: { 'file.path': path } },
            { range: { 'mitra.ingested_at': { gt: since, lte: until } } },
            ...(scopeHosts ? [{ terms: { 'host.name': scopeHosts } }] : []),
          ],
        },
      },
      aggs: { hosts: { terms: { field: 'host.name', size: 10_000 } } },
    });
    const count = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
    const buckets = (res.aggregations as { hosts: { buckets: { key: string }[] } }).hosts.buckets;
    return { active: count > 0, count, hosts: buckets.map((b) => b.key).sort() };
  }

  private async readState(rule: string): Promise<StoredState> {
    const res = await this.scope.client.get<RuleState>({ index: stateIndex(this.scope.prefix), id: rule }, { ignore: [404] });
    if (!res.found || !res._source) return { state: null };
    return { state: res._source, seq: { if_seq_no: res._seq_no!, if_primary_term: res._primary_term! } };
  }

  /** false when another evaluator wrote the state since we read it. */
  private async writeState(next: RuleState, stored: StoredState): Promise<boolean> {
    try {
      await this.scope.client.index({
        index: stateIndex(this.scope.prefix),
        id: next.rule,
        document: next,
        // No refresh: state is only read back by GET, which is real-time.
        ...(stored.seq ?? { op_type: 'create' as const }),
      });
      return true;
    } catch (e) {
      if (responseStatus(e) === 409) return false;
      throw e;
    }
  }

  private async recordEvent(n: AlertNotification, actions: ActionResult[]): Promise<void> {
    await this.scope.client.index({
      index: alertsIndex(this.scope.prefix),
      id: contentHash(`${n.rule}_${n.state}_${n.evaluated_at}`),
      document: { '@timestamp': n.evaluated_at, ...n, actions },
      refresh: true,
    });
  }
}

/** A rule's current state (null before its first evaluation). */
export async function ruleState(scope: IndexScope, rule: string): Promise<RuleState | null> {
  const res = await scope.client.get<RuleState>({ index: stateIndex(scope.prefix), id: rule }, { ignore: [404] });
  return res.found && res._source ? res._source : null;
}

export interface AlertEvent extends AlertNotification {
  '@timestamp': string;
  actions: ActionResult[];
}

/**
 * Firing and recovery events, newest first, for one rule or all: a page of
 * `size` (default 100) from `cursor` (the previous page's `next`), with the total.
 */
export async function alertHistory(scope: IndexScope, opts: { rule?: string } & PageRequest = {}) {
  const { items, ...rest } = await sortedPage<AlertEvent>(
    scope.client,
    {
      index: alertsIndex(scope.prefix),
      ...LENIENT,
      query: opts.rule ? { term: { rule: opts.rule } } : { match_all: {} },
      // An event's id is made of rule, state and time (recordEvent): together they are unique, so pages never skip or repeat one.
      sort: [{ '@timestamp': { order: 'desc' } }, { rule: { order: 'asc' } }, { state: { order: 'asc' } }],
    },
    opts,
    { what: 'alert history', kinds: ['number', 'string', 'string'], defaultSize: 100 },
  );
  return { ...rest, events: items };
}

/** Runs `round` every `intervalMs` (start to start) until `signal` aborts; each result goes to `onRound`. */
export async function runEvery<T>(
  round: () => Promise<T>,
  intervalMs: number,
  signal: AbortSignal,
  onRound: (result: T) => void = () => {},
): Promise<void> {
  while (!signal.aborted) {
    const started = Date.now();
    onRound(await round());
    const wait = Math.max(0, intervalMs - (Date.now() - started));
    await new Promise<void>((resolve) => {
      // The listener goes with its wait: left on the long-lived signal, one per round would pile up for as long as it runs.
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, wait);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
