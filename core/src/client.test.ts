import { errors } from '@elastic/elasticsearch';
import { errorResponse } from './api/errors';
import { isResponseError, responseStatus, transportFailure, type MitraClient } from './client';
import { explainError } from './connection';
import { ClusterError, UsageError } from './errors';
import { explainSearchError } from './fleet/common';
import { namedDocuments } from './saved/documents';

/**
 * Kibana hands the plugin a client built from ITS copy of @elastic/elasticsearch,
 * so the errors it throws are not instances of this package's classes. These
 * errors come from "another copy": a class of the same name defined here, and
 * plain objects with the client's fields. Every mapping must still recognise
 * them by `meta.statusCode` and `name`.
 */
class ResponseError extends Error {
  override name = 'ResponseError';
  constructor(
    readonly meta: { statusCode: number; body: unknown },
    message = 'response error',
  ) {
    super(message);
  }
}
const foreign = (statusCode: number, body: unknown) => new ResponseError({ statusCode, body });
const plain = (statusCode: number, body: unknown) => ({ name: 'ResponseError', message: 'x', meta: { statusCode, body } });
const parseFailure = {
  error: { type: 'search_phase_execution_exception', root_cause: [{ reason: 'Failed to parse query [filename:(]' }] },
};

describe('errors from another copy of the client', () => {
  it('are not instances of this copy, and are recognised anyway', () => {
    expect(foreign(400, {}) instanceof errors.ResponseError).toBe(false);
    for (const e of [foreign(403, {}), plain(403, {})]) {
      expect(isResponseError(e)).toBe(true);
      expect(responseStatus(e)).toBe(403);
    }
    expect(responseStatus(new errors.ResponseError({ statusCode: 404, body: {}, headers: {}, warnings: null, meta: {} as never }))).toBe(
      404,
    );
    for (const e of [new Error('x'), null, 'text', { meta: { statusCode: 'x' } }, { meta: null }]) expect(isResponseError(e)).toBe(false);
  });

  it('map to the HTTP answers a 403 and an unreachable cluster deserve (a 403 is not "unavailable")', () => {
    const denied = { error: { type: 'security_exception', reason: 'unauthorized for user [bob]' } };
    expect(errorResponse(plain(403, denied))).toEqual({
      status: 403,
      body: {
        error: 'forbidden',
        message: expect.stringMatching(/^permission denied at the cluster: unauthorized for user \[bob\]; /),
      },
    });
    expect(errorResponse(new ClusterError('denied', { cause: foreign(403, denied) })).status).toBe(403);
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:9200'), { name: 'ConnectionError' });
    expect(errorResponse(refused)).toMatchObject({ status: 503, body: { error: 'cluster_unavailable' } });
    expect(transportFailure(Object.assign(new Error('t'), { name: 'TimeoutError' }))).toBe('timeout');
  });

  it('turn a query the cluster cannot parse into a usage error, and a missing index into "run mitra setup"', () => {
    const client = {} as MitraClient; // Kibana's client has no connectionPool
    const bad = explainSearchError(foreign(400, parseFailure), client, 'p-current', 'filename:(');
    expect(bad).toBeInstanceOf(UsageError);
    expect(bad.message).toMatch(/^query "filename:\(" does not parse: Failed to parse query/);
    const missing = explainSearchError(plain(404, { error: { type: 'index_not_found_exception' } }), client, 'p-current');
    expect(missing.message).toBe('index p-current does not exist at the cluster: run mitra setup (or check --prefix)');
    expect(explainError(plain(401, {}), 'the cluster').message).toMatch(/^authentication failed/);
  });

  it('an index with another mapping (not made by mitra setup) is named as such, not blamed on the query', () => {
    const client = {} as MitraClient;
    const failure = (type: string, reason: string) => ({
      error: { type: 'search_phase_execution_exception', reason: 'all shards failed', root_cause: [{ type, reason }] },
    });
    const answers = [
      failure('query_shard_exception', 'No mapping found for [host.name] in order to sort on'),
      failure(
        'illegal_argument_exception',
        'Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead.',
      ),
      failure('illegal_argument_exception', 'Field [host.name] of type [text] is not supported for aggregation [composite]'),
    ];
    for (const body of answers)
      for (const query of ['*', undefined]) {
        const e = explainSearchError(foreign(400, body), client, 'logs-current', query);
        expect(e).toBeInstanceOf(ClusterError);
        expect(e.message).toMatch(
          /^index logs-current at the cluster is not a Mitra index \(.+\): check --prefix \(mitra setup makes a new prefix's indices\)$/,
        );
      }
  });

  it('a query over the clause limit says so, not "does not parse" (the syntax is fine)', () => {
    const client = {} as MitraClient;
    const query = Array.from({ length: 1100 }, (_, i) => `content:w${i}`).join(' OR ');
    const body = {
      error: {
        type: 'search_phase_execution_exception',
        reason: 'all shards failed',
        root_cause: [{ type: 'query_shard_exception', reason: `Failed to parse query [${query}]` }],
        failed_shards: [
          {
            reason: {
              type: 'query_shard_exception',
              reason: `Failed to parse query [${query}]`,
              caused_by: {
                type: 'parse_exception',
                reason: `Cannot parse '${query}': too many boolean clauses`,
                caused_by: { type: 'too_many_clauses', reason: 'maxClauseCount is set to 1024' },
              },
            },
          },
        ],
      },
      status: 400,
    };
    const e = explainSearchError(foreign(400, body), client, 'p-current', query);
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe(
      `query "${query}" has too many clauses (maxClauseCount is set to 1024): use fewer terms, or split it into several searches`,
    );
  });

  it('a 409 from another copy is "already exists", not a crash', async () => {
    const client = {
      index: async () => {
        throw plain(409, { error: { type: 'version_conflict_engine_exception' } });
      },
    } as unknown as MitraClient;
    const docs = namedDocuments<{ name: string }>({ client, prefix: 'p-' }, 'p-saved', 'saved search', 'mitra saved');
    await expect(docs.create({ name: 'k44' })).rejects.toThrow(/^saved search "k44" already exists/);
  });
});
