import { readFileSync } from 'node:fs';
import { isResponseError, responseStatus, transportFailure, type EsResponseError } from './client';
import { ClusterError, ConfigError, MitraError } from './errors';
import { displayUrl, redactUrls } from './url';

/*
 * What a cluster answered, in one line a person can act on. Client-free (errors
 * are recognised by name and meta, never by class), so the agent's plain-HTTP
 * transport and the official client share these messages.
 */
export interface ServerInfo {
  distribution: 'elasticsearch' | 'opensearch';
  version: string;
  major: number;
}

/**
 * The server from its `GET /` answer. Anything without a version number
 * (an HTML page, some other JSON API) is not Elasticsearch or OpenSearch:
 * going on would turn every question into a wrong empty answer.
 */
export function parseServerInfo(info: unknown, url = 'the server'): ServerInfo {
  const version = (info as { version?: { number?: unknown } } | null)?.version?.number;
  if (typeof info !== 'object' || info === null || typeof version !== 'string' || !/^\d+\.\d+/.test(version)) {
    throw notElasticsearchError(url, `GET / answered ${describeBody(info)} without version.number`);
  }
  return {
    distribution: (info as { version: { distribution?: unknown } }).version.distribution === 'opensearch' ? 'opensearch' : 'elasticsearch',
    version,
    major: Number.parseInt(version, 10) || 0,
  };
}

export const notElasticsearchError = (url: string, why: string): ClusterError =>
  new ClusterError(`${url} does not look like Elasticsearch or OpenSearch: ${why}; point --es / MITRA_ES_URL at the cluster`);

/** A `GET /` failure that shows the server is something else: a 4xx other than auth, or a body that is not JSON. */
export function notElasticsearch(e: unknown, url: string): ClusterError | undefined {
  if (isResponseError(e)) {
    const status = e.meta.statusCode ?? 0;
    if (status === 401 || status === 403 || status >= 500) return undefined;
    return notElasticsearchError(url, `GET / answered ${status} ${describeBody(e.meta?.body)}`);
  }
  if ((e as Error | undefined)?.name === 'DeserializationError')
    return notElasticsearchError(url, 'GET / answered a body that is not JSON');
  return undefined;
}

export function describeBody(body: unknown): string {
  if (typeof body === 'string') return /^\s*</.test(body) ? 'an HTML page' : `text (${body.length} characters)`;
  if (body === null || body === undefined) return 'no body';
  return Array.isArray(body) ? 'a JSON list' : 'JSON';
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** One line for whatever went wrong talking to the cluster: what, where, and the fix. The URL is shown without credentials. */
export function explainError(e: unknown, rawUrl: string): MitraError {
  if (e instanceof MitraError) return e;
  const url = displayUrl(rawUrl);
  if (isResponseError(e)) return explainResponse(e, url);
  const failure = transportFailure(e);
  if (failure === 'timeout') {
    return new ClusterError(`Elasticsearch at ${url} did not answer in time: check that it is healthy, or raise MITRA_ES_TIMEOUT_MS`, {
      cause: e,
    });
  }
  const text = chain(e);
  // OpenSSL's answer to a peer that is not speaking TLS at all: no CA or --insecure would help.
  if (/wrong version number|ERR_SSL_WRONG_VERSION_NUMBER/.test(text)) {
    return new ClusterError(
      `${url} does not answer TLS (the server speaks plain HTTP?): write the URL with http:// (--es, MITRA_ES_URL), or check the port`,
      { cause: e },
    );
  }
  const tls = [...TLS_CODES].find((code) => text.includes(code)) ?? tlsMessage(e);
  if (tls) {
    return new ClusterError(
      `TLS verification failed for ${url} (${tls}): pass the cluster's CA with --ca-file or --ca-fingerprint (MITRA_ES_CA_FILE), or --insecure to skip verification`,
      { cause: e },
    );
  }
  if (/ECONNREFUSED/.test(text)) {
    return new ClusterError(
      `cannot reach Elasticsearch at ${url} (connection refused): start it (npm run engine:start) or point --es / MITRA_ES_URL at your cluster`,
      { cause: e },
    );
  }
  if (/ENOTFOUND|EAI_AGAIN/.test(text)) {
    return new ClusterError(`cannot resolve the host of ${url}: check --es / MITRA_ES_URL (or es_host in the config file)`, { cause: e });
  }
  if (failure === 'unreachable') {
    return new ClusterError(`cannot reach Elasticsearch at ${url} (${firstLine(text)}): check the URL and that the cluster is up`, {
      cause: e,
    });
  }
  if (failure === 'not-elasticsearch') {
    return new ClusterError(`${url} does not answer as Elasticsearch (no x-elastic-product header): check the URL`, { cause: e });
  }
  return new ClusterError(`request to ${url} failed: ${firstLine(text)}`, { cause: e });
}

function explainResponse(e: EsResponseError, url: string): MitraError {
  const status = responseStatus(e) ?? 0;
  const reason = responseReason(e);
  const body = e.meta?.body as { error?: unknown } | undefined;
  // Elasticsearch explains every 4xx in an `error` object; anything else answering is another server.
  if (status >= 400 && status < 500 && status !== 401 && status !== 403 && (typeof body !== 'object' || body?.error === undefined))
    return notElasticsearchError(url, `it answered ${status} with ${describeBody(body)}`);
  if (status === 401) {
    return new ClusterError(
      `authentication failed at ${url}: check the API key (--api-key, MITRA_ES_API_KEY) or user and password (--user/--password)`,
      { cause: e },
    );
  }
  if (status === 403) {
    return new ClusterError(
      `permission denied at ${url}: ${reason}; grant the user the privileges listed in the README (Secured clusters)`,
      { cause: e },
    );
  }
  return new ClusterError(`Elasticsearch at ${url} answered ${status}: ${reason}`, { cause: e });
}

/** The most specific reason in an Elasticsearch error body. */
export function responseReason(e: EsResponseError): string {
  const body = e.meta?.body as
    | { error?: { reason?: string; type?: string; root_cause?: { reason?: string }[]; caused_by?: { reason?: string } } | string }
    | undefined;
  const err = body?.error;
  if (typeof err === 'string') return err;
  return err?.caused_by?.reason ?? err?.root_cause?.[0]?.reason ?? err?.reason ?? err?.type ?? firstLine(e.message);
}

/** undici reports TLS failures by message only ("self-signed certificate"). */
function tlsMessage(e: unknown): string | undefined {
  const message = firstLine((e as Error)?.message ?? '');
  return /certificate|self[- ]signed|fingerprint|TLS|SSL/i.test(message) ? message : undefined;
}

function chain(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let i = 0; cur && i < 5; i++) {
    const err = cur as { message?: string; code?: string; cause?: unknown };
    parts.push(`${err.code ?? ''} ${err.message ?? String(cur)}`);
    cur = err.cause;
  }
  return parts.join(' | ');
}

/** Also the one place client error text enters a message, so URLs in it lose their credentials here. */
const firstLine = (s: string) => redactUrls(s.split('\n')[0].trim());

export function readCa(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read CA file ${path} (${(e as NodeJS.ErrnoException).code}): check --ca-file / MITRA_ES_CA_FILE`);
  }
}

export function normaliseFingerprint(fp: string): string {
  const hex = fp.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  if (hex.length !== 64)
    throw new ConfigError(`CA fingerprint "${fp}" is not a sha256 fingerprint (64 hex digits): check --ca-fingerprint`);
  return hex.match(/../g)!.join(':');
}
