import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretGuard } from '../secrets';
import { collectFile, documentPath, readBounded, snapshotsByPath } from './files';

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
