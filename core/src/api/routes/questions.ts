import type { Catalog, Question } from '../../questions';
import { describeCatalog, fieldsSpelled, snakeCase, toDeclared } from '../../questions/derive';
import { queryShape } from '../input';
import { defineRoute, type ApiRoute } from '../types';

/** GET /api/mitra/<id>: the question's parameters in snake_case, checked by its declared shapes. */
export function questionRoute(q: Question): ApiRoute {
  return defineRoute({
    method: 'GET',
    path: `/api/mitra/${q.id}`,
    summary: q.title,
    query: queryShape(fieldsSpelled(q, snakeCase)),
    input: ({ query }) => toDeclared(q, query as Record<string, unknown>, snakeCase),
    handler: (params, { client, prefix }) => q.run(client, prefix, params),
  });
}

/** One route per catalog question, and GET /api/mitra/questions describing them (the app builds its forms from it). */
export function questionRoutes(catalog: Catalog): ApiRoute[] {
  const described = describeCatalog(catalog);
  return [
    defineRoute({
      method: 'GET',
      path: '/api/mitra/questions',
      summary: 'the question catalog: each question, its parameters (types, units, ranges, defaults, help, examples) and result columns',
      input: () => undefined,
      handler: async () => described,
    }),
    ...catalog.map(questionRoute),
  ];
}
