import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Client } from '@elastic/elasticsearch';
import { openBrowser, startServe, subj } from '@mitra/test/dist/e2e/browser';
import { median } from './ingest';
import { ensureFleet, FLEET_PREFIX, percentile } from './queries';

/**
 * The web app's cost to a user: the standalone bundle's initial JS/CSS (gzip)
 * and the Fleet screen's time to first result on the 10,000-host fleet in
 * Debian's headless Chromium, against `mitra serve` on the local engine.
 * "Warm": the engine and the browser cache have seen the page once; each run
 * is a fresh navigation to the question's deep link, timed until the answer's
 * "N hosts, as of T" heading is on screen.
 */
const STANDALONE = resolve(__dirname, '..', '..', 'kibana-plugin', 'dist-standalone');
const QUESTION = '#/fleet?type=kernel&value=4.4';

export interface UiResult {
  bundle: { initialGzipKiB: number; initialFiles: string[]; totalFiles: number; totalKiB: number };
  firstResult: { question: string; runs: number; p50Ms: number; p90Ms: number; maxMs: number; hosts: string };
}

function bundleSize(): UiResult['bundle'] {
  const initialFiles = ['index.js', 'index.css'];
  const initial = initialFiles.map((f) => gzipSync(readFileSync(join(STANDALONE, f))).length).reduce((a, b) => a + b, 0);
  const files = readdirSync(STANDALONE, { recursive: true }) as string[];
  const total = files
    .map((f) => statSync(join(STANDALONE, f)))
    .filter((s) => s.isFile())
    .reduce((a, s) => a + s.size, 0);
  return { initialGzipKiB: Math.round(initial / 1024), initialFiles, totalFiles: files.length, totalKiB: Math.round(total / 1024) };
}

export async function benchUi(client: Client, runs = 10): Promise<UiResult> {
  const bundle = bundleSize();
  await ensureFleet(client);
  const served = await startServe(FLEET_PREFIX);
  const browser = await openBrowser();
  try {
    const { page } = browser;
    const timeOnce = async (): Promise<{ ms: number; text: string }> => {
      await page.goto('about:blank');
      const t0 = performance.now();
      await page.goto(`${served.url}/${QUESTION}`);
      const heading = subj(page, 'fleet-summary');
      await heading.waitFor();
      return { ms: performance.now() - t0, text: (await heading.textContent()) ?? '' };
    };
    await timeOnce(); // warm-up: engine caches, browser cache, JIT
    const samples: number[] = [];
    let hosts = '';
    for (let i = 0; i < runs; i++) {
      const { ms, text } = await timeOnce();
      samples.push(ms);
      hosts = text;
    }
    const round = (x: number) => Math.round(x);
    return {
      bundle,
      firstResult: {
        question: QUESTION,
        runs,
        p50Ms: round(median(samples)),
        p90Ms: round(percentile(samples, 90)),
        maxMs: round(Math.max(...samples)),
        hosts,
      },
    };
  } finally {
    await browser.close();
    await served.stop();
  }
}
