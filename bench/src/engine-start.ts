import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineOptions, startEngine, stopEngine } from '@mitra/engine';
import { median } from './ingest';

/** Engine cold start to ready (yellow), on a spare port with an empty data folder each time. */
export async function benchEngineStart(runs = 3, port = 9251): Promise<{ runs: number; seconds: number[]; medianSeconds: number }> {
  const seconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'mitra-bench-engine-'));
    const o = engineOptions({ port, dataDir, log: () => {} });
    try {
      seconds.push((await startEngine(o)).seconds);
    } finally {
      await stopEngine(o);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return { runs, seconds, medianSeconds: median(seconds) };
}
