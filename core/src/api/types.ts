import type { WebhookPolicy } from '../alerts/webhook';
import type { z } from 'zod';
import type { IndexScope } from '../history/scope';
import { bodyField, check, queryParam } from '../shapes/check';
import { flattenQuery, NO_BODY, NO_QUERY } from './input';

/** A request as any HTTP host presents it: node:http (mitra serve) or a Kibana route. */
export interface ApiRequest {
  /** Path parameters (`:name` segments), already URL-decoded. */
  params: Record<string, string>;
  /** Query string; a repeated parameter arrives as an array. */
  query: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined. */
  body: unknown;
}

/** What every handler gets: the cluster (the caller's own credentials, when it authenticates with an API key), the index prefix, and where alert webhooks may go. */
export type ApiContext = IndexScope & { webhooks?: WebhookPolicy };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * One endpoint, framework-free so the Kibana plugin server mounts the same
 * objects unchanged: `validate` turns the raw request into typed input (throwing
 * a UsageError that names the parameter → 400), `handler` does the work.
 */
export interface ApiRoute<Input = unknown> {
  method: HttpMethod;
  /** `/api/mitra/...` with `:param` segments. */
  path: string;
  summary: string;
  /** The declared shape of the query string: every parameter the route takes (others are refused). */
  query: z.ZodTypeAny;
  /** The declared shape of the JSON body. */
  body: z.ZodTypeAny;
  validate(req: ApiRequest): Input;
  handler(input: Input, ctx: ApiContext): Promise<unknown>;
  /** Status of a successful answer (default 200; 201 for creations). */
  status?: number;
}

/** A route as declared: its shapes, and how the checked parts become the handler's input. */
export interface RouteSpec<Q extends z.ZodTypeAny, B extends z.ZodTypeAny, Input> {
  method: HttpMethod;
  path: string;
  summary: string;
  /** The declared shape of the `:param` path segments. */
  params?: z.ZodType<Record<string, string>, z.ZodTypeDef, unknown>;
  query?: Q;
  body?: B;
  input(req: { params: Record<string, string>; query: z.output<Q>; body: z.output<B> }): Input;
  handler(input: Input, ctx: ApiContext): Promise<unknown>;
  status?: number;
}

/**
 * Declares a route from its shapes: validation is derived from them (one
 * check of the query string, one of the body), so a route cannot take an
 * input it did not declare. Keeps each route's Input type checked while the
 * table holds routes of many types.
 */
export function defineRoute<Q extends z.ZodTypeAny = typeof NO_QUERY, B extends z.ZodTypeAny = typeof NO_BODY, Input = unknown>(
  spec: RouteSpec<Q, B, Input>,
): ApiRoute {
  const query = (spec.query ?? NO_QUERY) as Q;
  const body = (spec.body ?? NO_BODY) as B;
  const route: ApiRoute<Input> = {
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    query,
    body,
    status: spec.status,
    validate: (req) =>
      spec.input({
        params: spec.params ? check(spec.params, req.params, queryParam) : req.params,
        query: check(query, flattenQuery(req.query), queryParam),
        body: check(body, req.body, bodyField),
      }),
    handler: spec.handler,
  };
  return route as unknown as ApiRoute;
}
