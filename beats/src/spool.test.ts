import fs, { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from './log';
import { describeLost, planEviction, Spool, type SpoolFile } from './spool';
import { toWireDoc } from './wire';

const f = (name: string, bytes: number): SpoolFile => ({ name, bytes, collectedAt: 0 });

describe('planEviction', () => {
  it('drops nothing while under the cap', () => {
    expect(planEviction([f('spool-1', 40), f('spool-2', 40)], 20, 100)).toEqual([]);
  });

  it('drops the oldest files first, just enough to fit', () => {
    const files = [f('spool-3', 30), f('spool-1', 30), f('spool-2', 30)];
    // 90 + 25 = 115 > 100: dropping the oldest (spool-1) leaves 85.
    expect(planEviction(files, 25, 100).map((x) => x.name)).toEqual(['spool-1']);
    // 90 + 75 = 165: dropping spool-1 and spool-2 leaves 105, spool-3 too leaves 75.
    expect(planEviction(files, 75, 100).map((x) => x.name)).toEqual(['spool-1', 'spool-2', 'spool-3']);
  });

  it('keeps the incoming file even when it alone exceeds the cap', () => {
    expect(planEviction([f('spool-1', 10)], 500, 100).map((x) => x.name)).toEqual(['spool-1']);
    expect(planEviction([], 500, 100)).toEqual([]);
  });
});

describe('Spool', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const ctx = { host: { name: 'web-01' }, timestamp: '2026-11-27T03:00:00.000Z', tags: [], agentVersion: '0' };
  const doc = (path: string, content: string, target: 'current' | 'history' = 'history') =>
    toWireDoc({ path, state: 'present', content }, ctx, target);

  it('names files by collection time, so a batch spooled late still sorts before later ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mitra-spool-'));
    dirs.push(dir);
    const spool = new Spool(dir, 1e9, new Logger({ level: 'error', maxBytes: Infinity, stderr: () => {} }));
    spool.write([doc('/etc/b', 'later')], 2000);
    spool.write([doc('/etc/a', 'earlier')], 1000);
    expect(spool.files().map((x) => x.collectedAt)).toEqual([1000, 2000]);
    expect(spool.files().map((x) => spool.read(x.name)[0].mitra.content)).toEqual(['earlier', 'later']);
  });

  it('drops only when full, and then says how many snapshots of which files were lost', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mitra-spool-'));
    dirs.push(dir);
    const lines: string[] = [];
    const spool = new Spool(dir, 2000, new Logger({ level: 'info', maxBytes: Infinity, stderr: (l) => lines.push(l) }));
    spool.write([doc('/etc/a', 'a1'), doc('/etc/a', 'a1', 'current')], 1);
    spool.write([doc('/etc/b', 'b1')], 2);
    expect(lines).toEqual([]);
    spool.write([doc('/etc/c', 'x'.repeat(1600))], 3);
    expect(lines).toHaveLength(1);
    // Just enough to fit: the oldest file goes, the next one stays.
    expect(lines[0]).toContain('DROPPED the 1 oldest spool file(s), 2 snapshot(s) lost: /etc/a (history), /etc/a (current);');
    expect(spool.files().map((x) => x.collectedAt)).toEqual([2, 3]);
  });

  it('writes a whole file when the disk takes it in pieces (a short write near a full disk is not success)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mitra-spool-'));
    dirs.push(dir);
    const spool = new Spool(dir, 1e9, new Logger({ level: 'error', maxBytes: Infinity, stderr: () => {} }));
    const real = fs.writeSync;
    // As write(2) does near a full disk or a file size limit: takes the first 100 bytes and says so.
    const short = jest.spyOn(fs, 'writeSync').mockImplementationOnce((fd: number, data: unknown) => {
      const bytes = Buffer.from(data as string);
      return real(fd, bytes, 0, Math.min(100, bytes.length));
    });
    try {
      const docs = [doc('/etc/a', 'a'.repeat(500)), doc('/etc/b', 'b'.repeat(500))];
      const name = spool.write(docs, 1);
      expect(spool.read(name).map((d) => d.file.path)).toEqual(['/etc/a', '/etc/b']);
    } finally {
      short.mockRestore();
    }
  });

  it('skips lines that parse but are not documents (a damaged key, null), as it skips lines that do not parse', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mitra-spool-'));
    dirs.push(dir);
    const lines: string[] = [];
    const spool = new Spool(dir, 1e9, new Logger({ level: 'error', maxBytes: Infinity, stderr: (l) => lines.push(l) }));
    const name = spool.write([doc('/etc/a', 'a'), doc('/etc/b', 'b')], 1);
    const [a, b] = readFileSync(join(dir, name), 'utf8').split('\n');
    writeFileSync(join(dir, name), [a, a.replace('"mitra"', '"mitrb"'), 'null', '{"x"', b, ''].join('\n'));
    // Kept, any of them would throw wherever the document is used (bulk ids), at every resend and at start.
    expect(spool.read(name).map((d) => d.file.path)).toEqual(['/etc/a', '/etc/b']);
    expect(lines.map((l) => l.trimEnd().replace(/^\S+ /, ''))).toEqual([
      `ERROR spool: ${name} line 2 is not a Mitra document; skipping that line`,
      `ERROR spool: ${name} line 3 is not a Mitra document; skipping that line`,
      `ERROR spool: ${name} line 4 is not JSON; skipping that line`,
    ]);
  });

  it('writes and reads back a file bigger than the longest string V8 makes (512 MB), as one cycle of 4 MB files can be', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mitra-spool-'));
    dirs.push(dir);
    const spool = new Spool(dir, 1e10, new Logger({ level: 'error', maxBytes: Infinity, stderr: () => {} }));
    const content = 'x'.repeat(4 * 1024 * 1024);
    // 130 × 4 MB: joined, 'Invalid string length', so such a cycle could never be spooled (nor shipped, being over the queue).
    const docs = Array.from({ length: 130 }, (_, i) => doc(`/var/log/${i}.log`, content));
    const name = spool.write(docs, 1);
    expect(spool.files()[0].bytes).toBeGreaterThan(512 * 1024 * 1024);
    const read = spool.read(name);
    expect(read).toHaveLength(130);
    expect(read[129]).toMatchObject({ file: { path: '/var/log/129.log' }, mitra: { content } });
    rmSync(dir, { recursive: true, force: true });
  });

  it('describes repeated losses with a count', () => {
    expect(describeLost(['/etc/a (history)', '/etc/a (history)', '/etc/b (current)'])).toBe('/etc/a (history) x2, /etc/b (current)');
  });
});
