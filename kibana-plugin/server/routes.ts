import { errorResponse, type ApiRoute, type ErrorBody } from '@mitra/core';
import type {
  IKibanaResponse,
  IRouter,
  KibanaResponseFactory,
  Logger,
  RouteValidationFunction,
  RouteValidatorConfig,
} from '../kibana_api/server';

type Query = Record<string, string | string[] | undefined>;

/** Kibana spells path parameters `{name}` where the route table says `:name`. */
export const kibanaPath = (path: string): string => path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');

/** API privileges (feature `api` entries): reads need `mitra_read`, writes `mitra_write`. */
export const requiredPrivilege = (route: ApiRoute): string => (route.method === 'GET' ? 'mitra_read' : 'mitra_write');

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Kibana validates params, query and body separately, each with a function
 * `(data, {ok, badRequest})`. These check only the shape Kibana hands over;
 * the route's own `validate` (which needs all three together) runs in the
 * handler, so its messages reach the caller unchanged as a 400.
 */
export const validateParams: RouteValidationFunction<Record<string, string>> = (data, { ok, badRequest }) => {
  if (data === undefined) return ok({});
  if (!isPlainObject(data) || Object.values(data).some((v) => typeof v !== 'string')) return badRequest('path parameters must be strings');
  return ok(data as Record<string, string>);
};

export const validateQuery: RouteValidationFunction<Query> = (data, { ok, badRequest }) => {
  if (data === undefined) return ok({});
  if (!isPlainObject(data)) return badRequest('query string must be name=value pairs');
  for (const [name, value] of Object.entries(data)) {
    const valid = value === undefined || typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    if (!valid) return badRequest(`query parameter ${name} must be text`, [name]);
  }
  return ok(data as Query);
};

export const validateBody: RouteValidationFunction<unknown> = (data, { ok, badRequest }) => {
  if (data === undefined || data === null || data === '') return ok(undefined);
  if (!isPlainObject(data)) return badRequest('request body must be a JSON object (Content-Type: application/json)');
  return ok(data);
};

function validators(route: ApiRoute): RouteValidatorConfig<Record<string, string>, Query, unknown> {
  const hasBody = route.method === 'POST' || route.method === 'PUT';
  return { params: validateParams, query: validateQuery, ...(hasBody ? { body: validateBody } : {}) };
}

/** The one mapping from Mitra's error answers to Kibana responses. */
export function toKibanaError(response: KibanaResponseFactory, status: number, body: ErrorBody): IKibanaResponse {
  const payload = { message: body.message, attributes: { error: body.error } };
  if (status === 400) return response.badRequest({ body: payload });
  if (status === 404) return response.notFound({ body: payload });
  return response.customError({ statusCode: status, body: payload });
}

/**
 * Registers every route of the framework-free table on a Kibana router,
 * unchanged: same paths, same validation, same handlers, with the
 * request-scoped client (the current user's privileges) as the cluster.
 * The routes serve the Mitra app only, so they are `internal` (Kibana 9
 * answers them only to its own browser code, which sends
 * `x-elastic-internal-origin`); scripts use `mitra serve` or the CLI.
 */
export function registerRoutes(router: IRouter, routes: ApiRoute[], opts: { prefix: string; logger: Logger }): void {
  // Core's diagnostics (alert evaluations started from the app) go to the plugin's logger.
  const log = (line: string) => opts.logger.info(line);
  for (const route of routes) {
    const register = router[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'];
    register(
      {
        path: kibanaPath(route.path),
        validate: validators(route),
        security: { authz: { requiredPrivileges: [requiredPrivilege(route)] } },
        options: { access: 'internal', summary: route.summary },
      },
      async (context, request, response) => {
        try {
          const input = route.validate({ params: request.params, query: request.query, body: request.body });
          const { elasticsearch } = await context.core;
          const body = await route.handler(input, { client: elasticsearch.client.asCurrentUser, prefix: opts.prefix, log });
          // Kibana's factory has no 201 shorthand in every line; custom() passes any status through.
          return route.status === 201 ? response.custom({ statusCode: 201, body }) : response.ok({ body });
        } catch (e) {
          const { status, body } = errorResponse(e);
          if (status === 500) opts.logger.error(e instanceof Error ? e : String(e));
          return toKibanaError(response, status, body);
        }
      },
    );
  }
}
