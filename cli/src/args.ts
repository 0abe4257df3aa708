import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  connect,
  readConfigFile,
  resolveConnection,
  resolveIndexConfig,
  UsageError,
  type Connection,
  type ConnectionFlags,
  type RawConfigFile,
} from '@mitra/core';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command that talks to the cluster accepts. */
export const CONNECTION_OPTIONS = {
  es: { type: 'string' },
  'api-key': { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  'ca-file': { type: 'string' },
  'ca-fingerprint': { type: 'string' },
  insecure: { type: 'boolean' },
  prefix: { type: 'string' },
  config: { type: 'string', short: 'c' },
} as const satisfies Options;

export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export const CONNECTION_HELP = `Connection (flags, then MITRA_ES_* environment, then the config file):
  --es URL              Elasticsearch URL(s), comma-separated (MITRA_ES_URL, default http://127.0.0.1:9200)
  --api-key KEY         API key, base64 id:key (MITRA_ES_API_KEY)
  --user U --password P basic auth (MITRA_ES_USERNAME, MITRA_ES_PASSWORD)
  --ca-file PEM         CA certificate for TLS (MITRA_ES_CA_FILE)
  --ca-fingerprint SHA  sha256 fingerprint of the CA (MITRA_ES_CA_FINGERPRINT)
  --insecure            skip TLS verification (MITRA_ES_VERIFY_TLS=false)
  --prefix P            index and pipeline prefix (MITRA_PREFIX, config indexer.prefix, default mitra-)
  -c, --config FILE     runner.yaml (the original format works unchanged)
  --json                one JSON document on stdout
  --debug               stack traces on errors`;

/** parseArgs with messages that name the flag and point at --help. */
export function parseCommand<O extends Options>(
  command: string,
  argv: string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(
      `mitra ${command}: ${(e as Error).message.split('\n')[0].replace(/\. To specify.*$/, '')}; see mitra ${command} --help`,
    );
  }
}

export interface ConnectionValues {
  es?: string;
  'api-key'?: string;
  user?: string;
  password?: string;
  'ca-file'?: string;
  'ca-fingerprint'?: string;
  insecure?: boolean;
  prefix?: string;
  config?: string;
}

export function connectionFlags(v: ConnectionValues): ConnectionFlags {
  return {
    es: v.es,
    apiKey: v['api-key'],
    user: v.user,
    password: v.password,
    caFile: v['ca-file'],
    caFingerprint: v['ca-fingerprint'],
    insecure: v.insecure,
    prefix: v.prefix,
  };
}

export interface ClusterContext {
  connection: Connection;
  prefix: string;
  file: RawConfigFile;
}

/** Resolves flags, env and config file, then connects (one GET / to pick the client mode). */
export async function openCluster(v: ConnectionValues): Promise<ClusterContext> {
  const file = v.config ? readConfigFile(v.config) : {};
  const flags = connectionFlags(v);
  const { prefix } = resolveIndexConfig(flags, file);
  const connection = await connect(resolveConnection(flags, file));
  return { connection, prefix, file };
}
