import { isResponseError, transportFailure } from '../client';
import { explainError } from '../connection';
import { ClusterError, MitraError, NotFoundError } from '../errors';

export interface ErrorBody {
  error: 'bad_request' | 'not_found' | 'forbidden' | 'cluster_unavailable' | 'internal';
  message: string;
}

/**
 * The one place errors become HTTP answers: what the caller did wrong → 400,
 * a missing thing → 404, privileges → 403, the cluster out of reach, failing
 * or not set up → 503, anything else → 500 with no stack (it goes to the
 * server log). Input never makes a 5xx: Elasticsearch refusing a request
 * (4xx) is explained in one line as a 400. Client errors are recognised by
 * shape and name, never by `instanceof` (Kibana hands in its own client copy).
 */
export function errorResponse(e: unknown): { status: number; body: ErrorBody } {
  if (e instanceof NotFoundError) return { status: 404, body: { error: 'not_found', message: e.message } };
  if (e instanceof ClusterError) return clusterAnswer(e);
  if (e instanceof MitraError) return { status: 400, body: { error: 'bad_request', message: e.message } };
  if (isResponseError(e) || transportFailure(e)) return clusterAnswer(explainError(e, 'the cluster'));
  return { status: 500, body: { error: 'internal', message: 'internal error: the server log has the details' } };
}

function clusterAnswer(e: MitraError): { status: number; body: ErrorBody } {
  const message = e.message.split('\n')[0];
  const cause = e.cause;
  if (!isResponseError(cause)) return { status: 503, body: { error: 'cluster_unavailable', message } };
  const status = cause.meta.statusCode ?? 0;
  const body = cause.meta.body as { error?: unknown } | undefined;
  // Not an Elasticsearch error body, or the cluster failing (5xx, 429), or not set up (no index): the cluster's state, not the input.
  if (
    typeof body !== 'object' ||
    body === null ||
    body.error === undefined ||
    status >= 500 ||
    status === 429 ||
    /index_not_found/.test(JSON.stringify(body))
  ) {
    return { status: 503, body: { error: 'cluster_unavailable', message } };
  }
  if (status === 401 || status === 403) return { status: 403, body: { error: 'forbidden', message } };
  return { status: 400, body: { error: 'bad_request', message } };
}
