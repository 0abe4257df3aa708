import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEEP_ROTATED, Logger, oneLine } from './log';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mitra-log-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('Logger', () => {
  it('filters by level and writes leveled lines to the file and stderr', () => {
    const file = join(tempDir(), 'agent.log');
    const err: string[] = [];
    const log = new Logger({ level: 'info', file, maxBytes: 1e6, stderr: (l) => err.push(l) });
    log.debug('hidden');
    log.info('cycle: 3 read');
    log.warn('/etc/ntp.conf: missing (ENOENT)');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => l.replace(/^\S+ /, ''))).toEqual(['INFO  cycle: 3 read', 'WARN  /etc/ntp.conf: missing (ENOENT)']);
    expect(err.join('')).toBe(`${lines.join('\n')}\n`);
  });

  it(`rotates at maxsize and keeps ${KEEP_ROTATED} old files`, () => {
    const dir = tempDir();
    const file = join(dir, 'agent.log');
    const log = new Logger({ level: 'info', file, maxBytes: 200, stderr: () => {} });
    for (let i = 0; i < 40; i++) log.info(`line ${i} ${'x'.repeat(40)}`);
    expect(readdirSync(dir).sort()).toEqual(['agent.log', 'agent.log.1', 'agent.log.2', 'agent.log.3']);
    for (const name of readdirSync(dir)) expect(readFileSync(join(dir, name)).length).toBeLessThanOrEqual(200);
    // The newest line is in the live file; the rotated ones hold the lines just before it.
    expect(readFileSync(file, 'utf8')).toContain('line 39 ');
    expect(readFileSync(`${file}.1`, 'utf8')).not.toContain('line 39 ');
  });
});

describe('Logger writes whole lines', () => {
  const LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (DEBUG|INFO |WARN |ERROR) \S/;

  it('starts on a new line when the file it appends to does not end in one', () => {
    const file = join(tempDir(), 'agent.log');
    writeFileSync(file, 'a line some crash left unfinished');
    new Logger({ level: 'info', file, maxBytes: 1e6, stderr: () => {} }).info('first');
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines[0]).toBe('a line some crash left unfinished');
    expect(lines[1]).toMatch(/ INFO {2}first$/);
  });

  it('keeps a message with newlines on one line', () => {
    const file = join(tempDir(), 'agent.log');
    const log = new Logger({ level: 'info', file, maxBytes: 1e6, stderr: () => {} });
    log.warn('reason: line one\nline two\r\nINFO  forged');
    log.info('next');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => LINE.test(l))).toBe(true);
    expect(oneLine('a\rb')).toBe('a \\n b');
  });

  it('two writers on one file (a --once run next to the daemon) rotate once, not twice, and lose no line', () => {
    const dir = tempDir();
    const file = join(dir, 'agent.log');
    const a = new Logger({ level: 'info', file, maxBytes: 3000, stderr: () => {} });
    const b = new Logger({ level: 'info', file, maxBytes: 3000, stderr: () => {} });
    // 2 × 40 lines of ~70 bytes = ~5.6 KB: fits the live file and two rotated ones.
    for (let i = 0; i < 40; i++) {
      a.info(`a ${i} ${'x'.repeat(30)}`);
      b.info(`b ${i} ${'y'.repeat(30)}`);
    }
    const all = readdirSync(dir).flatMap((n) => readFileSync(join(dir, n), 'utf8').trimEnd().split('\n'));
    expect(all.every((l) => LINE.test(l))).toBe(true);
    expect(all).toHaveLength(80);
    for (const name of readdirSync(dir)) expect(readFileSync(join(dir, name)).length).toBeLessThanOrEqual(3000);
  });
});
