import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z, type ZodTypeAny } from 'zod';
import { check, cliFlag, fieldInfo, SHORT_FLAGS, UsageError, type ConnectionFlags } from '@mitra/core/dist/base';

/*
 * Flag parsing on the client-free part of core, so `mitra agent` (which loads
 * only this, not the query library or the Elasticsearch client) parses its
 * flags exactly as every other command does.
 */

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

/** parseArgs options derived from a command's declared flags (core/src/shapes). */
export function optionsFor(fields: z.ZodRawShape): Options {
  const options: Options = {};
  for (const [name, field] of Object.entries(fields as Record<string, ZodTypeAny>)) {
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
export function parseFlags(
  command: string,
  fields: z.ZodRawShape,
  argv: string[],
  shape: ZodTypeAny = z.object(fields).strict(),
): { values: Record<string, unknown>; positionals: string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: optionsFor(fields), allowPositionals: true, strict: true });
  } catch (e) {
    throw argsError(command, e);
  }
  if (parsed.values.help) return parsed;
  try {
    return { values: check(shape, parsed.values, cliFlag) as Record<string, unknown>, positionals: parsed.positionals };
  } catch (e) {
    throw new UsageError(`${(e as Error).message}; see mitra ${command} --help`);
  }
}

/**
 * parseArgs' refusal as one line. A value that starts with "-" (a generated
 * password may) is read as an option: say how to pass it.
 */
export function argsError(command: string, e: unknown): UsageError {
  const message = (e as Error).message;
  const dashed = /^Option '(--[\w-]+)' argument is ambiguous/.exec(message);
  const what = dashed
    ? `the value of ${dashed[1]} starts with "-": write it as ${dashed[1]}=VALUE`
    : message.split('\n')[0].replace(/\. To specify.*$/, '');
  return new UsageError(`mitra ${command}: ${what}; see mitra ${command} --help`);
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
