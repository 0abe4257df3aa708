import { errors } from '@elastic/elasticsearch';
import { ClusterError, ConfigError, NotFoundError, UsageError } from '../errors';
import { errorResponse } from './errors';
import { matchRoute } from './router';
import { defineRoute } from './types';

const responseError = (status: number, body: unknown = { error: { type: 'x', reason: 'shard failure' } }) =>
  new errors.ResponseError({
    statusCode: status,
    body,
    headers: {},
    warnings: null,
    meta: {} as never,
  });

describe('errorResponse', () => {
  it('maps each kind of error to its status, with a one-line message', () => {
    expect(errorResponse(new UsageError('parameter size "x" is out of range'))).toEqual({
      status: 400,
      body: { error: 'bad_request', message: 'parameter size "x" is out of range' },
    });
    expect(errorResponse(new ConfigError('bad')).status).toBe(400);
    expect(errorResponse(new NotFoundError('no saved search named "a"')).status).toBe(404);
    expect(errorResponse(new ClusterError('connection refused')).status).toBe(503);
    expect(errorResponse(responseError(500))).toEqual({
      status: 503,
      body: { error: 'cluster_unavailable', message: 'Elasticsearch at the cluster answered 500: shard failure' },
    });
  });

  it('never answers 5xx for what Elasticsearch refuses as input; 503 only for the cluster itself', () => {
    // A refused request is explained as a 400, in one line.
    expect(errorResponse(new ClusterError('answered 400: bad', { cause: responseError(400) }))).toEqual({
      status: 400,
      body: { error: 'bad_request', message: 'answered 400: bad' },
    });
    expect(errorResponse(responseError(403)).status).toBe(403);
    for (const status of [500, 503, 429]) expect(errorResponse(new ClusterError('x', { cause: responseError(status) })).status).toBe(503);
    // Not set up, or not Elasticsearch at all (a 404 without an Elasticsearch error body).
    const missing = responseError(404, { error: { type: 'index_not_found_exception', reason: 'no such index' } });
    expect(errorResponse(new ClusterError('index missing', { cause: missing })).status).toBe(503);
    expect(errorResponse(new ClusterError('x', { cause: responseError(404, '<html>Not Found</html>') })).status).toBe(503);
  });

  it('hides everything about unexpected errors', () => {
    const res = errorResponse(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(res).toEqual({ status: 500, body: { error: 'internal', message: 'internal error: the server log has the details' } });
  });
});

describe('matchRoute', () => {
  const mk = (method: 'GET' | 'POST', path: string) =>
    defineRoute({ method, path, summary: '', input: () => undefined, handler: async () => null });
  const routes = [mk('GET', '/api/mitra/saved'), mk('GET', '/api/mitra/saved/:name'), mk('POST', '/api/mitra/saved/:name/run')];

  it('binds and decodes :params, and tells 405 from 404', () => {
    expect(matchRoute(routes, 'GET', '/api/mitra/saved/a%20b')).toEqual({ route: routes[1], params: { name: 'a b' } });
    expect(matchRoute(routes, 'GET', '/api/mitra/saved/')).toEqual({ route: routes[0], params: {} });
    expect(matchRoute(routes, 'DELETE', '/api/mitra/saved/x')).toEqual({ allowed: ['GET'] });
    expect(matchRoute(routes, 'GET', '/api/mitra/saved/x/run')).toEqual({ allowed: ['POST'] });
    expect(matchRoute(routes, 'GET', '/api/mitra/other')).toBeNull();
    expect(matchRoute(routes, 'GET', '/api/mitra/saved/%E0%A4%A')).toBeNull();
  });
});
