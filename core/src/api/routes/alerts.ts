import { z } from 'zod';
import { AlertEvaluator, alertHistory, ruleState } from '../../alerts/evaluate';
import { createRule, deleteRule, getRule, listRules, updateRule, type AlertRuleInput } from '../../alerts/rules';
import { count, text } from '../../shapes/fields';
import { PAGING_FIELDS } from '../../questions/paging';
import { queryShape } from '../input';
import { defineRoute, type ApiContext } from '../types';
import { LIST_QUERY, NAME_PARAMS, descriptionField, nameField } from './saved';

/** Evaluations started from the API log through the host's logger: `mitra serve`'s stderr, Kibana's plugin logger. */
const evaluator = (ctx: ApiContext) => new AlertEvaluator(ctx, { webhooks: ctx.webhooks, log: ctx.log });

const condition = z.discriminatedUnion('type', [
  z.object({ type: z.literal('matches_above'), threshold: count(0, 1_000_000_000, 3) }).strict(),
  z.object({ type: z.literal('hosts_changed') }).strict(),
  z.object({ type: z.literal('file_changed'), path: text('/etc/hosts', 4096) }).strict(),
]);
const action = z.discriminatedUnion('type', [
  z.object({ type: z.literal('log') }).strict(),
  z.object({ type: z.literal('webhook'), url: text('https://hooks.example/mitra', 2048) }).strict(),
]);

/** The fields of an alert rule body (core/src/alerts/rules.ts checks the rest: query params, one of search/query). */
const ruleFields = {
  description: descriptionField().optional(),
  search: nameField('lacking-zsh').optional(),
  vars: z.record(text('zsh', 4096), { invalid_type_error: 'must be an object of name: value texts' }).optional(),
  query: z
    .object({
      kind: text('hosts', 64),
      params: z.record(z.unknown(), { invalid_type_error: "must be an object of the kind's parameters" }).optional(),
    })
    .strict()
    .optional(),
  condition: condition,
  actions: z.array(action, { invalid_type_error: 'must be a list of {type: log} or {type: webhook, url}' }).max(20).optional(),
  enabled: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
};

export const ALERT_RULE_BODY = z.object({ name: nameField('zsh-missing'), ...ruleFields }).strict();
export const ALERT_RULE_PATCH = z.object({ ...ruleFields, condition: condition.optional() }).strict();
export const ALERT_HISTORY_QUERY = queryShape({ rule: nameField('zsh-missing').optional(), ...PAGING_FIELDS });

/** Alert rules CRUD, evaluation and event history (core/src/alerts). */
export const alertRoutes = [
  defineRoute({
    method: 'GET',
    path: '/api/mitra/alerts/rules',
    summary: 'alert rules, by name (size, cursor)',
    query: LIST_QUERY,
    input: ({ query }) => query,
    handler: (input, ctx) => listRules(ctx, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/mitra/alerts/rules',
    summary: 'create a rule: {name, search + vars | query {kind, params}, condition, actions?}',
    status: 201,
    body: ALERT_RULE_BODY,
    input: ({ body }) => body as AlertRuleInput,
    handler: (input, ctx) => createRule(ctx, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/alerts/rules/:name',
    summary: 'one rule and its state',
    params: NAME_PARAMS,
    input: ({ params }) => params.name,
    handler: async (name, ctx) => ({ rule: await getRule(ctx, name), state: await ruleState(ctx, name) }),
  }),
  defineRoute({
    method: 'PUT',
    path: '/api/mitra/alerts/rules/:name',
    summary: 'change a rule (fields given in the body replace the stored ones)',
    body: ALERT_RULE_PATCH,
    params: NAME_PARAMS,
    input: ({ params, body }) => ({ name: params.name, patch: body as Partial<AlertRuleInput> }),
    handler: ({ name, patch }, ctx) => updateRule(ctx, name, patch),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/api/mitra/alerts/rules/:name',
    summary: 'delete a rule and its state (events stay)',
    params: NAME_PARAMS,
    input: ({ params }) => params.name,
    handler: (name, ctx) => deleteRule(ctx, name),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/mitra/alerts/rules/:name/eval',
    summary: 'evaluate one rule now (fires or recovers as a scheduled evaluation would)',
    params: NAME_PARAMS,
    input: ({ params }) => params.name,
    handler: async (name, ctx) => evaluator(ctx).evaluate(await getRule(ctx, name)),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/mitra/alerts/eval',
    summary: 'evaluate every enabled rule now',
    input: () => undefined,
    handler: async (_input, ctx) => ({ evaluations: await evaluator(ctx).evaluateAll() }),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/alerts/history',
    summary: 'firing and recovery events, newest first (rule, size, cursor)',
    query: ALERT_HISTORY_QUERY,
    input: ({ query }) => query,
    handler: (input, ctx) => alertHistory(ctx, input),
  }),
];
