import type { Client } from '@elastic/elasticsearch';

/**
 * The Elasticsearch client as core uses it: only the methods core calls.
 * The official client (`mitra` CLI, `mitra serve`) and Kibana's request-scoped
 * `ElasticsearchClient` (the official client minus `connectionPool`, `close`,
 * `extend`, ... — Kibana hands in its own copy) both satisfy it, so nothing in
 * core depends on which copy of `@elastic/elasticsearch` made the client.
 */
// `transport` is there because the client's methods are typed `this: { transport }`; Kibana's client has it too.
export type MitraClient = Pick<Client, 'transport' | 'info' | 'search' | 'scroll' | 'clearScroll' | 'get' | 'mget' | 'index' | 'delete'> & {
  indices: Pick<Client['indices'], 'transport' | 'validateQuery' | 'get' | 'delete'>;
};

/** The URL the client talks to, for error messages. */
export function clusterUrl(client: MitraClient): string {
  // Kibana's client has no connectionPool (its type omits it): then "the cluster" it is.
  const pool = (client as { connectionPool?: { connections?: { url?: URL }[] } }).connectionPool;
  return pool?.connections?.[0]?.url?.origin ?? 'the cluster';
}

/** Where core's diagnostics go: the CLI's stderr, `mitra serve`'s log, or Kibana's plugin logger. */
export type LogLine = (line: string) => void;

/**
 * An error answered by Elasticsearch, whichever copy of the client threw it:
 * recognised by `meta.statusCode` (or the `ResponseError` name), never by
 * `instanceof` — a class from another copy of the client would not match.
 */
export interface EsResponseError {
  message: string;
  meta: { statusCode?: number; body?: unknown };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The HTTP status Elasticsearch answered with, when `e` is a response error; undefined otherwise. */
export function responseStatus(e: unknown): number | undefined {
  if (!isObject(e) || !isObject(e.meta)) return undefined;
  const status = e.meta.statusCode;
  return typeof status === 'number' && status > 0 ? status : undefined;
}

/**
 * A 404 for a document that does not exist (`found: false`), not for a missing index: a GET that ignored
 * every 404 answered "no such document" for a prefix with no index at all.
 */
export function isMissingDocument(e: unknown): boolean {
  return (
    responseStatus(e) === 404 &&
    isObject((e as EsResponseError).meta.body) &&
    (e as { meta: { body: { found?: unknown } } }).meta.body.found === false
  );
}

export function isResponseError(e: unknown): e is EsResponseError {
  return responseStatus(e) !== undefined;
}

/** What went wrong on the way to the cluster, from the client's error names (stable across client copies and majors). */
export type TransportFailure = 'timeout' | 'unreachable' | 'not-elasticsearch';

const FAILURE_BY_NAME: Record<string, TransportFailure> = {
  TimeoutError: 'timeout',
  ConnectionError: 'unreachable',
  NoLivingConnectionsError: 'unreachable',
  ProductNotSupportedError: 'not-elasticsearch',
};

export function transportFailure(e: unknown): TransportFailure | undefined {
  if (!isObject(e) || typeof e.name !== 'string' || isResponseError(e)) return undefined;
  return FAILURE_BY_NAME[e.name];
}
