import { checkServer } from '../connection';
import { clusterUrl } from '../client';
import { errorResponse } from './errors';
import { alertRoutes } from './routes/alerts';
import { fleetRoutes } from './routes/fleet';
import { QUESTIONS, type Catalog } from '../questions';
import { historyRoutes } from './routes/history';
import { questionRoutes } from './routes/questions';
import { incidentRoutes } from './routes/incident';
import { savedRoutes } from './routes/saved';
import { defineRoute, type ApiContext, type ApiRequest, type ApiRoute } from './types';

/** Every Mitra endpoint, with a route per question of `catalog` (a test passes its own). */
export function apiRoutes(catalog: Catalog): ApiRoute[] {
  const index: ApiRoute = defineRoute({
    method: 'GET',
    path: '/api/mitra',
    summary: 'this list of routes',
    input: () => undefined,
    handler: async () => ({ routes: routes.map((r: ApiRoute) => ({ method: r.method, path: r.path, summary: r.summary })) }),
  });
  const routes: ApiRoute[] = [
    index,
    ...questionRoutes(catalog),
    ...fleetRoutes,
    ...historyRoutes,
    ...incidentRoutes,
    ...savedRoutes,
    ...alertRoutes,
  ];
  return routes;
}

/** Every Mitra endpoint. A Kibana plugin registers these same objects with its router. */
export const API_ROUTES: ApiRoute[] = apiRoutes(QUESTIONS);

export type RouteMatch = { route: ApiRoute; params: Record<string, string> };

/** The route for a method and path, its `:params`, or the methods the path does allow (405). */
export function matchRoute(routes: ApiRoute[], method: string, pathname: string): RouteMatch | { allowed: string[] } | null {
  const segments = pathname.replace(/\/+$/, '').split('/');
  const allowed: string[] = [];
  for (const r of routes) {
    const params = matchPath(r.path.split('/'), segments);
    if (!params) continue;
    if (r.method === method) return { route: r, params };
    allowed.push(r.method);
  }
  return allowed.length ? { allowed } : null;
}

function matchPath(pattern: string[], segments: string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) {
      try {
        params[pattern[i].slice(1)] = decodeURIComponent(segments[i]);
      } catch {
        return null;
      }
    } else if (pattern[i] !== segments[i]) return null;
  }
  return params;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Validate, handle, and map any error through errorResponse: the whole request cycle, without HTTP. */
export async function handleApi(
  routes: ApiRoute[],
  ctx: ApiContext,
  method: string,
  pathname: string,
  req: Omit<ApiRequest, 'params'>,
  onError: (e: unknown) => void = () => {},
): Promise<ApiResponse> {
  const match = matchRoute(routes, method, pathname);
  if (!match) return { status: 404, body: { error: 'not_found', message: `no API route ${pathname}: GET /api/mitra lists them` } };
  if ('allowed' in match) {
    return {
      status: 405,
      headers: { allow: match.allowed.join(', ') },
      body: { error: 'bad_request', message: `${method} is not allowed on ${pathname}: use ${match.allowed.join(' or ')}` },
    };
  }
  try {
    const input = match.route.validate({ ...req, params: match.params });
    return { status: match.route.status ?? 200, body: await match.route.handler(input, ctx) };
  } catch (e) {
    const res = errorResponse(e);
    if (res.status !== 500) return res;
    onError(e);
    return (await notElasticsearchAnswer(ctx)) ?? res;
  }
}

/** An unexpected failure is often a server that is not Elasticsearch (a proxy's HTML, another API): say so, as a 503. */
async function notElasticsearchAnswer(ctx: ApiContext): Promise<ApiResponse | undefined> {
  try {
    await checkServer(ctx.client, clusterUrl(ctx.client));
    return undefined;
  } catch (e) {
    return errorResponse(e);
  }
}
