import { spawn } from 'node:child_process';
import { MITRA_BIN } from './support/cli';

/**
 * `mitra search '*' --json | head -1`: the reader closes the pipe while mitra
 * still writes, and the write fails with EPIPE. Like cat or grep, mitra stops
 * quietly then: no stack trace on the terminal, no unhandled 'error' event.
 */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MITRA_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The reader is gone before mitra writes its first line.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('output to a reader that stopped reading (EPIPE)', () => {
  it.each([[['--help']], [['id', 'web-01', '/etc/hosts']], [['search', '--help']]])(
    'mitra %j exits 0 without a stack trace',
    async (args) => {
      const res = await runWithClosedStdout(args);
      expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
    },
  );
});
