import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, MitraError } from './errors';
import { check, type Namer } from './shapes/check';
import { int, oneOf } from './shapes/fields';
import { displayUrl } from './url';

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
  // An empty MITRA_ES_URL is unset, not "no nodes".
  const url = flags.es ?? (env.MITRA_ES_URL || undefined) ?? fileUrl(file);
  const nodes = (Array.isArray(url) ? url : (url ?? DEFAULT_ES_URL).split(','))
    .map((u) => u.trim())
    .filter(Boolean)
    .map(checkUrl);
  if (!nodes.length) throw new ConfigError('no Elasticsearch URL given: write one like http://127.0.0.1:9200 (--es or MITRA_ES_URL)');
  const checked = checkEnv(env);
  const verifyEnv = checked.MITRA_ES_VERIFY_TLS;
  const verifyTls = flags.insecure ? false : verifyEnv !== undefined ? TRUE_WORDS.includes(verifyEnv) : (es.verify_tls ?? true);
  const timeoutEnv = checked.MITRA_ES_TIMEOUT_MS;
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
  // An empty MITRA_PREFIX is unset, as an empty MITRA_ES_URL is.
  const sources: [string | undefined, string][] = [
    [flags.prefix, '--prefix'],
    [env.MITRA_PREFIX || undefined, 'MITRA_PREFIX'],
    [file.indexer?.prefix, 'indexer.prefix in the config file'],
    [DEFAULT_PREFIX, 'the default'],
  ];
  const [prefix, from] = sources.find(([value]) => value !== undefined) as [string, string];
  const problem = prefixProblem(prefix);
  if (problem) throw new ConfigError(`${problem} (from ${from})`);
  return { prefix };
}

/** The original runner.yaml named the cluster by es_host/es_port (plain http). */
function fileUrl(file: RawConfigFile): string | string[] | undefined {
  if (file.elasticsearch?.url) return file.elasticsearch.url;
  const host = file.indexer?.es_host;
  if (!host) {
    if (file.indexer?.es_port !== undefined && file.indexer?.es_port !== null)
      throw new ConfigError(
        'config indexer.es_port is set without indexer.es_host: add es_host (the port alone names no cluster), or remove es_port',
      );
    return undefined;
  }
  const port = file.indexer?.es_port ?? 9200;
  // An IPv6 address (two colons or more) goes in brackets; one colon is a port written into the host.
  if (/^[0-9a-f.]*:[0-9a-f.]*:[0-9a-f:.]*$/i.test(host)) return `http://[${host}]:${port}`;
  if (/[:/@\s]/.test(host)) {
    // Never quote credentials written into it (user:password@host).
    const shown = host.includes('@') ? `…${host.slice(host.lastIndexOf('@'))}` : host;
    throw new ConfigError(
      `config indexer.es_host "${shown}" is not a host name: give the name or address alone (es_host: 127.0.0.1) and the port as es_port, or the whole URL as elasticsearch.url`,
    );
  }
  return `http://${host}:${port}`;
}

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(
      `Elasticsearch URL "${displayUrl(url)}" is not a URL: write it like http://127.0.0.1:9200 (--es or MITRA_ES_URL)`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`Elasticsearch URL "${displayUrl(url)}" must start with http:// or https://`);
  }
  return url.replace(/\/+$/, '');
}

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const BOOL_WORDS: [string, ...string[]] = ['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off'];
export const MAX_TIMEOUT_MS = 600_000;

/** The environment variables whose values have a form (the others are free text: URLs, keys, paths). */
export const ENV_SHAPE = z.object({
  MITRA_ES_TIMEOUT_MS: int(1, MAX_TIMEOUT_MS, '30000').optional(),
  MITRA_ES_VERIFY_TLS: z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), oneOf(BOOL_WORDS, 'true')).optional(),
});

const envName: Namer = (path) => String(path[0]);

function checkEnv(env: NodeJS.ProcessEnv): z.output<typeof ENV_SHAPE> {
  const given = Object.fromEntries(Object.keys(ENV_SHAPE.shape).flatMap((k) => (env[k]?.trim() ? [[k, env[k]]] : [])));
  try {
    return check(ENV_SHAPE, given, envName);
  } catch (e) {
    throw new ConfigError((e as MitraError).message);
  }
}

const text = () => z.string({ invalid_type_error: 'must be text' });
const port = z.union([z.number().int().min(1).max(65535), z.string().regex(/^\d{1,5}$/)], {
  errorMap: () => ({ message: 'must be a port number from 1 to 65535' }),
});

/**
 * Every key a config file (runner.yaml) may hold, declared once: the CLI
 * checks the sections it reads (CONFIG_FILE_SHAPE), the agent the rest
 * (beats/src/config.ts), and neither refuses a key the other needs.
 */
export const CONFIG_SECTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  log: ['file', 'maxsize', 'level'],
  indexer: ['prefix', 'es_host', 'es_port', 'maxsize', 'max_content_mb'],
  elasticsearch: ['url', 'api_key', 'username', 'password', 'ca_file', 'ca_fingerprint', 'verify_tls', 'timeout_ms'],
  spool: ['dir', 'max_mb'],
  sysctl: ['keys'],
  webhooks: ['allow_hosts', 'allow_http', 'allow_networks', 'max_response_kb', 'timeout_ms'],
};

/** Top-level keys only the agent reads (plain values or lists). */
const AGENT_KEYS = [
  'files',
  'frequency',
  'memory_interval',
  'tags',
  'include',
  'exclude',
  'redact',
  'hostfs',
  'host_name',
  'fqdn',
  'packages',
  'output',
  'state_dir',
  'allow_secrets',
];

export const CONFIG_TOP_KEYS: readonly string[] = [...Object.keys(CONFIG_SECTION_KEYS), ...AGENT_KEYS];

/**
 * The config file's declared shape: the original runner.yaml keys, the
 * `elasticsearch:` block, and the agent's extensions (beats/src/config.ts
 * checks those in depth). Unknown keys are refused here as the agent refuses
 * them, so a typo fails the same way for `mitra search -c` and `mitra agent -c`.
 */
export const CONFIG_FILE_SHAPE = z
  .object({
    // The sections below are the CLI's; the rest it passes on unread (the agent checks them, webhooks by webhookPolicy).
    ...Object.fromEntries(CONFIG_TOP_KEYS.map((k) => [k, z.unknown()])),
    log: z.object({ file: text().optional(), maxsize: z.number().optional(), level: text().optional() }).strict().nullish(),
    indexer: z
      .object({
        prefix: text().optional(),
        es_host: text().optional(),
        es_port: port.optional(),
        maxsize: z.number().optional(),
        max_content_mb: z.number().optional(),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.es_port !== undefined && !v.es_host)
          ctx.addIssue({
            code: 'custom',
            path: ['es_port'],
            message: 'is set without indexer.es_host: add es_host (the port alone names no cluster), or remove es_port',
          });
      })
      .nullish(),
    elasticsearch: z
      .object({
        url: z.union([text(), z.array(text())], { errorMap: () => ({ message: 'must be a URL or a list of URLs' }) }).optional(),
        api_key: text().optional(),
        username: text().optional(),
        password: text().optional(),
        ca_file: text().optional(),
        ca_fingerprint: text().optional(),
        verify_tls: z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
        timeout_ms: z.number().int().min(1).max(MAX_TIMEOUT_MS, `must be at most ${MAX_TIMEOUT_MS} ms`).optional(),
      })
      .strict()
      .nullish(),
  })
  .strict();

/** Checks a config file against CONFIG_FILE_SHAPE: one ConfigError line naming the key. */
export function checkConfigFile(file: RawConfigFile, path: string): RawConfigFile {
  try {
    check(CONFIG_FILE_SHAPE, file, (p) => `key "${p.join('.')}"`);
  } catch (e) {
    throw new ConfigError(`config file ${path}: ${(e as MitraError).message}`);
  }
  return file;
}
