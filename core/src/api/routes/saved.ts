import { z } from 'zod';
import { QUERY_KINDS } from '../../saved/kinds';
import { createSaved, deleteSaved, getSaved, listSaved, runSaved, updateSaved } from '../../saved/store';
import { freeText, matching, oneOf, text } from '../../shapes/fields';
import { PAGING_FIELDS } from '../../questions/paging';
import { queryShape } from '../input';
import { defineRoute } from '../types';

/** Names double as document ids and URL segments (core/src/saved/documents.ts checkName). */
export const nameField = (example: string) =>
  matching(
    example,
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/,
    'letters, digits, "-", "_" or "." (at most 128, starting with a letter or digit)',
    128,
  );

/** The `:name` of a saved search or rule in the path. */
export const NAME_PARAMS = z.object({ name: nameField('lacking-zsh') });

export const descriptionField = () => freeText('hosts without zsh', 1000);

const kinds = Object.keys(QUERY_KINDS) as [string, ...string[]];
const paramsField = () => z.record(z.unknown(), { invalid_type_error: "must be an object of the kind's parameters" });

/** POST /api/mitra/saved. The params are checked against the kind's own shape (core/src/saved/kinds.ts) when stored. */
export const SAVED_SEARCH_BODY = z
  .object({
    name: nameField('lacking-zsh'),
    description: descriptionField().optional(),
    kind: oneOf(kinds, 'hosts', 'a query kind'),
    params: paramsField().optional(),
  })
  .strict();
export const SAVED_SEARCH_PATCH = z
  .object({
    description: descriptionField().optional(),
    kind: oneOf(kinds, 'hosts', 'a query kind').optional(),
    params: paramsField().optional(),
  })
  .strict();
export const RUN_BODY = z
  .object({ vars: z.record(text('zsh', 4096), { invalid_type_error: 'must be an object of name: value texts' }).optional() })
  .strict()
  .optional();

/** The questions' paging: `size` items from `cursor` (the `next` of the previous answer); answers carry `total` and `next`. */
export const LIST_QUERY = queryShape(PAGING_FIELDS);

/** Saved searches CRUD and run (core/src/saved). */
export const savedRoutes = [
  defineRoute({
    method: 'GET',
    path: '/api/mitra/saved',
    summary: 'saved searches, by name (size, cursor)',
    query: LIST_QUERY,
    input: ({ query }) => query,
    handler: (input, ctx) => listSaved(ctx, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/mitra/saved',
    summary: 'create a saved search: {name, description?, kind, params}',
    status: 201,
    body: SAVED_SEARCH_BODY,
    input: ({ body }) => ({ ...body, params: body.params ?? {} }),
    handler: (input, ctx) => createSaved(ctx, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/saved/:name',
    summary: 'one saved search',
    params: NAME_PARAMS,
    input: ({ params }) => params.name,
    handler: (name, ctx) => getSaved(ctx, name),
  }),
  defineRoute({
    method: 'PUT',
    path: '/api/mitra/saved/:name',
    summary: 'replace description, kind or params of a saved search',
    body: SAVED_SEARCH_PATCH,
    params: NAME_PARAMS,
    input: ({ params, body }) => ({ name: params.name, patch: body }),
    handler: ({ name, patch }, ctx) => updateSaved(ctx, name, patch),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/api/mitra/saved/:name',
    summary: 'delete a saved search',
    params: NAME_PARAMS,
    input: ({ params }) => params.name,
    handler: (name, ctx) => deleteSaved(ctx, name),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/mitra/saved/:name/run',
    summary: 'run a saved search: body {vars: {name: value}} fills its {{name}} parameters',
    body: RUN_BODY,
    params: NAME_PARAMS,
    input: ({ params, body }) => ({ name: params.name, vars: body?.vars ?? {} }),
    handler: ({ name, vars }, ctx) => runSaved(ctx, name, vars),
  }),
];
