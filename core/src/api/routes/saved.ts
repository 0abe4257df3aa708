import { createSaved, deleteSaved, getSaved, listSaved, runSaved, updateSaved, type SavedSearchInput } from '../../saved/store';
import { bodyObject, paging, vars } from '../input';
import { defineRoute } from '../types';

/** Saved searches CRUD and run (core/src/saved). */
export const savedRoutes = [
  defineRoute({
    method: 'GET',
    path: '/api/mitra/saved',
    summary: 'saved searches, by name (page, size)',
    validate: ({ query }) => paging(query),
    handler: (input, ctx) => listSaved(ctx, input),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/mitra/saved',
    summary: 'create a saved search: {name, description?, kind, params}',
    status: 201,
    validate: ({ body }) => bodyObject(body) as unknown as SavedSearchInput,
    handler: (input, ctx) => createSaved(ctx, input),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/saved/:name',
    summary: 'one saved search',
    validate: ({ params }) => params.name,
    handler: (name, ctx) => getSaved(ctx, name),
  }),
  defineRoute({
    method: 'PUT',
    path: '/api/mitra/saved/:name',
    summary: 'replace description, kind or params of a saved search',
    validate: ({ params, body }) => ({ name: params.name, patch: bodyObject(body) as Partial<SavedSearchInput> }),
    handler: ({ name, patch }, ctx) => updateSaved(ctx, name, { description: patch.description, kind: patch.kind, params: patch.params }),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/api/mitra/saved/:name',
    summary: 'delete a saved search',
    validate: ({ params }) => params.name,
    handler: (name, ctx) => deleteSaved(ctx, name),
  }),
  defineRoute({
    method: 'POST',
    path: '/api/mitra/saved/:name/run',
    summary: 'run a saved search: body {vars: {name: value}} fills its {{name}} parameters',
    validate: ({ params, body }) => ({ name: params.name, vars: vars(body === undefined ? undefined : bodyObject(body).vars) }),
    handler: ({ name, vars: v }, ctx) => runSaved(ctx, name, v),
  }),
];
