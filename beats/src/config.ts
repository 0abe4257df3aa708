import {
  CONFIG_SECTION_KEYS,
  CONFIG_TOP_KEYS,
  ConfigError,
  resolveConnection,
  resolveIndexConfig,
  type ConnectionConfig,
  type ConnectionFlags,
  type RawConfigFile,
  WIRE_BOUNDS,
} from '@mitra/core/dist/base';
import { globToRegExp, hasGlob } from './glob';
import { controlCharacter } from './wire';
import { compileRedactions, redactDefaults, type RedactRule } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type PackageSource = 'auto' | 'dpkg' | 'rpm' | 'off';
export type SysctlSelection = { mode: 'keys'; keys: string[] } | { mode: 'all' } | { mode: 'off' };

/** The agent's configuration, validated and with every default filled in. */
export interface AgentConfig {
  /** Paths and globs as the host sees them (hostfs is prepended only when reading). */
  files: string[];
  include: RegExp[];
  exclude: RegExp[];
  frequencyMs: number;
  /** memory_interval in ms: short-interval /proc memory samples (beats/src/sampler.ts); 0 = off. */
  memoryIntervalMs: number;
  /** indexer.maxsize in bytes; Infinity for -1. */
  maxFileBytes: number;
  /** indexer.max_content_mb in bytes: the hard ceiling on content, whatever maxsize says (-1 included). */
  maxContentBytes: number;
  log: { file?: string; maxBytes: number; level: LogLevel };
  prefix: string;
  connection: ConnectionConfig;
  tags: string[];
  /** The user's `redact:` rules, applied after the default secret rules. */
  redact: RedactRule[];
  /** The default secret rules apply unless `redact: off` is written. */
  redactDefaults: boolean;
  /** Mount point of the host's root file system, "" to read this machine's own. */
  hostfs: string;
  hostName?: string;
  fqdn: boolean;
  sysctl: SysctlSelection;
  packages: PackageSource;
  output: 'elasticsearch' | 'spool';
  /** Unset: /var/lib/mitra if writable, else ~/.mitra (resolved by the agent). */
  stateDir?: string;
  spool: { dir?: string; maxBytes: number };
  allowSecrets: boolean;
}

/** The file list of the original Mitra runner.yaml. */
export const ORIGINAL_FILES = [
  '/etc/hosts',
  '/etc/resolv.conf',
  '/etc/sysctl.conf',
  '/etc/security/limits.conf',
  '/etc/ntp.conf',
  '/etc/fstab',
  '/tmp/pkgs',
  '/proc/meminfo',
  '/proc/version',
];

/** The original nine files plus the /proc and os-release files the memory and fleet questions need. */
export const DEFAULT_FILES = [...ORIGINAL_FILES, '/proc/vmstat', '/proc/zoneinfo', '/proc/buddyinfo', '/proc/loadavg', '/etc/os-release'];

/** Settings people ask about across a fleet; `sysctl: all` reads everything instead. */
export const DEFAULT_SYSCTL_KEYS = [
  'kernel.pid_max',
  'kernel.threads-max',
  'kernel.shmmax',
  'kernel.panic',
  'fs.file-max',
  'vm.swappiness',
  'vm.overcommit_memory',
  'vm.overcommit_ratio',
  'vm.min_free_kbytes',
  'vm.watermark_scale_factor',
  'vm.dirty_ratio',
  'vm.dirty_background_ratio',
  'vm.dirty_bytes',
  'vm.dirty_background_bytes',
  'vm.dirty_expire_centisecs',
  'vm.dirty_writeback_centisecs',
  'vm.max_map_count',
  'vm.zone_reclaim_mode',
  'net.core.somaxconn',
  'net.ipv4.ip_forward',
  'net.ipv4.tcp_max_syn_backlog',
];

const MB = 1024 * 1024;
export const DEFAULT_FREQUENCY_S = 300;
/** The longest wait a Node.js timer takes (2^31 - 1 ms), in whole seconds. */
export const MAX_TIMER_S = Math.floor(0x7fffffff / 1000);
export const DEFAULT_MAXSIZE_MB = 10;
export const DEFAULT_SPOOL_MB = 100;
/** One document's content travels twice per change (current + history) through the pipeline's heap. */
export const DEFAULT_MAX_CONTENT_MB = 4;
const { hostNameBytes: MAX_HOST_NAME_BYTES, tagBytes: MAX_TAG_BYTES } = WIRE_BOUNDS;

export interface ConfigSources {
  /** Where the config came from, for messages (the -c path). */
  source?: string;
  flags?: ConnectionFlags;
  env?: NodeJS.ProcessEnv;
  /** --state-dir or MITRA_STATE_DIR: wins over state_dir in the file. */
  stateDir?: string;
}

/** Validates a runner.yaml (original or extended) into an AgentConfig; every problem is one ConfigError line. */
export function parseAgentConfig(raw: RawConfigFile, sources: ConfigSources = {}): AgentConfig {
  const where = sources.source ? `config file ${sources.source}` : 'agent config';
  const check = new Checker(where);
  check.knownKeys(raw, CONFIG_TOP_KEYS, '');
  for (const [section, keys] of Object.entries(CONFIG_SECTION_KEYS)) {
    const value = raw[section];
    if (value === undefined || value === null) continue;
    if (section === 'sysctl' && typeof value === 'string') continue;
    check.knownKeys(check.mapping(value, section), keys, `${section}.`);
  }
  const log = (raw.log ?? {}) as Record<string, unknown>;
  const indexer = (raw.indexer ?? {}) as Record<string, unknown>;
  const spool = (raw.spool ?? {}) as Record<string, unknown>;
  const maxsize = check.number(indexer.maxsize, 'indexer.maxsize', DEFAULT_MAXSIZE_MB, 'a size in MB (-1 = no limit)');
  const env = sources.env ?? process.env;
  return {
    files: raw.files === undefined || raw.files === null ? DEFAULT_FILES : check.paths(raw.files, 'files'),
    include: check.stringList(raw.include, 'include').map((p) => check.glob(p, 'include')),
    exclude: check.stringList(raw.exclude, 'exclude').map((p) => check.glob(p, 'exclude')),
    frequencyMs: check.timer(check.positive(raw.frequency, 'frequency', DEFAULT_FREQUENCY_S, 'a number of seconds'), 'frequency') * 1000,
    memoryIntervalMs: check.interval(raw.memory_interval, 'memory_interval'),
    maxFileBytes: maxsize < 0 ? Infinity : maxsize * MB,
    maxContentBytes: check.positive(indexer.max_content_mb, 'indexer.max_content_mb', DEFAULT_MAX_CONTENT_MB, 'a size in MB') * MB,
    log: {
      file: check.optionalString(log.file, 'log.file'),
      maxBytes: check.positive(log.maxsize, 'log.maxsize', 10, 'a size in MB') * MB,
      level: check.level(log.level),
    },
    prefix: resolveIndexConfig(sources.flags, raw, env).prefix,
    connection: resolveConnection(sources.flags, raw, env),
    tags: check.tags(raw.tags),
    redact: compileRedactions(raw.redact, where),
    redactDefaults: redactDefaults(raw.redact, where),
    hostfs: (check.optionalString(raw.hostfs, 'hostfs') ?? '').replace(/\/+$/, ''),
    hostName: check.hostName(raw.host_name),
    fqdn: check.boolean(raw.fqdn, 'fqdn', false),
    sysctl: check.sysctl(raw.sysctl),
    packages: check.oneOf(raw.packages, 'packages', ['auto', 'dpkg', 'rpm', 'off'] as const, 'auto'),
    output: check.oneOf(raw.output, 'output', ['elasticsearch', 'spool'] as const, 'elasticsearch'),
    stateDir: sources.stateDir ?? env.MITRA_STATE_DIR ?? check.optionalString(raw.state_dir, 'state_dir'),
    spool: {
      dir: check.optionalString(spool.dir, 'spool.dir'),
      maxBytes: check.positive(spool.max_mb, 'spool.max_mb', DEFAULT_SPOOL_MB, 'a size in MB') * MB,
    },
    allowSecrets: check.boolean(raw.allow_secrets, 'allow_secrets', false),
  };
}

/** Type checks that fail with one line naming the key and what it should be. */
class Checker {
  constructor(private readonly where: string) {}

  fail(message: string): never {
    throw new ConfigError(`${this.where}: ${message}`);
  }

  knownKeys(obj: Record<string, unknown>, known: readonly string[], path: string): void {
    for (const key of Object.keys(obj)) {
      if (!known.includes(key)) this.fail(`unknown key "${path}${key}": remove it or use one of ${known.join(', ')}`);
    }
  }

  mapping(value: unknown, key: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(`"${key}" must be a mapping (key: value lines)`);
    return value as Record<string, unknown>;
  }

  number(value: unknown, key: string, fallback: number, what: string): number {
    if (value === undefined || value === null) return fallback;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) this.fail(`"${key}" must be ${what}, not ${JSON.stringify(value)}`);
    return n;
  }

  positive(value: unknown, key: string, fallback: number, what: string): number {
    const n = this.number(value, key, fallback, what);
    if (n <= 0) this.fail(`"${key}" must be ${what} greater than 0, not ${JSON.stringify(value)}`);
    return n;
  }

  /** Seconds (10, "10s", "1m") or off (missing, off, false): 0. At least 1 s. */
  interval(value: unknown, key: string): number {
    if (value === undefined || value === null || value === false || value === 'off') return 0;
    const m = typeof value === 'number' ? [String(value), String(value), 's'] : /^(\d+(?:\.\d+)?)\s*(s|m)?$/.exec(String(value).trim());
    const seconds = m ? Number(m[1]) * (m[2] === 'm' ? 60 : 1) : NaN;
    if (!(seconds >= 1)) this.fail(`"${key}" must be off or an interval of at least 1 s like 10 or 10s, not ${JSON.stringify(value)}`);
    return this.timer(seconds, key) * 1000;
  }

  /** Seconds a timer can wait: a longer setTimeout/setInterval fires after 1 ms, so the agent would loop without pause. */
  timer(seconds: number, key: string): number {
    if (seconds > MAX_TIMER_S) this.fail(`"${key}" must be at most ${MAX_TIMER_S} seconds (24 days), not ${seconds}`);
    return seconds;
  }

  boolean(value: unknown, key: string, fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') this.fail(`"${key}" must be true or false, not ${JSON.stringify(value)}`);
    return value;
  }

  optionalString(value: unknown, key: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value === '') this.fail(`"${key}" must be a non-empty string, not ${JSON.stringify(value)}`);
    return value;
  }

  /**
   * The snapshot pipeline refuses every document of a host whose name breaks these rules (and through Filebeat
   * resends each refused line forever), so such a name fails here, before anything is collected.
   */
  hostName(value: unknown): string | undefined {
    const name = this.optionalString(value, 'host_name');
    if (name === undefined) return undefined;
    const bytes = Buffer.byteLength(name);
    if (bytes > MAX_HOST_NAME_BYTES)
      this.fail(`"host_name" is ${bytes} bytes long; host names are at most ${MAX_HOST_NAME_BYTES} bytes (RFC 1035)`);
    if (controlCharacter(name) !== undefined || name.trim() !== name) {
      this.fail(`"host_name" ${JSON.stringify(name)} has control characters or surrounding spaces: give the plain name`);
    }
    return name;
  }

  /** Tags travel on every document: one the pipeline refuses would refuse them all. */
  tags(value: unknown): string[] {
    const tags = this.stringList(value, 'tags');
    for (const tag of tags) {
      const bytes = Buffer.byteLength(tag);
      if (bytes > MAX_TAG_BYTES)
        this.fail(`"tags" entry ${JSON.stringify(tag.slice(0, 40))}… is ${bytes} bytes long; a tag is at most ${MAX_TAG_BYTES} bytes`);
    }
    return tags;
  }

  stringList(value: unknown, key: string): string[] {
    if (value === undefined || value === null) return [];
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' || v === '')) {
      this.fail(`"${key}" must be a list of strings, like [a, b]`);
    }
    return list as string[];
  }

  paths(value: unknown, key: string): string[] {
    const list = this.stringList(value, key);
    const relative = list.find((p) => !p.startsWith('/'));
    if (relative) this.fail(`"${key}" entry "${relative}" must be an absolute path (start with /)`);
    // Globs are expanded every cycle: one that cannot be compiled would fail every cycle, so it fails here.
    for (const p of list) if (hasGlob(p)) this.glob(p, key);
    return list;
  }

  glob(pattern: string, key: string): RegExp {
    try {
      return globToRegExp(pattern);
    } catch (e) {
      const why = (e as Error).message.replace(/^.*: /, '');
      return this.fail(`"${key}" entry "${pattern}" is not a valid glob (${why}): fix its [...] part (ranges go low to high, like [a-z])`);
    }
  }

  oneOf<T extends string>(value: unknown, key: string, allowed: readonly T[], fallback: T): T {
    if (value === undefined || value === null) return fallback;
    if (!allowed.includes(value as T)) this.fail(`"${key}" must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}`);
    return value as T;
  }

  level(value: unknown): LogLevel {
    if (value === undefined || value === null) return 'info';
    const aliases: Record<string, LogLevel> = { warning: 'warn', critical: 'error', fatal: 'error' };
    const text = String(value).toLowerCase();
    const level = aliases[text] ?? text;
    return this.oneOf(level, 'log.level', ['debug', 'info', 'warn', 'error'] as const, 'info');
  }

  sysctl(value: unknown): SysctlSelection {
    if (value === undefined || value === null) return { mode: 'keys', keys: DEFAULT_SYSCTL_KEYS };
    if (value === 'all') return { mode: 'all' };
    if (value === 'off' || value === false) return { mode: 'off' };
    if (typeof value === 'string') this.fail(`"sysctl" must be all, off or {keys: [...]}, not ${JSON.stringify(value)}`);
    const keys = (value as { keys?: unknown }).keys;
    if (keys === 'all') return { mode: 'all' };
    const list = this.stringList(keys, 'sysctl.keys');
    const bad = list.find((k) => !/^[A-Za-z0-9_.\-/]+$/.test(k) || k.includes('..'));
    if (bad) this.fail(`"sysctl.keys" entry "${bad}" is not a sysctl name like vm.swappiness`);
    return { mode: 'keys', keys: list };
  }
}
