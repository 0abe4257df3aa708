import {
  AlertEvaluator,
  alertHistory,
  createRule,
  deleteRule,
  describeNotification,
  explained,
  getRule,
  listRules,
  parseCondition,
  parseInterval,
  parseVars,
  ruleState,
  runEvery,
  updateRule,
  UsageError,
  webhookPolicy,
  type AlertAction,
  type AlertRuleInput,
  type CommandValues,
  type Evaluation,
  type EvaluatorOptions,
  type IndexScope,
} from '@mitra/core';
import { CONNECTION_HELP, withCluster } from '../args';
import { defineCommand, printJson, stdio } from '../command';
import { footer, table } from '../format';

export const alertsCommand = defineCommand({
  name: 'alerts',
  summary: 'alert rules over saved searches: create, evaluate once or on a schedule, history',
  usage: `usage: mitra alerts list [--size N] [--cursor NEXT]
       mitra alerts get NAME
       mitra alerts create NAME (--search SAVED [--var k=v ...] | --kind KIND --param k=v ...) --when CONDITION
                               [--webhook URL ...] [--no-log] [--description TEXT]
       mitra alerts update NAME [--when CONDITION] [--webhook URL ...] [--enable | --disable] ...
       mitra alerts delete NAME
       mitra alerts eval [NAME]            evaluate now (all enabled rules, or one)
       mitra alerts run --every 60s        evaluate on a schedule until interrupted
       mitra alerts history [NAME] [--size N] [--cursor NEXT]

CONDITION: "matches > N"          more than N matches (hits or hosts)
           "hosts changed"        the set of matching hosts differs from the last evaluation
           "file changed PATH"    PATH changed on a matching host (or any host, with no query)
A rule fires once when its condition becomes true and records a recovery when it
stops; each is a document in <prefix>alerts with the hosts involved. Actions: a log
line (default) and webhooks (POST JSON {rule, state, hosts, count, evaluated_at,
query, condition}, 3 tries with backoff). Rule state lives in Elasticsearch, so a
restarted evaluator never fires the same transition twice.
list (by name) and history (newest first) show 100 (--size, 1 to 10000); when more
follow they print the --cursor of the next page.

${CONNECTION_HELP}`,
  async run(values, positionals) {
    const [action, name, ...extra] = positionals;
    // list takes no name: a word after it is refused, never ignored, like any argument too many.
    if (action === 'list' && name !== undefined) extra.unshift(name);
    if (!action)
      throw new UsageError('alerts needs an action: list, get, create, update, delete, eval, run or history; see mitra alerts --help');
    if (['get', 'create', 'update', 'delete'].includes(action) && !name) throw new UsageError(`alerts ${action} needs a rule name`);
    if (extra.length) throw new UsageError(`alerts ${action}: unexpected argument "${extra[0]}"`);
    if (action === 'run' && !values.every) throw new UsageError('alerts run needs --every, e.g. mitra alerts run --every 60s');
    const every = action === 'run' ? parseInterval(values.every!, '--every') : undefined;
    return withCluster(values, async ({ connection, prefix, file }) => {
      const scope: IndexScope = { client: connection.client, prefix };
      const delivery: EvaluatorOptions = { webhooks: webhookPolicy(file.webhooks, values.config), log: stdio.err };
      const out = (v: unknown, text: () => void) => (values.json ? printJson(v) : text());
      return await explained(scope, async () => {
        switch (action) {
          case 'list': {
            const res = await listRules(scope, { size: values.size, cursor: values.cursor });
            out(res, () => {
              const rows = res.rules.map((r) => [
                r.name,
                r.enabled ? 'on' : 'off',
                r.search ?? r.query?.kind ?? '-',
                conditionText(r.condition),
                r.actions.map((a) => a.type).join(','),
              ]);
              if (rows.length) for (const line of table(['name', 'enabled', 'query', 'condition', 'actions'], rows)) stdio.out(line);
              if (res.next) stdio.out(`more: --cursor ${res.next}`);
              stdio.out(footer(res.total, 'rule', null));
            });
            return 0;
          }
          case 'get': {
            const res = { rule: await getRule(scope, name), state: await ruleState(scope, name) };
            out(res, () => stdio.out(JSON.stringify(res, null, 2)));
            return 0;
          }
          case 'create': {
            const rule = await createRule(scope, ruleInput(name, values));
            out(rule, () => stdio.out(`created alert rule ${rule.name}: ${conditionText(rule.condition)}`));
            return 0;
          }
          case 'update': {
            const rule = await updateRule(scope, name, rulePatch(values));
            out(rule, () => stdio.out(`updated alert rule ${rule.name}`));
            return 0;
          }
          case 'delete': {
            const res = await deleteRule(scope, name);
            out(res, () => stdio.out(`deleted alert rule ${name}`));
            return 0;
          }
          case 'eval': {
            const evaluator = new AlertEvaluator(scope, delivery);
            const results = name ? [await evaluator.evaluate(await getRule(scope, name))] : await evaluator.evaluateAll();
            out(results, () => results.forEach((r) => stdio.out(evaluationLine(r))));
            return results.some((r) => r.error) ? 3 : 0;
          }
          case 'run':
            return runLoop(scope, delivery, every!, values.json);
          case 'history': {
            const res = await alertHistory(scope, { rule: name, size: values.size, cursor: values.cursor });
            out(res, () => {
              for (const e of res.events) stdio.out(describeNotification(e));
              if (res.next) stdio.out(`more: --cursor ${res.next}`);
              stdio.out(footer(res.total, 'event', null));
            });
            return 0;
          }
          default:
            throw new UsageError(`alerts: unknown action "${action}": use list, get, create, update, delete, eval, run or history`);
        }
      });
    });
  },
});

type Values = CommandValues<'alerts'>;

function ruleInput(name: string, v: Values): AlertRuleInput {
  if (!v.when) throw new UsageError('alerts create needs --when: "matches > N", "hosts changed" or "file changed PATH"');
  const input: AlertRuleInput = { name, condition: parseCondition(v.when), actions: actions(v), description: v.description };
  if (v.search) input.search = v.search;
  if (v.kind) input.query = { kind: v.kind, params: parseVars(v.param ?? [], '--param') };
  if (v.var) input.vars = parseVars(v.var);
  if (v.disable) input.enabled = false;
  return input;
}

function rulePatch(v: Values): Partial<AlertRuleInput> {
  if (v.enable && v.disable) throw new UsageError('give --enable or --disable, not both');
  return {
    condition: v.when ? parseCondition(v.when) : undefined,
    actions: v.webhook || v['no-log'] ? actions(v) : undefined,
    description: v.description,
    search: v.search,
    vars: v.var ? parseVars(v.var) : undefined,
    query: v.kind ? { kind: v.kind, params: parseVars(v.param ?? [], '--param') } : undefined,
    enabled: v.enable ? true : v.disable ? false : undefined,
  };
}

function actions(v: Values): AlertAction[] {
  return [...(v['no-log'] ? [] : [{ type: 'log' as const }]), ...(v.webhook ?? []).map((url) => ({ type: 'webhook' as const, url }))];
}

function conditionText(c: AlertRuleInput['condition']): string {
  if (c.type === 'matches_above') return `matches > ${c.threshold}`;
  if (c.type === 'hosts_changed') return 'hosts changed';
  return `file changed ${c.path}`;
}

function evaluationLine(r: Evaluation): string {
  if (r.error) return `${r.rule}: error: ${r.error}`;
  const what = r.transition ?? (r.skipped ? 'skipped' : 'unchanged');
  return `${r.rule}: ${r.status} (${what}), count ${r.count}${r.hosts.length ? `, hosts ${r.hosts.join(', ')}` : ''}`;
}

/** Evaluates every `ms` until SIGINT/SIGTERM; a round that fails (cluster down) is logged and retried next round. */
async function runLoop(scope: IndexScope, delivery: EvaluatorOptions, ms: number, json: boolean | undefined): Promise<number> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  stdio.err(`mitra alerts: evaluating every ${ms / 1000}s (Ctrl-C to stop)`);
  const evaluator = new AlertEvaluator(scope, delivery);
  // A failing round (cluster down) is logged; the next round tries again.
  const round = () =>
    explained(scope, () => evaluator.evaluateAll()).catch((e: Error) => {
      stdio.err(`mitra alerts: round failed: ${e.message}`);
      return [] as Evaluation[];
    });
  try {
    await runEvery(round, ms, stop.signal, (results) => {
      for (const r of results)
        if (json) stdio.out(JSON.stringify(r));
        else if (r.transition || r.error) stdio.out(evaluationLine(r));
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}
