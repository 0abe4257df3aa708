import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEEP_ROTATED, Logger } from './log';

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
