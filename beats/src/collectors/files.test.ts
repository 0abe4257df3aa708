import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretGuard } from '../secrets';
import { collectFile, documentPath, readBounded, snapshotsByPath, UNKNOWN_SIZE_READ_LIMIT } from './files';

const MB = 1024 * 1024;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function sparse(bytes: number, head = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-files-'));
  dirs.push(dir);
  const path = join(dir, 'big');
  writeFileSync(path, head);
  truncateSync(path, bytes);
  return path;
}
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const secrets = new SecretGuard({ hostfs: '', allowSecrets: false, defaults: true, rules: [], salt: Buffer.alloc(32, 1) });
const options = { hostfs: '', maxBytes: 1 * MB, secrets };

describe('large files', () => {
  it('a file over the limit is too_large with its full size and the sha256 of all of it', () => {
    const path = sparse(3 * MB, 'head\n');
    const expected = Buffer.alloc(3 * MB);
    expected.write('head\n');
    const s = collectFile(path, options);
    expect(s).toMatchObject({ state: 'too_large', reason: `${3 * MB} bytes is over maxsize 1 MB`, stat: { size: 3 * MB } });
    expect(s.stat?.hash?.sha256).toBe(sha256(expected));
    expect(s.content).toBeUndefined();
  });

  it('names the ceiling when it is what applies', () => {
    const s = collectFile(sparse(2 * MB), { ...options, limitName: 'max_content_mb' });
    expect(s.reason).toBe(`${2 * MB} bytes is over max_content_mb 1 MB`);
  });

  it('stops keeping content once past the limit when st_size did not say so (as /proc files report 0)', () => {
    const path = sparse(MB + 10);
    const fd = openSync(path, 'r');
    try {
      const read = readBounded(fd, MB, false);
      expect(read.bytes).toBeUndefined();
      expect(read.size).toBe(MB + 10);
      expect(read.sha256).toBe(sha256(Buffer.alloc(MB + 10)));
    } finally {
      closeSync(fd);
    }
  });

  it('keeps content up to the limit exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mitra-files-'));
    dirs.push(dir);
    const path = join(dir, 'exact');
    writeFileSync(path, 'x'.repeat(MB));
    const s = collectFile(path, options);
    expect(s.state).toBe('present');
    expect(s.content).toHaveLength(MB);
    expect(s.stat?.hash).toBeUndefined();
  });
});

describe('document paths', () => {
  it('folds ".", "//" and ".." so the pipeline takes the path, and keeps a plain path as it is', () => {
    expect(['/etc/./shadow', '/etc//shadow', '/etc/../etc/shadow', '/etc/hosts', '/proc/meminfo/'].map(documentPath)).toEqual([
      '/etc/shadow',
      '/etc/shadow',
      '/etc/shadow',
      '/etc/hosts',
      '/proc/meminfo',
    ]);
  });

  it('a file listed twice is one document, refused if either spelling was refused', () => {
    const present = { path: '/etc/./x', state: 'present' as const, content: 'a' };
    const refused = { path: '/etc//x', state: 'refused' as const, reason: 'holds password hashes' };
    expect(snapshotsByPath([present, refused])).toEqual([{ ...refused, path: '/etc/x' }]);
    expect(snapshotsByPath([refused, present])).toEqual([{ ...refused, path: '/etc/x' }]);
  });
});

describe('states of a file, on real files and /proc', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-states-'));
  dirs.push(dir);
  const at = (name: string, content?: string | Buffer) => {
    const path = join(dir, name);
    if (content !== undefined) writeFileSync(path, content);
    return path;
  };

  it('a /proc file (st_size 0) is read to EOF: its size is what was read', () => {
    const s = collectFile('/proc/self/status', options);
    expect(s.state).toBe('present');
    expect(s.content).toMatch(/^Name:\s/m);
    expect(s.stat?.size).toBe(Buffer.byteLength(s.content!));
  });

  it('present: content, size, octal mode and inode (as text)', () => {
    const s = collectFile(at('a.conf', 'a = 1\n'), options);
    expect(s).toMatchObject({ state: 'present', content: 'a = 1\n', stat: { size: 6, mode: expect.stringMatching(/^0[0-7]{3}$/) } });
    expect(s.stat?.inode).toMatch(/^\d+$/);
  });

  it('missing: configured but absent', () => {
    expect(collectFile(at('nope.conf'), options)).toMatchObject({ state: 'missing' });
  });

  it('a UTF-8 BOM is content: kept, so content, size and sha256 are those of the bytes on disk', () => {
    const bytes = Buffer.from('\ufeff127.0.0.1 localhost\n');
    const s = collectFile(at('bom', bytes), options);
    expect(s).toMatchObject({ state: 'present', content: bytes.toString('utf8'), stat: { size: bytes.length } });
    expect(sha256(Buffer.from(s.content!))).toBe(sha256(bytes));
  });

  it('binary: a NUL byte, or bytes that are not UTF-8, ship no content', () => {
    for (const bytes of [Buffer.from('a\0b'), Buffer.from([0xc3, 0x28])]) {
      const s = collectFile(at('bin', bytes), options);
      expect(s).toMatchObject({ state: 'binary' });
      expect(s.content).toBeUndefined();
    }
  });

  it('a /proc file that never ends in practice is too_large after a bounded read, not read for minutes', () => {
    // /proc/<pid>/pagemap reports st_size 0 and holds 8 bytes per page of the address space: 256 GB.
    const started = Date.now();
    const s = collectFile('/proc/self/pagemap', options);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(s).toMatchObject({
      state: 'too_large',
      reason: `more than ${UNKNOWN_SIZE_READ_LIMIT} bytes (not read further: its size is not known ahead) is over maxsize 1 MB`,
      stat: { size: UNKNOWN_SIZE_READ_LIMIT },
    });
    expect(s.stat?.hash).toBeUndefined();
  });

  it('a FIFO is unreadable at once (never opened blocking), a directory too', () => {
    const fifo = at('fifo');
    execFileSync('mkfifo', [fifo]);
    expect(collectFile(fifo, options)).toMatchObject({ state: 'unreadable', reason: expect.stringContaining('not a regular file') });
    expect(collectFile(dir, options)).toMatchObject({ state: 'unreadable' });
  });

  it('a symlink is followed to its target and the document keeps the configured path', () => {
    const target = at('real.conf', 'x = 1\n');
    const link = at('link.conf');
    symlinkSync(target, link);
    expect(collectFile(link, options)).toMatchObject({ path: link, state: 'present', content: 'x = 1\n' });
  });
});

// Giving a file to another user takes root: as anyone else this block cannot plant a file, and says so.
const asRoot = process.getuid?.() === 0;
if (!asRoot) process.stderr.write('files.test.ts: the planted-file tests are skipped: they chown files, which takes root\n');

(asRoot ? describe : describe.skip)('a file any local user could have planted', () => {
  const NOBODY = 65534;
  const base = mkdtempSync(join(tmpdir(), 'mitra-planted-'));
  dirs.push(base);
  // A /tmp of its own: world-writable and sticky.
  const open = join(base, 'tmp');
  mkdirSync(open);
  chmodSync(open, 0o1777);
  const safe = join(base, 'etc');
  mkdirSync(safe);
  const file = (dir: string, name: string, uid: number) => {
    const path = join(dir, name);
    writeFileSync(path, 'ii  zsh  5.8-3ubuntu1  amd64\n');
    chownSync(path, uid, uid);
    return path;
  };

  it('is refused when another user owns it in a world-writable directory, naming the owner and the fix', () => {
    const pkgs = file(open, 'pkgs', NOBODY);
    expect(collectFile(pkgs, options)).toEqual({
      path: pkgs,
      state: 'refused',
      reason: `${pkgs} is owned by uid ${NOBODY} in the world-writable directory ${open}: any local user could have put it there, so it is not read; have root or the agent's user own it, or keep it elsewhere`,
      stat: expect.objectContaining({ uid: NOBODY }),
    });
  });

  it('is refused through a symlink from a safe place: it is where the path leads that counts', () => {
    const planted = file(open, 'planted', NOBODY);
    const link = join(safe, 'link.conf');
    symlinkSync(planted, link);
    expect(collectFile(link, options)).toMatchObject({
      path: link,
      state: 'refused',
      reason: expect.stringContaining('world-writable directory'),
    });
  });

  it('lookalikes are read: root or the agent owns it in the same directory, or another user owns it where only they can write', () => {
    expect(collectFile(file(open, 'by-root', 0), options)).toMatchObject({ state: 'present' });
    const own = file(open, 'by-agent', process.getuid!());
    expect(collectFile(own, options)).toMatchObject({ state: 'present' });
    expect(collectFile(file(safe, 'by-nobody', NOBODY), options)).toMatchObject({ state: 'present' });
  });
});
