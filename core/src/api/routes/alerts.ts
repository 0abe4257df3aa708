import { AlertEvaluator, alertHistory, ruleState } from '../../alerts/evaluate';
import { createRule, deleteRule, getRule, listRules, updateRule, type AlertRuleInput } from '../../alerts/rules';
import { bodyObject, optional, paging } from '../input';
import { defineRoute, type ApiContext } from '../types';

/** Evaluations started from the API log through the host's logger: `mitra serve`'s stderr, Kibana's plugin logger. */
const evaluator = (ctx: ApiContext) => new AlertEvaluator(ctx, { webhooks: ctx.webhooks, log: ctx.log });

/** Alert rules CRUD, evaluation and event history (core/src/alerts). */
export const alertRoutes = [
  defineRoute({
    method: 'GET',
    path: '/api/mitra/alerts/rules',
    summary: 'alert rules, by name (page, size)',
    validate: ({ query }) => paging(query),
    handler: (input, ctx) => listRules(ctx, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/mitra/alerts/rules',
    summary: 'create a rule: {name, search + vars | query {kind, params}, condition, actions?}',
    status: 201,
    validate: ({ body }) => bodyObject(body) as unknown as AlertRuleInput,
    handler: (input, ctx) => createRule(ctx, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/alerts/rules/:name',
    summary: 'one rule and its state',
    validate: ({ params }) => params.name,
    handler: async (name, ctx) => ({ rule: await getRule(ctx, name), state: await ruleState(ctx, name) }),
  }),
  defineRoute({
    method: 'PUT',
    path: '/api/mitra/alerts/rules/:name',
    summary: 'change a rule (fields given in the body replace the stored ones)',
    validate: ({ params, body }) => ({ name: params.name, patch: bodyObject(body) as Partial<AlertRuleInput> }),
    handler: ({ name, patch }, ctx) => updateRule(ctx, name, patch),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/api/mitra/alerts/rules/:name',
    summary: 'delete a rule and its state (events stay)',
    validate: ({ params }) => params.name,
    handler: (name, ctx) => deleteRule(ctx, name),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/mitra/alerts/rules/:name/eval',
    summary: 'evaluate one rule now (fires or recovers as a scheduled evaluation would)',
    validate: ({ params }) => params.name,
    handler: async (name, ctx) => evaluator(ctx).evaluate(await getRule(ctx, name)),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/mitra/alerts/eval',
    summary: 'evaluate every enabled rule now',
    validate: () => undefined,
    handler: async (_input, ctx) => ({ evaluations: await evaluator(ctx).evaluateAll() }),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/alerts/history',
    summary: 'firing and recovery events, newest first (rule, page, size)',
    validate: ({ query }) => ({ rule: optional(query, 'rule'), ...paging(query) }),
    handler: (input, ctx) => alertHistory(ctx, input),
  }),
];
