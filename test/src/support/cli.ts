import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The real `mitra` launcher; tests run it as a user would (it needs `npx tsc -b` first, as `npm test` does). */
export const MITRA_BIN = resolve(__dirname, '..', '..', '..', 'cli', 'bin', 'mitra.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runMitra(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [MITRA_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr });
    });
  });
}
