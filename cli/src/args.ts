import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ZodTypeAny } from 'zod';
import {
  check,
  checkConfigFile,
  cliFlag,
  COMMAND_FLAGS,
  commandShape,
  fieldInfo,
  SHORT_FLAGS,
  type CommandName,
  type CommandValues,
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

export const CONNECTION_HELP = `Connection (flags, then MITRA_ES_* environment, then the config file):
  --es URL              Elasticsearch URL(s), comma-separated (MITRA_ES_URL, default http://127.0.0.1:9200)
  --api-key KEY         API key, base64 id:key (MITRA_ES_API_KEY)
  --user U --password P basic auth (MITRA_ES_USERNAME, MITRA_ES_PASSWORD)
  --ca-file PEM         CA certificate for TLS (MITRA_ES_CA_FILE)
  --ca-fingerprint SHA  sha256 fingerprint of the CA (MITRA_ES_CA_FINGERPRINT)
  --insecure            skip TLS verification (MITRA_ES_VERIFY_TLS=false; true/false, 1/0, yes/no, on/off)
  --prefix P            index and pipeline prefix (MITRA_PREFIX, config indexer.prefix, default mitra-)
  -c, --config FILE     runner.yaml (the original format works unchanged; unknown keys are refused)
  MITRA_ES_TIMEOUT_MS   request timeout, 1 to 600000 ms (default 30000)
  --json                one JSON document on stdout
  --debug               stack traces on errors`;

/** parseArgs options derived from a command's declared flags (core/src/commands.ts). */
export function optionsOf(command: CommandName): Options {
  const options: Options = {};
  for (const [name, field] of Object.entries(COMMAND_FLAGS[command] as Record<string, ZodTypeAny>)) {
    const kind = fieldInfo(field)?.kind;
    options[name] = {
      type: kind === 'flag' ? 'boolean' : 'string',
      ...(kind === 'list' ? { multiple: true } : {}),
      ...(SHORT_FLAGS[name] ? { short: SHORT_FLAGS[name] } : {}),
    };
  }
  return options;
}

/**
 * parseArgs with the command's declared flags, then the values checked
 * against their shapes: every problem is one UsageError line naming the flag
 * and what it accepts (exit 2), before anything connects. With --help the
 * values are not checked (the command prints its usage).
 */
export function parseCommand<N extends CommandName>(command: N, argv: string[]): { values: CommandValues<N>; positionals: string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: optionsOf(command), allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(
      `mitra ${command}: ${(e as Error).message.split('\n')[0].replace(/\. To specify.*$/, '')}; see mitra ${command} --help`,
    );
  }
  if (parsed.values.help) return { values: parsed.values as CommandValues<N>, positionals: parsed.positionals };
  try {
    return { values: check(commandShape(command), parsed.values, cliFlag) as CommandValues<N>, positionals: parsed.positionals };
  } catch (e) {
    throw new UsageError(`${(e as Error).message}; see mitra ${command} --help`);
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
async function openCluster(v: ConnectionValues): Promise<ClusterContext> {
  const file = v.config ? checkConfigFile(readConfigFile(v.config), v.config) : {};
  const flags = connectionFlags(v);
  const { prefix } = resolveIndexConfig(flags, file);
  const connection = await connect(resolveConnection(flags, file));
  return { connection, prefix, file };
}

/** Opens the cluster the flags name, runs `work` with it, and closes the client whatever happens. */
export async function withCluster<T>(v: ConnectionValues, work: (cluster: ClusterContext) => Promise<T>): Promise<T> {
  const cluster = await openCluster(v);
  try {
    return await work(cluster);
  } finally {
    await cluster.connection.client.close();
  }
}
