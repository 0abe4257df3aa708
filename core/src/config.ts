import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './errors';

/** Where and how to reach Elasticsearch. */
export interface ConnectionConfig {
  nodes: string[];
  apiKey?: string;
  username?: string;
  password?: string;
  /** PEM file of the CA that signed the cluster's certificate. */
  caFile?: string;
  /** sha256 fingerprint of the cluster's CA certificate (hex, colons optional). */
  caFingerprint?: string;
  /** TLS certificate verification; on unless explicitly turned off. */
  verifyTls: boolean;
  requestTimeoutMs: number;
}

/** Names the indices and pipeline. The original tool's `indexer.prefix` maps here. */
export interface IndexConfig {
  prefix: string;
}

export const DEFAULT_ES_URL = 'http://127.0.0.1:9200';
export const DEFAULT_PREFIX = 'mitra-';

/** Connection and index settings as they may appear in flags. */
export interface ConnectionFlags {
  es?: string;
  apiKey?: string;
  user?: string;
  password?: string;
  caFile?: string;
  caFingerprint?: string;
  insecure?: boolean;
  prefix?: string;
}

/**
 * The config file: the original runner.yaml keys unchanged, plus an optional
 * `elasticsearch:` block for what the original could not express.
 */
export interface RawConfigFile {
  log?: { file?: string; maxsize?: number; level?: string };
  indexer?: { prefix?: string; es_host?: string; es_port?: number | string; maxsize?: number };
  elasticsearch?: {
    url?: string | string[];
    api_key?: string;
    username?: string;
    password?: string;
    ca_file?: string;
    ca_fingerprint?: string;
    verify_tls?: boolean;
    timeout_ms?: number;
  };
  /** How long daily history is kept: `90d` (the default) or `off` (core/src/retention). */
  retention?: string | false;
  [key: string]: unknown;
}

export function readConfigFile(path: string): RawConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot read config file ${path} (${code ?? String(e)}): check the path given to -c/--config`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (e) {
    const line = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new ConfigError(`config file ${path} is not valid YAML${line ? ` (line ${line})` : ''}: ${firstLine((e as Error).message)}`);
  }
  if (parsed == null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(
      `config file ${path} must be a YAML mapping (keys like indexer:, files:), not a ${Array.isArray(parsed) ? 'list' : typeof parsed}`,
    );
  }
  return parsed as RawConfigFile;
}

const firstLine = (s: string) => s.split('\n')[0];

/** Resolves the connection: flags, then MITRA_ES_* environment, then the config file, then defaults. */
export function resolveConnection(
  flags: ConnectionFlags = {},
  file: RawConfigFile = {},
  env: NodeJS.ProcessEnv = process.env,
): ConnectionConfig {
  const es = file.elasticsearch ?? {};
  const url = flags.es ?? env.MITRA_ES_URL ?? fileUrl(file);
  const nodes = (Array.isArray(url) ? url : (url ?? DEFAULT_ES_URL).split(','))
    .map((u) => u.trim())
    .filter(Boolean)
    .map(checkUrl);
  const verifyEnv = env.MITRA_ES_VERIFY_TLS;
  const verifyTls = flags.insecure ? false : verifyEnv !== undefined ? !/^(0|false|no|off)$/i.test(verifyEnv) : (es.verify_tls ?? true);
  const timeoutEnv = env.MITRA_ES_TIMEOUT_MS ? Number(env.MITRA_ES_TIMEOUT_MS) : undefined;
  return {
    nodes,
    apiKey: flags.apiKey ?? env.MITRA_ES_API_KEY ?? es.api_key,
    username: flags.user ?? env.MITRA_ES_USERNAME ?? es.username,
    password: flags.password ?? env.MITRA_ES_PASSWORD ?? es.password,
    caFile: flags.caFile ?? env.MITRA_ES_CA_FILE ?? es.ca_file,
    caFingerprint: flags.caFingerprint ?? env.MITRA_ES_CA_FINGERPRINT ?? es.ca_fingerprint,
    verifyTls,
    requestTimeoutMs: timeoutEnv ?? es.timeout_ms ?? 30_000,
  };
}

/** Why `prefix` cannot start index names, or undefined when it can (also the Kibana plugin's `mitra.prefix` check). */
export function prefixProblem(prefix: string): string | undefined {
  if (/^[a-z0-9][a-z0-9_.-]*$/.test(prefix)) return undefined;
  return `index prefix "${prefix}" is not a valid index name start: use lowercase letters, digits, "-", "_" or "."`;
}

export function resolveIndexConfig(flags: ConnectionFlags = {}, file: RawConfigFile = {}, env = process.env): IndexConfig {
  const prefix = flags.prefix ?? env.MITRA_PREFIX ?? file.indexer?.prefix ?? DEFAULT_PREFIX;
  const problem = prefixProblem(prefix);
  if (problem) throw new ConfigError(problem);
  return { prefix };
}

/** The original runner.yaml named the cluster by es_host/es_port (plain http). */
function fileUrl(file: RawConfigFile): string | string[] | undefined {
  if (file.elasticsearch?.url) return file.elasticsearch.url;
  const host = file.indexer?.es_host;
  if (!host) return undefined;
  const port = file.indexer?.es_port ?? 9200;
  return `http://${host}:${port}`;
}

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`Elasticsearch URL "${url}" is not a URL: write it like http://127.0.0.1:9200 (--es or MITRA_ES_URL)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`Elasticsearch URL "${url}" must start with http:// or https://`);
  }
  return url.replace(/\/+$/, '');
}
