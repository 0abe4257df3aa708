import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseKey, redactSecrets, refusedContent, refusedPath } from './detect';
import { rulesMarkdown } from './rules';

const R = '«redacted:R»';
const mark = () => R;
const red = (text: string, path = '/etc/app.conf') => redactSecrets(text, mark, path);

/** [input line, expected line]: every syntax and credential kind the rules promise to redact. */
const REDACTED: [string, string][] = [
  ['password = hunter2', `password = ${R}`],
  ['  password=s3cret', `  password=${R}`],
  ['# password = oldsecret', `# password = ${R}`],
  ['DB_PASSWORD=Sup3rS3cret', `DB_PASSWORD=${R}`],
  ['export DB_PASSWORD="Sup3r S3cret"', `export DB_PASSWORD="${R}"`],
  ['- DB_PASS=composeS3cret', `- DB_PASS=${R}`],
  ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', `aws_secret_access_key = ${R}`],
  ['aws_session_token = FwoGZXIvYXdzEJr//////////wEaDNf', `aws_session_token = ${R}`],
  ['api_key: sk-live-abcdef', `api_key: ${R}`],
  ['apiKey: camelS3cret', `apiKey: ${R}`],
  ['x-api-key: hdrS3cret', `x-api-key: ${R}`],
  ['{"api_key": "sk-live-abcdef", "user": "bob"}', `{"api_key": "${R}", "user": "bob"}`],
  ['  "client_secret": "gcpS3cret",', `  "client_secret": "${R}",`],
  ['  "refresh_token": "1//0gRefresh",', `  "refresh_token": "${R}",`],
  ['"clientSecret": "azS3cret"', `"clientSecret": "${R}"`],
  ['  "accessToken": "azAccess"', `  "accessToken": "${R}"`],
  ['  "auth": "dXNlcjpwYXNz"', `  "auth": "${R}"`],
  ['    client-key-data: LS0tLS1CRUdJTiBSU0E=', `    client-key-data: ${R}`],
  ['    token: kubeT0ken', `    token: ${R}`],
  ['        id-token: oidcT0ken', `        id-token: ${R}`],
  ['requirepass foobared', `requirepass ${R}`],
  ['bindpw ldapS3cret', `bindpw ${R}`],
  ['ldap_default_authtok = sssdS3cret', `ldap_default_authtok = ${R}`],
  ['secret_key_base: railsS3cret', `secret_key_base: ${R}`],
  ["SECRET_KEY = 'djangoS3cret'", `SECRET_KEY = '${R}'`],
  ['machine api.example.com login bob password n3trc', `machine api.example.com login bob password ${R}`],
  ['DATABASE_URL=postgres://app:pgS3cret@db:5432/app', `DATABASE_URL=postgres://app:${R}@db:5432/app`],
  ['dbname=app user=app password=libpqS3cret host=db', `dbname=app user=app password=${R} host=db`],
  ['ExecStart=/usr/bin/app --password=cliS3cret --port 80', `ExecStart=/usr/bin/app --password=${R} --port 80`],
  ['admin:$apr1$abcdefgh$ijklmnopqrstuv', `admin:${R}`],
  ['<password>xmlS3cret</password>', `<password>${R}</password>`],
  ['<user username="tomcat" password="tomcatS3cret" roles="x"/>', `<user username="tomcat" password="${R}" roles="x"/>`],
  ["define( 'DB_PASSWORD', 'wpS3cret' );", `define( 'DB_PASSWORD', '${R}' );`],
  [
    'conn=DefaultEndpointsProtocol=https;AccountName=a;AccountKey=azK3y==;EndpointSuffix=x',
    `conn=DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${R};EndpointSuffix=x`,
  ],
  ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2ln', `Authorization: Bearer ${R}`],
  ['GITHUB=ghp_abcdefghijklmnopqrstuvwxyz0123456789', `GITHUB=${R}`],
  ['  "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADAN\\n-----END PRIVATE KEY-----\\n",', `  "private_key": "${R}\\n",`],
];

/** Lookalikes: keys about secrets (lengths, ages, types, files), not secrets. Must come out unchanged. */
const UNTOUCHED = [
  'password_min_len = 8',
  'PASS_MAX_DAYS\t99999',
  'PASS_MIN_DAYS\t0',
  'PASS_MIN_LEN 5',
  'PASS_WARN_AGE\t7',
  '#password',
  '# password',
  'token_type = bearer',
  'token_lifetime: 3600',
  'password_file = /etc/app/pass',
  'api_key_header: X-API-Key',
  'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
  '  "private_key_id": "abc123",',
  '    client-certificate-data: LS0tLS1CRUdJTiBDRVJU',
  '    certificate-authority-data: LS0tLS1CRUdJTiBDRVJU',
  'PasswordAuthentication no',
  '#PermitEmptyPasswords no',
  'password   requisite   pam_pwquality.so retry=3',
  'auth required pam_unix.so',
  'Defaults passwd_timeout=1.5',
  'ssl_certificate_key /etc/ssl/private/x.key;',
  'secret_ref = ${DB_SECRET}',
  'password: "{{ vault_db_password }}"',
  'tokenizer: standard',
  'bypass = true',
  'compass = north',
  '  authorization: enabled',
  'root:x:0:0:root:/root:/bin/bash',
  'shadow:x:42:',
  'Committed_AS:    123 kB',
  'url = http://example.com:8080/path',
  'password:',
];

describe('redactSecrets', () => {
  it.each(REDACTED)('redacts %j', (input, expected) => {
    expect(red(input)).toBe(expected);
    expect(red(`${input}\r`)).toBe(`${expected}\r`); // CRLF files keep their line ends
  });

  it.each(UNTOUCHED)('leaves the lookalike %j alone', (line) => expect(red(line)).toBe(line));

  it('keeps every other line and the structure of the file', () => {
    const text = '[db]\nhost = db1\nport = 5432\npassword = hunter2\n\n[cache]\nttl = 60\n';
    expect(red(text)).toBe(`[db]\nhost = db1\nport = 5432\npassword = ${R}\n\n[cache]\nttl = 60\n`);
  });

  it('redacts an embedded PEM private key block and keeps the certificate next to it', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';
    const key = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIKeyMaterial\n-----END EC PRIVATE KEY-----';
    expect(red(`# bundle\n${cert}${key}\n`)).toBe(`# bundle\n${cert}${R}\n`);
    // Cut off before its END line: redacted to the end of the file.
    expect(red('ssl:\n  key: |\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n')).toBe(`ssl:\n  key: |\n${R}`);
  });

  it('redacts TOML / Python triple-quoted values, on one line or many', () => {
    expect(red('password = """one-line"""\n')).toBe(`password = """${R}"""\n`);
    expect(red("secret = '''first\n  second\nlast'''\nport = 1\n")).toBe(`secret = '''${R}\n  ${R}\n${R}'''\nport = 1\n`);
    expect(red('password = """\nbody\n"""\nuser = bob\n')).toBe(`password = """\n${R}\n"""\nuser = bob\n`);
  });

  it('redacts a .netrc whose password has a line of its own, and only there', () => {
    const netrc = 'machine api.example.com\n  login bob\n  password n3trc\n';
    expect(red(netrc, '/root/.netrc')).toBe(`machine api.example.com\n  login bob\n  password ${R}\n`);
    expect(red('password requisite pam_unix.so\n', '/etc/pam.d/common-password')).toBe('password requisite pam_unix.so\n');
  });

  it('redacts a YAML block scalar under a secret key, line by line', () => {
    expect(red('password: |\n  line1\n  line2\nuser: bob\n')).toBe(`password: |\n  ${R}\n  ${R}\nuser: bob\n`);
  });

  it('exempts nsswitch.conf from key rules (passwd: names databases) but not from value rules', () => {
    const text = 'passwd:         files systemd\nshadow: files\nhosts: ldap://u:ldapS3cret@h\n';
    expect(red(text, '/etc/nsswitch.conf')).toBe(`passwd:         files systemd\nshadow: files\nhosts: ldap://u:${R}@h\n`);
    expect(red('passwd: files\n', '/etc/other.conf')).toBe(`passwd: ${R}\n`);
  });

  it.each([
    ['a JWT', 'eyJ-'.repeat(50_000), 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2ln'],
    ['a .netrc password', 'default '.repeat(100_000), 'machine h login u password n3trc'],
  ])('redacts %s after a hostile line of lookalikes in linear time (no backtracking hang)', (_kind, hostile, secret) => {
    const started = Date.now();
    const out = red(`${hostile}\n${secret}\n`);
    expect(Date.now() - started).toBeLessThan(2000); // quadratic: 20+ s
    expect(out).toContain(R);
    expect(out).not.toContain(secret.split(' ').pop());
  });

  it.each([
    ['a run of dashed words', `password ${'a-'.repeat(40_000)}`, 'x --api-key=inl1neS3cret "db-password": "qu0tedS3cret"'],
    ['one long upper-case key', `PASS${'A'.repeat(40_000)}=x`, 'SECRET_KEY=upperS3cret'],
    [
      'unclosed XML tags',
      `password ${'<a b'.repeat(40_000)}>x</c>`,
      '<password>xmlS3cret</password> <db:secret a="1">nsS3cret</db:secret>',
    ],
  ])('redacts keys after a hostile line of %s in linear time (no backtracking hang)', (_kind, hostile, secrets) => {
    const started = Date.now();
    const out = red(`${hostile}\n${secrets}\n`);
    expect(Date.now() - started).toBeLessThan(2000); // quadratic: 8+ s
    expect(out).not.toMatch(/S3cret/);
  });

  it('gives the marker the secret itself, so equal secrets get equal markers and a change shows', () => {
    const seen: string[] = [];
    redactSecrets('password = one\ntoken: two\n', (s) => (seen.push(s), R));
    expect(seen).toEqual(['one', 'two']);
  });
});

describe('refusedContent', () => {
  it.each([
    ['shadow', 'root:$6$salt$hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n', /shadow format/],
    ['shadow with a comment', '# backup\nroot:!:19000::::::\n', /shadow format/],
    ['gshadow', 'root:*::\nsudo:!::bob\nadm:$6$x$y:bob:\n', /gshadow format/],
    ['opasswd', 'bob:1000:2:$6$a$b,$6$c$d\n', /opasswd format/],
    ['a .pgpass copy', '# app\ndb.example.com:5432:app:app_user:s3cr3t\n*:*:*:replicator:p\\:ss w\\\\rd\n', /\.pgpass format/],
    ['PEM key', '-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----\n', /private key and nothing else/],
    ['OpenSSH key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----\n', /private key/],
    ['PGP key', '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----\n', /private key/],
    ['SSH2 key', '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nP2/56w\n---- END SSH2 ENCRYPTED PRIVATE KEY ----\n', /private key/],
    ['PuTTY key', 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPrivate-Lines: 1\nAAAA\n', /PuTTY/],
  ])('refuses %s', (_name, text, reason) => expect(refusedContent(text)).toMatch(reason));

  it.each([
    ['/etc/passwd', 'root:x:0:0:root:/root:/bin/bash\n'],
    ['/etc/group', 'root:x:0:\nsudo:x:27:bob\n'],
    ['/etc/group without x', 'root::0:\n'],
    ['/etc/subuid', 'bob:100000:65536\n'],
    ['a certificate', '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n'],
    [
      'a certificate and its key',
      '-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n',
    ],
    ['a public key', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI bob@host\n'],
    ['an empty file', ''],
    ['login.defs', 'PASS_MAX_DAYS\t99999\nPASS_MIN_DAYS\t0\n'],
    ['a list of IPv6 addresses', 'fe80:0:0:0:0:0:0:1\n2001:1234:abcd:ef01:0:0:0:5\n'],
    ['times of day', '12:30:45\n08:00:00:000\n'],
    ['host:port lines', 'db1:5432\ndb2:5432:standby\n'],
  ])('accepts %s', (_name, text) => expect(refusedContent(text)).toBeUndefined());
});

describe('refusedPath', () => {
  it.each([
    '/etc/shadow',
    '/etc/shadow-',
    '/etc/gshadow',
    '/etc/gshadow-',
    '/etc/security/opasswd',
    '/etc/ssh/ssh_host_rsa_key',
    '/root/.pgpass',
  ])('refuses %s', (path) => expect(refusedPath(path)).toBeDefined());
  it.each(['/etc/passwd', '/etc/ssh/ssh_host_rsa_key.pub', '/etc/shadowsocks.conf', '/etc/shadow.bak', '/etc/ssh/sshd_config'])(
    'accepts %s',
    (path) => expect(refusedPath(path)).toBeUndefined(),
  );
});

describe('normaliseKey', () => {
  it.each([
    ['DB_PASSWORD', 'db_password'],
    ['dbPassword', 'db_password'],
    ['"client-key-data"', 'client_key_data'],
    ['APIKey', 'api_key'],
    ['xpack.security.http.ssl.keystore.secure_password', 'xpack_security_http_ssl_keystore_secure_password'],
  ])('%s → %s', (key, expected) => expect(normaliseKey(key)).toBe(expected));
});

describe('the rule table', () => {
  it('is documented in beats/README.md exactly as rendered from the rules (one source)', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    expect(readme).toContain(rulesMarkdown());
  });
});
