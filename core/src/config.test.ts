import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConfigFile, readConfigFile, resolveConnection, resolveIndexConfig } from './config';
import { ConfigError } from './errors';

const SEED = `log: {file: /tmp/runner.log, maxsize: 10, level: info}
indexer: {prefix: mitra_, es_host: ubuntu02, es_port: 9200, maxsize: 10}  # maxsize in MB, -1 = no limit
files: [/etc/hosts, /etc/resolv.conf, /etc/sysctl.conf, /etc/security/limits.conf,
        /etc/ntp.conf, /etc/fstab, /tmp/pkgs, /proc/meminfo, /proc/version]
frequency: 300  # seconds
`;

const write = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'mitra-cfg-')), 'runner.yaml');
  writeFileSync(path, text);
  return path;
};

describe('the original runner.yaml', () => {
  const file = readConfigFile(write(SEED));

  test('es_host and es_port become the cluster URL, prefix is kept', () => {
    expect(resolveConnection({}, file, {}).nodes).toEqual(['http://ubuntu02:9200']);
    expect(resolveIndexConfig({}, file, {}).prefix).toBe('mitra_');
  });

  test('environment overrides the file, flags override both', () => {
    expect(resolveConnection({}, file, { MITRA_ES_URL: 'http://a:1' }).nodes).toEqual(['http://a:1']);
    expect(resolveConnection({ es: 'https://b:2/' }, file, { MITRA_ES_URL: 'http://a:1' }).nodes).toEqual(['https://b:2']);
  });
});

test('defaults: local engine, TLS verification on, default prefix', () => {
  const c = resolveConnection({}, {}, {});
  expect(c.nodes).toEqual(['http://127.0.0.1:9200']);
  expect(c.verifyTls).toBe(true);
  expect(resolveIndexConfig({}, {}, {}).prefix).toBe('mitra-');
});

test('credentials and TLS settings come from env, and verification is off only when asked', () => {
  const c = resolveConnection(
    {},
    {},
    { MITRA_ES_API_KEY: 'k', MITRA_ES_CA_FINGERPRINT: 'AA', MITRA_ES_VERIFY_TLS: 'false', MITRA_ES_URL: 'https://x:9200,https://y:9200' },
  );
  expect(c).toMatchObject({ apiKey: 'k', caFingerprint: 'AA', verifyTls: false, nodes: ['https://x:9200', 'https://y:9200'] });
  expect(resolveConnection({ insecure: true }, { elasticsearch: { verify_tls: true } }, {}).verifyTls).toBe(false);
});

test('bad input names the thing and the fix', () => {
  expect(() => resolveConnection({ es: 'ftp://x' }, {}, {})).toThrow(
    new ConfigError('Elasticsearch URL "ftp://x" must start with http:// or https://'),
  );
  expect(() => resolveConnection({ es: 'no url' }, {}, {})).toThrow(/is not a URL: write it like http:\/\/127.0.0.1:9200/);
  expect(() => resolveIndexConfig({ prefix: 'Bad Prefix' }, {}, {})).toThrow(/index prefix "Bad Prefix"/);
  expect(() => readConfigFile('/nonexistent/runner.yaml')).toThrow(/cannot read config file \/nonexistent\/runner.yaml \(ENOENT\)/);
  expect(() => readConfigFile(write('indexer: {prefix: [unclosed'))).toThrow(/is not valid YAML/);
  expect(() => readConfigFile(write('- a\n- b\n'))).toThrow(/must be a YAML mapping/);
});

describe('values with a form are checked, never guessed', () => {
  it('refuses a timeout or TLS switch that is not one, naming the variable and the range', () => {
    expect(() => resolveConnection({}, {}, { MITRA_ES_TIMEOUT_MS: 'abc' })).toThrow(
      'MITRA_ES_TIMEOUT_MS "abc" is out of range: use a whole number from 1 to 600000',
    );
    expect(() => resolveConnection({}, {}, { MITRA_ES_TIMEOUT_MS: '1e23' })).toThrow(ConfigError);
    expect(() => resolveConnection({}, {}, { MITRA_ES_VERIFY_TLS: 'maybe' })).toThrow(
      /MITRA_ES_VERIFY_TLS "maybe" is not known: use one of 1, true/,
    );
    expect(resolveConnection({}, {}, { MITRA_ES_TIMEOUT_MS: '1500', MITRA_ES_VERIFY_TLS: 'OFF' })).toMatchObject({
      requestTimeoutMs: 1500,
      verifyTls: false,
    });
    expect(resolveConnection({}, {}, { MITRA_ES_VERIFY_TLS: 'yes' }).verifyTls).toBe(true);
  });

  it.each([
    ['127.0.0.1:9233', '"127.0.0.1:9233"'],
    ['http://es:9200', '"http://es:9200"'],
    ['elastic:hunter2@es', '"…@es"'],
  ])('refuses es_host %j, naming the key and how to write it (never the password)', (host, shown) => {
    const message = (() => {
      try {
        resolveConnection({}, { indexer: { es_host: host, es_port: 9200 } }, {});
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toBe(
      `config indexer.es_host ${shown} is not a host name: give the name or address alone (es_host: 127.0.0.1) and the port as es_port, or the whole URL as elasticsearch.url`,
    );
  });

  it('an IPv6 es_host goes in brackets', () => {
    expect(resolveConnection({}, { indexer: { es_host: '::1', es_port: 9201 } }, {}).nodes).toEqual(['http://[::1]:9201']);
    expect(resolveConnection({}, { indexer: { es_host: 'fd00:1::5' } }, {}).nodes).toEqual(['http://[fd00:1::5]:9200']);
  });

  it('an empty MITRA_PREFIX is unset; a bad prefix names where it came from', () => {
    expect(resolveIndexConfig({}, { indexer: { prefix: 'mitra_' } }, { MITRA_PREFIX: '' }).prefix).toBe('mitra_');
    expect(() => resolveIndexConfig({}, {}, { MITRA_PREFIX: 'Bad' })).toThrow(/^index prefix "Bad" .* \(from MITRA_PREFIX\)$/);
    expect(() => resolveIndexConfig({ prefix: 'Bad' }, {}, {})).toThrow(/\(from --prefix\)$/);
    expect(() => resolveIndexConfig({}, { indexer: { prefix: 'Bad' } }, {})).toThrow(/\(from indexer.prefix in the config file\)$/);
  });

  it('refuses es_port without es_host instead of ignoring it', () => {
    expect(() => resolveConnection({}, { indexer: { es_port: 9201 } }, {})).toThrow(/es_port is set without indexer.es_host/);
    expect(() => checkConfigFile({ indexer: { es_port: 9201 } }, 'r.yaml')).toThrow(
      /config file r.yaml: key "indexer.es_port" 9201 is set without indexer.es_host/,
    );
  });

  it('refuses unknown keys in the config file as the agent does, naming the key and the known ones', () => {
    expect(() => checkConfigFile({ fiels: ['/etc/hosts'] }, 'r.yaml')).toThrow(
      /config file r.yaml: key "fiels" is not known: use log, indexer/,
    );
    // @ts-expect-error a misspelt key is what this checks
    expect(() => checkConfigFile({ indexer: { es_hots: 'a' } }, 'r.yaml')).toThrow(
      /key "indexer.es_hots" is not known: use prefix, es_host/,
    );
    // @ts-expect-error a value of the wrong type is what this checks
    expect(() => checkConfigFile({ elasticsearch: { verify_tls: 'maybe' } }, 'r.yaml')).toThrow(
      /key "elasticsearch.verify_tls" must be true or false, not "maybe"/,
    );
    const original = {
      log: { file: '/var/log/mitra.log', maxsize: 10 },
      indexer: { prefix: 'mitra_', es_host: 'es', es_port: 9200, maxsize: -1 },
      files: ['/etc/hosts'],
      frequency: 60,
    };
    expect(checkConfigFile(original, 'runner.yaml')).toBe(original);
  });
});
