import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkConfigFile, ConfigError, readConfigFile, type RawConfigFile } from '@mitra/core';
import { parse } from 'yaml';
import { DEFAULT_FILES, DEFAULT_SYSCTL_KEYS, parseAgentConfig } from './config';

/** The original runner.yaml, byte for byte as the old tool documented it. */
const ORIGINAL = `log: {file: /tmp/runner.log, maxsize: 10, level: info}
indexer: {prefix: mitra_, es_host: ubuntu02, es_port: 9200, maxsize: 10}  # maxsize in MB, -1 = no limit
files: [/etc/hosts, /etc/resolv.conf, /etc/sysctl.conf, /etc/security/limits.conf, /etc/ntp.conf, /etc/fstab, /tmp/pkgs, /proc/meminfo, /proc/version]
frequency: 300  # seconds
`;

const MB = 1024 * 1024;
const parseYaml = (text: string) => parseAgentConfig(parse(text) as RawConfigFile, { env: {}, source: 'runner.yaml' });

describe('parseAgentConfig', () => {
  it('reads the original runner.yaml unchanged', () => {
    const c = parseYaml(ORIGINAL);
    expect(c.files).toEqual([
      '/etc/hosts',
      '/etc/resolv.conf',
      '/etc/sysctl.conf',
      '/etc/security/limits.conf',
      '/etc/ntp.conf',
      '/etc/fstab',
      '/tmp/pkgs',
      '/proc/meminfo',
      '/proc/version',
    ]);
    expect(c.prefix).toBe('mitra_');
    expect(c.connection.nodes).toEqual(['http://ubuntu02:9200']);
    expect(c.maxFileBytes).toBe(10 * MB);
    expect(c.frequencyMs).toBe(300_000);
    expect(c.log).toEqual({ file: '/tmp/runner.log', maxBytes: 10 * MB, level: 'info' });
    expect(c.output).toBe('elasticsearch');
    expect(c.allowSecrets).toBe(false);
    expect(c.redactDefaults).toBe(true); // the original format gets the default secret rules
  });

  it('fills defaults for an empty file: the fourteen default files, 300 s, 10 MB', () => {
    const c = parseAgentConfig({}, { env: {} });
    expect(c.files).toEqual(DEFAULT_FILES);
    expect(c.files).toHaveLength(14);
    expect(c.frequencyMs).toBe(300_000);
    expect(c.maxFileBytes).toBe(10 * MB);
    expect(c.sysctl).toEqual({ mode: 'keys', keys: DEFAULT_SYSCTL_KEYS });
    expect(c.packages).toBe('auto');
    expect(c.prefix).toBe('mitra-');
  });

  it('accepts the annotated runner.example.yaml as documented', () => {
    const c = parseAgentConfig(readConfigFile(join(__dirname, '../runner.example.yaml')), { env: {} });
    expect(c.files).toContain('/etc/sysctl.d/*.conf');
    expect(c.redact[0].pattern.test('license_key = x')).toBe(true);
    expect(c.redactDefaults).toBe(true);
    expect(c.sysctl).toMatchObject({ mode: 'keys' });
  });

  it('maps maxsize -1 to no limit', () => {
    expect(parseYaml('indexer: {maxsize: -1}').maxFileBytes).toBe(Infinity);
  });

  it('keeps a hard content ceiling, max_content_mb (default 4 MB), whatever maxsize says', () => {
    expect(parseYaml('indexer: {maxsize: -1}').maxContentBytes).toBe(4 * MB);
    expect(parseYaml('indexer: {maxsize: -1, max_content_mb: 2}').maxContentBytes).toBe(2 * MB);
    expect(() => parseYaml('indexer: {max_content_mb: 0}')).toThrow(
      'config file runner.yaml: "indexer.max_content_mb" must be a size in MB greater than 0, not 0',
    );
    expect(() => parseYaml('indexer: {max_content_mb: lots}')).toThrow(/"indexer.max_content_mb" must be a size in MB/);
  });

  it('refuses a host_name or tag the pipeline would refuse on every document, naming the key', () => {
    expect(parseYaml('host_name: web-01.example.com').hostName).toBe('web-01.example.com');
    expect(() => parseYaml(`host_name: ${'h'.repeat(256)}`)).toThrow(
      'config file runner.yaml: "host_name" is 256 bytes long; host names are at most 255 bytes (RFC 1035)',
    );
    expect(() => parseYaml('host_name: "web\\tx"')).toThrow(
      'config file runner.yaml: "host_name" "web\\tx" has control characters or surrounding spaces: give the plain name',
    );
    expect(parseYaml(`tags: [${'t'.repeat(1024)}]`).tags).toEqual(['t'.repeat(1024)]);
    expect(() => parseYaml(`tags: [ok, ${'t'.repeat(1025)}]`)).toThrow(
      `config file runner.yaml: "tags" entry "${'t'.repeat(40)}"… is 1025 bytes long; a tag is at most 1024 bytes`,
    );
  });

  it('reads every extension', () => {
    const c = parseYaml(`
files: [/etc/sysctl.d/*.conf]
include: ['/etc/**']
exclude: ['/etc/sysctl.d/99-*']
tags: [prod, db]
redact: [{pattern: 'password=\\S+', replacement: 'password=***'}]
hostfs: /hostfs/
host_name: web-01
fqdn: true
sysctl: {keys: [vm.swappiness]}
packages: rpm
output: spool
spool: {dir: /var/spool/mitra, max_mb: 5}
state_dir: /srv/mitra
allow_secrets: true
elasticsearch: {url: 'https://es:9200', api_key: abc}
`);
    expect(c.include[0].test('/etc/a/b')).toBe(true);
    expect(c.exclude[0].test('/etc/sysctl.d/99-x.conf')).toBe(true);
    expect(c.tags).toEqual(['prod', 'db']);
    expect(c.redact[0].pattern.source).toBe('password=\\S+');
    expect(c.hostfs).toBe('/hostfs');
    expect(c.hostName).toBe('web-01');
    expect(c.fqdn).toBe(true);
    expect(c.sysctl).toEqual({ mode: 'keys', keys: ['vm.swappiness'] });
    expect(c.packages).toBe('rpm');
    expect(c.output).toBe('spool');
    expect(c.spool).toEqual({ dir: '/var/spool/mitra', maxBytes: 5 * MB });
    expect(c.stateDir).toBe('/srv/mitra');
    expect(c.allowSecrets).toBe(true);
    expect(c.connection.nodes).toEqual(['https://es:9200']);
    expect(c.connection.apiKey).toBe('abc');
  });

  it('takes sysctl: all and sysctl: off', () => {
    expect(parseYaml('sysctl: all').sysctl).toEqual({ mode: 'all' });
    expect(parseYaml('sysctl: off').sysctl).toEqual({ mode: 'off' });
  });

  it('lets --state-dir and MITRA_STATE_DIR win over state_dir', () => {
    const raw = { state_dir: '/from/file' };
    expect(parseAgentConfig(raw, { env: { MITRA_STATE_DIR: '/from/env' } }).stateDir).toBe('/from/env');
    expect(parseAgentConfig(raw, { env: { MITRA_STATE_DIR: '/from/env' }, stateDir: '/from/flag' }).stateDir).toBe('/from/flag');
  });

  it.each([
    ['fiels: [/etc/hosts]', /unknown key "fiels"/],
    ['indexer: {prefix: x, es_hots: a}', /unknown key "indexer.es_hots"/],
    ['spool: {max: 3}', /unknown key "spool.max"/],
    ['frequency: soon', /"frequency" must be a number of seconds, not "soon"/],
    ['frequency: 0', /"frequency" must be a number of seconds greater than 0/],
    // Beyond 2^31 - 1 ms a timer fires after 1 ms: a cycle every millisecond instead of once a month.
    ['frequency: 2592000', /"frequency" must be at most 2147483 seconds \(24 days\), not 2592000/],
    ['memory_interval: 2592000s', /"memory_interval" must be at most 2147483 seconds \(24 days\), not 2592000/],
    ['indexer: {maxsize: big}', /"indexer.maxsize" must be a size in MB/],
    ['files: [etc/hosts]', /"files" entry "etc\/hosts" must be an absolute path/],
    // Compiled at every cycle, these failed every cycle ('unexpected error: Invalid regular expression' with --once).
    ['files: ["/etc/[z-a].conf"]', /"files" entry "\/etc\/\[z-a\].conf" is not a valid glob \(Range out of order in character class\)/],
    ['exclude: ["/etc/[z-a]"]', /"exclude" entry "\/etc\/\[z-a\]" is not a valid glob/],
    ['output: kafka', /"output" must be one of elasticsearch, spool, not "kafka"/],
    ['packages: apt', /"packages" must be one of auto, dpkg, rpm, off/],
    ['log: {level: loud}', /"log.level" must be one of debug, info, warn, error/],
    ['redact: [{pattern: "("}]', /"redact\[0\].pattern" is not a valid regular expression/],
    ['redact: [{pattern: a, with: b}]', /unknown key "redact\[0\].with"/],
    ['sysctl: {keys: ["../../etc/shadow"]}', /not a sysctl name/],
    ['allow_secrets: yes please', /"allow_secrets" must be true or false/],
  ])('rejects %s with one line naming the key', (text, message) => {
    let error: unknown;
    try {
      parseYaml(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/^config file runner\.yaml: /);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('one config file for the CLI and the agent', () => {
  // The annotated example uses every section; both readers must take it as it is.
  const example = readFileSync(join(__dirname, '..', 'runner.example.yaml'), 'utf8');
  const withWebhooks = `${example}\nwebhooks: {allow_hosts: [hooks.example.com]}\n`;

  it('the CLI accepts every key the agent reads, and the agent every key the CLI reads', () => {
    const raw = parse(withWebhooks) as RawConfigFile;
    expect(() => checkConfigFile(raw, 'runner.example.yaml')).not.toThrow();
    expect(() => parseAgentConfig(raw, { env: {}, source: 'runner.example.yaml' })).not.toThrow();
  });

  it('both refuse a key neither reads, naming it', () => {
    const raw = parse(`${example}\nfrequncy: 30\n`) as RawConfigFile;
    expect(() => checkConfigFile(raw, 'runner.yaml')).toThrow(/frequncy/);
    expect(() => parseAgentConfig(raw, { env: {}, source: 'runner.yaml' })).toThrow(/frequncy/);
  });
});
