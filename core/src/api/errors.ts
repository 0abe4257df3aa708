import { isResponseError, responseStatus, transportFailure } from '../client';
import { responseReason } from '../connection';
import { ClusterError, MitraError, NotFoundError } from '../errors';

export interface ErrorBody {
  error: 'bad_request' | 'not_found' | 'cluster_error' | 'cluster_unavailable' | 'internal';
  message: string;
}

/**
 * The one place errors become HTTP answers: what the caller did wrong → 400,
 * a missing thing → 404, the cluster failing a request → 502, the cluster out
 * of reach → 503, anything else → 500 with no stack (it goes to the server log).
 */
export function errorResponse(e: unknown): { status: number; body: ErrorBody } {
  if (e instanceof NotFoundError) return { status: 404, body: { error: 'not_found', message: e.message } };
  if (e instanceof ClusterError) {
    const answered = isResponseError(e.cause);
    return { status: answered ? 502 : 503, body: { error: answered ? 'cluster_error' : 'cluster_unavailable', message: e.message } };
  }
  if (e instanceof MitraError) return { status: 400, body: { error: 'bad_request', message: e.message } };
  if (isResponseError(e)) {
    return { status: 502, body: { error: 'cluster_error', message: `Elasticsearch answered ${responseStatus(e)}: ${responseReason(e)}` } };
  }
  const failure = transportFailure(e);
  if (failure === 'unreachable' || failure === 'timeout') {
    return {
      status: 503,
      body: { error: 'cluster_unavailable', message: `Elasticsearch is unreachable: ${String((e as Error).message).split('\n')[0]}` },
    };
  }
  return { status: 500, body: { error: 'internal', message: 'internal error: the server log has the details' } };
}
