import { NotFoundError } from '../../errors';
import { fleetOverview, getSnapshot } from '../../fleet';
import { currentStateId } from '../../ids';
import { text } from '../../shapes/fields';
import { queryShape } from '../input';
import { defineRoute } from '../types';

/** Host names and paths: bounded so a typo of 40 KB is a 400, not a query nobody can answer. */
export const hostField = () => text('web-01', 1024);
export const pathField = () => text('/etc/hosts', 4096);

export const HOST_PATH_QUERY = queryShape({ host: hostField(), path: pathField() });

/** Fleet routes besides the catalog's questions (core/src/questions has those). */
export const fleetRoutes = [
  defineRoute({
    method: 'GET',
    path: '/api/mitra/overview',
    summary: 'the fleet at a glance: host count, hosts per kernel major.minor and per OS',
    input: () => ({}),
    handler: (_input, { client, prefix }) => fleetOverview(client, prefix),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/get',
    summary: "one host's current snapshot of one path",
    query: HOST_PATH_QUERY,
    input: ({ query }) => query,
    handler: async (input, { client, prefix }) => {
      const res = await getSnapshot(client, prefix, input);
      if (!res.doc) throw new NotFoundError(`host ${input.host} has no snapshot of ${input.path}`);
      return res;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/api/mitra/id',
    summary: 'the current-state document id: sha256(host + "_" + path)',
    query: HOST_PATH_QUERY,
    input: ({ query }) => query,
    handler: async ({ host, path }) => ({ host, path, id: currentStateId(host, path) }),
  }),
];
