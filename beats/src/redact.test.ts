import { compileRedactions, redact } from './redact';
import { secretContentReason, secretPathReason } from './secrets';

describe('redact', () => {
  it('replaces every match, line-anchored, rules in order', () => {
    const rules = compileRedactions(
      [{ pattern: '^(\\s*password\\s*=\\s*).*$', replacement: '$1[REDACTED]' }, { pattern: 'token-[0-9a-f]+' }],
      'test',
    );
    const text = 'user = app\npassword = hunter2\n  password=s3cret\nkey token-abc123 and token-ff\n';
    expect(redact(text, rules)).toBe('user = app\npassword = [REDACTED]\n  password=[REDACTED]\nkey [REDACTED] and [REDACTED]\n');
  });

  it('is stateless across calls (global regexes keep lastIndex only with test/exec)', () => {
    const rules = compileRedactions([{ pattern: 'x' }], 'test');
    expect(redact('axb', rules)).toBe('a[REDACTED]b');
    expect(redact('axb', rules)).toBe('a[REDACTED]b');
  });

  it('leaves content alone without rules', () => {
    expect(redact('a=b\n', [])).toBe('a=b\n');
  });
});

describe('secrets', () => {
  it.each(['/etc/shadow', '/etc/gshadow', '/etc/shadow-', '/etc/gshadow-', '/etc/ssh/ssh_host_ed25519_key', '/etc/ssh/ssh_host_rsa_key'])(
    'refuses %s by path',
    (path) => expect(secretPathReason(path)).toBeDefined(),
  );

  it.each(['/etc/passwd', '/etc/ssh/ssh_host_rsa_key.pub', '/etc/ssh/sshd_config', '/etc/shadowsocks.conf'])('accepts %s by path', (path) =>
    expect(secretPathReason(path)).toBeUndefined(),
  );

  it('refuses PEM private keys by content, and only those', () => {
    expect(secretContentReason('/etc/ssl/a.key', '-----BEGIN PRIVATE KEY-----\nMII...\n')).toMatch(/contains a private key/);
    expect(secretContentReason('/etc/ssl/a.pem', 'x\n-----BEGIN RSA PRIVATE KEY-----\n')).toMatch(/contains a private key/);
    expect(secretContentReason('/etc/app.conf', '-----BEGIN EC PRIVATE KEY-----\n')).toMatch(/found in a .conf file/);
    expect(secretContentReason('/etc/ssl/cert.pem', '-----BEGIN CERTIFICATE-----\nMII...\n')).toBeUndefined();
  });
});
