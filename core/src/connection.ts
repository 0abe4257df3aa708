import { Client, Transport, type ClientOptions, type TransportOptions } from '@elastic/elasticsearch';
import type { MitraClient } from './client';
import type { ConnectionConfig } from './config';
import {
  explainError,
  normaliseFingerprint,
  notElasticsearch,
  notElasticsearchError,
  parseServerInfo,
  readCa,
  responseReason,
  type ServerInfo,
} from './explain';
import { displayUrl, redactUrls } from './url';

export { displayUrl, redactUrls, explainError, notElasticsearchError, parseServerInfo, responseReason, type ServerInfo };

/**
 * Compatibility mode, for servers that predate the 8.x client's protocol:
 * Elasticsearch 7.x and OpenSearch. It changes exactly two things, through the
 * client's own `Transport` option:
 *  - media types: plain `application/json` / `application/x-ndjson` instead of
 *    `application/vnd.elasticsearch+json; compatible-with=8`, which 7.x rejects;
 *  - no product check: 7.10 and OpenSearch do not send `x-elastic-product`.
 * Request and response bodies are untouched; APIs that do not exist on the
 * server fail as the server says.
 */
export class CompatTransport extends Transport {
  constructor(opts: TransportOptions) {
    super({
      ...opts,
      productCheck: undefined,
      vendoredHeaders: {
        jsonContentType: 'application/json',
        ndjsonContentType: 'application/x-ndjson',
        accept: 'application/json, text/plain',
      },
    });
  }
}

export type ClientMode = 'native' | 'compat';

export interface Connection {
  client: Client;
  mode: ClientMode;
  server: ServerInfo;
  /** The first node's URL for display: never its userinfo (see displayUrl). */
  url: string;
}

/** The mode for a server, from its `GET /` answer. */
export function chooseMode(server: ServerInfo): ClientMode {
  return server.distribution === 'elasticsearch' && server.major >= 8 ? 'native' : 'compat';
}

export function clientOptions(config: ConnectionConfig, mode: ClientMode): ClientOptions {
  const options: ClientOptions = {
    nodes: config.nodes,
    requestTimeout: config.requestTimeoutMs,
    maxRetries: 2,
  };
  if (mode === 'compat') options.Transport = CompatTransport;
  if (config.apiKey) options.auth = { apiKey: config.apiKey };
  else if (config.username) options.auth = { username: config.username, password: config.password ?? '' };
  if (config.caFingerprint) options.caFingerprint = normaliseFingerprint(config.caFingerprint);
  // A pinned CA fingerprint is the trust anchor: the client checks the chain against it itself,
  // so Node's own verification (which knows no such CA) must not reject the chain first.
  const pinnedOnly = Boolean(config.caFingerprint) && !config.caFile;
  options.tls = { rejectUnauthorized: config.verifyTls && !pinnedOnly };
  if (config.caFile) options.tls.ca = readCa(config.caFile);
  return options;
}

/**
 * Connects and picks the client mode from the server's own `GET /` answer,
 * so one code path serves 7.10, OpenSearch and 8.x/9.x clusters.
 */
export async function connect(config: ConnectionConfig): Promise<Connection> {
  const url = displayUrl(config.nodes[0]);
  // No retries on the probe: an unreachable cluster should fail in milliseconds, not after backoff.
  const probe = new Client({ ...clientOptions(config, 'compat'), maxRetries: 0 });
  let server: ServerInfo;
  try {
    server = parseServerInfo(await probe.info(), url);
  } catch (e) {
    throw notElasticsearch(e, url) ?? explainError(e, url);
  } finally {
    await probe.close();
  }
  const mode = chooseMode(server);
  return { client: new Client(clientOptions(config, mode)), mode, server, url };
}

/** Checks, after an unexpected failure, whether the client's server is Elasticsearch at all (ClusterError when not). */
export async function checkServer(client: MitraClient, url: string): Promise<void> {
  let info: unknown;
  try {
    info = await client.info();
  } catch (e) {
    throw notElasticsearch(e, url) ?? explainError(e, url);
  }
  parseServerInfo(info, url);
}
