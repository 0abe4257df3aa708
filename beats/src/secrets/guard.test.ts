import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretGuard, loadSalt } from './guard';
import { resolveHostPath } from './resolve';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'mitra-guard-'));
  mkdirSync(join(root, 'etc/app'), { recursive: true });
  mkdirSync(join(root, 'srv'));
  writeFileSync(join(root, 'etc/shadow'), 'root:*:19000:0:99999:7:::\n');
  writeFileSync(join(root, 'etc/app/app.conf'), 'password = hunter2\n');
  symlinkSync('/etc/shadow', join(root, 'srv/abs'));
  symlinkSync('../../../../../../etc/shadow', join(root, 'srv/deep-rel'));
  symlinkSync('/etc', join(root, 'srv/etc'));
  symlinkSync('loop-b', join(root, 'srv/loop-a'));
  symlinkSync('loop-a', join(root, 'srv/loop-b'));
  linkSync(join(root, 'etc/shadow'), join(root, 'srv/hard'));
  mkdirSync(join(root, 'home/bob'), { recursive: true });
  writeFileSync(join(root, 'home/bob/.pgpass'), 'db.example.com:5432:app:bob:s3cr3t\n');
  linkSync(join(root, 'home/bob/.pgpass'), join(root, 'srv/pg-link.txt'));
  copyFileSync(join(root, 'home/bob/.pgpass'), join(root, 'srv/pg-copy.conf'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const guard = (over: Partial<ConstructorParameters<typeof SecretGuard>[0]> = {}) =>
  new SecretGuard({ hostfs: root, allowSecrets: false, defaults: true, rules: [], salt: Buffer.alloc(32, 1), ...over });

describe('resolveHostPath under a hostfs root', () => {
  it.each([
    ['/etc/./shadow', '/etc/shadow'],
    ['/etc//shadow', '/etc/shadow'],
    ['/etc/../etc/shadow', '/etc/shadow'],
    ['/../../etc/shadow', '/etc/shadow'],
    ['/srv/abs', '/etc/shadow'], // an absolute link target starts at the root, not at the agent's own /
    ['/srv/deep-rel', '/etc/shadow'], // `..` stops at the root
    ['/srv/etc/shadow', '/etc/shadow'],
    ['/srv/etc/../srv/abs', '/etc/shadow'], // `..` after a link applies to its target
    ['/srv/hard', '/srv/hard'], // a hard link is its own name: refused by identity instead
  ])('%s → %s', (path, resolved) => expect(resolveHostPath(path, root)).toBe(resolved));

  it('fails as the file system would', () => {
    expect(() => resolveHostPath('/srv/loop-a', root)).toThrow(expect.objectContaining({ code: 'ELOOP' }));
    expect(() => resolveHostPath('/nope/shadow', root)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('without a root, is realpath', () => expect(resolveHostPath('/etc/../etc/./hostname', '')).toBe('/etc/hostname'));
});

describe('SecretGuard', () => {
  it('refuses by where the path leads, and only names paths in its reasons', () => {
    expect(guard().target('/srv/etc/shadow')).toEqual({ refused: '/srv/etc/shadow resolves to /etc/shadow, which holds password hashes' });
    expect(guard().target('/etc/shadow')).toEqual({ refused: '/etc/shadow holds password hashes' });
    expect(guard().target('/etc/app/../app/app.conf')).toEqual({ resolved: '/etc/app/app.conf', file: `${root}/etc/app/app.conf` });
    expect(guard({ allowSecrets: true }).target('/srv/abs')).toEqual({ resolved: '/etc/shadow', file: `${root}/etc/shadow` });
  });

  it('refuses a hard link to /etc/shadow by its identity', () => {
    const st = statSync(join(root, 'srv/hard'), { bigint: true });
    expect(guard().identity('/srv/hard', st)).toBe('/srv/hard is the same file as /etc/shadow');
    expect(guard().identity('/etc/app/app.conf', statSync(join(root, 'etc/app/app.conf'), { bigint: true }))).toBeUndefined();
  });

  it('refuses a .pgpass hard-linked or copied under another name by its content (per-user files: no identity to compare)', () => {
    expect(guard().target('/home/bob/.pgpass')).toEqual({ refused: '/home/bob/.pgpass is a PostgreSQL password file' });
    for (const path of ['/srv/pg-link.txt', '/srv/pg-copy.conf']) {
      const target = guard().target(path);
      expect(target).toEqual({ resolved: path, file: `${root}${path}` });
      const text = readFileSync(`${root}${path}`, 'utf8');
      expect(guard().inspect(path, path, text)).toEqual({ refused: `${path} content is in .pgpass format (PostgreSQL passwords)` });
    }
  });

  it('marks a value with a salted hash: stable for one salt, different for another, never the value', () => {
    const a = guard().inspect('/x', '/x', 'password = hunter2\n');
    expect(a).toEqual({ content: expect.stringMatching(/^password = «redacted:[0-9a-f]{8}»\n$/) });
    expect(guard().inspect('/x', '/x', 'password = hunter2\n')).toEqual(a);
    expect(guard({ salt: Buffer.alloc(32, 2) }).inspect('/x', '/x', 'password = hunter2\n')).not.toEqual(a);
    expect(guard().inspect('/x', '/x', 'password = hunter3\n')).not.toEqual(a);
  });

  it('applies the user rules after the defaults, and nothing with defaults off and no rules', () => {
    const rules = [{ pattern: /^(user = ).*$/gm, replacement: '$1[REDACTED]' }];
    expect(guard({ rules }).inspect('/x', '/x', 'user = bob\npassword = x\n')).toEqual({
      content: expect.stringMatching(/^user = \[REDACTED\]\npassword = «redacted:[0-9a-f]{8}»\n$/),
    });
    expect(guard({ defaults: false }).inspect('/x', '/x', 'password = x\n')).toEqual({ content: 'password = x\n' });
  });
});

describe('loadSalt', () => {
  it('creates 32 random bytes once, mode 0600 in a 0700 directory, and keeps them', () => {
    const dir = join(root, 'state');
    const first = loadSalt(dir);
    expect(first.persisted).toBe(true);
    expect(first.salt).toHaveLength(32);
    expect(statSync(join(dir, 'redact-salt')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(loadSalt(dir).salt.equals(first.salt)).toBe(true);
  });

  it('falls back to a salt for this process when the state directory cannot be written', () => {
    writeFileSync(join(root, 'not-a-dir'), '');
    const salt = loadSalt(join(root, 'not-a-dir/state'));
    expect(salt.persisted).toBe(false);
    expect(salt.salt).toHaveLength(32);
  });
});
