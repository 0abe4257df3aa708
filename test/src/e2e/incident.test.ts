/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { bytes, incidentReport } from '@mitra/core';
import type { Page } from 'playwright-core';
import { fixtureText, meminfoKb, scenario, sendHistory } from '../incident-fixtures';
import { testCluster, type TestCluster } from '../support/cluster';
import { openBrowser, screenshot, startServe, subj, type Browser, type Served } from './browser';

/**
 * Host → Memory, incident replay, in headless Chromium against `mitra serve`
 * on the real engine, with the 2016-09-10 incident loaded through the pipeline.
 * The expected verdict numbers come from the fixture files.
 */
const INCIDENT = scenario('incident-01');
const FROM = '2016-09-10T10:53:30.000Z';
const TO = '2016-09-10T10:53:45.000Z';
let cluster: TestCluster;
let served: Served;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  execFileSync(process.execPath, [resolve(__dirname, '..', '..', '..', 'kibana-plugin', 'scripts', 'build-standalone.js')], {
    stdio: 'pipe',
  });
  cluster = await testCluster('e2e-incident');
  await cluster.setup();
  await sendHistory(cluster, INCIDENT.host, INCIDENT.snapshots);
  // The 2016 incident is far older than the default retention (90 days), which serve applies at start.
  served = await startServe(cluster.prefix, ['--retention', 'off']);
  browser = await openBrowser();
  page = browser.page;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  await cluster?.cleanup();
});

/** Every chart container under the screen has finished rendering (@elastic/charts marks it). */
async function chartsRendered(ids: string[]): Promise<void> {
  for (const id of ids) {
    await subj(page, `incident-chart-${id}`).locator('[data-ech-render-complete="true"]').waitFor({ state: 'attached' });
    const box = await subj(page, `incident-chart-${id}`).locator('canvas').first().boundingBox();
    expect({ id, drawn: (box?.width ?? 0) > 100 && (box?.height ?? 0) > 50 }).toEqual({ id, drawn: true });
  }
}

describe('Host → Memory: incident replay in Chromium', () => {
  it('opens the incident window: verdict on top with the fixture numbers, every chart drawn, watermarks as lines', async () => {
    await page.goto(`${served.url}/#/host/${INCIDENT.host}?view=memory&from=${FROM}&to=${TO}`);
    const verdict = subj(page, 'incident-verdict');
    await verdict.waitFor();
    const mem = INCIDENT.snapshots
      .filter((s) => s.path === '/proc/meminfo' && s.at >= FROM && s.at <= TO)
      .map((s) => meminfoKb(fixtureText(s.file)));
    const fall = (mem[0].Cached - mem[mem.length - 1].Cached) * 1024;
    const text = await verdict.textContent();
    expect(text).toContain(`page cache fell ${bytes(fall)}`);
    expect(text).toContain('page-cache eviction, not anonymous demand');
    expect(text).toContain('no zone reached its low watermark');
    expect(await verdict.getAttribute('data-kind')).toBe('page_cache_eviction');
    // The verdict is the first thing in the replay, above the charts.
    const verdictTop = (await verdict.boundingBox())!.y;
    const memoryTop = (await subj(page, 'incident-chart-memory').boundingBox())!.y;
    expect(verdictTop).toBeLessThan(memoryTop);
    await chartsRendered(['memory', 'zone-0', 'zone-1', 'zone-2', 'zone-3', 'fragmentation', 'reclaim']);
    // min, low and high of each of the four zones drawn as line annotations (their markers are DOM).
    for (const i of [0, 1, 2, 3])
      for (const m of ['min', 'low', 'high']) await subj(page, `watermark-${m}-${i}`).first().waitFor({ state: 'attached' });
    expect(await subj(page, 'incident-settings').textContent()).toContain('vm.swappiness');
    // One time axis: every chart's plot area (reported by @elastic/charts) starts and ends at the same x, within 2 px.
    const plots: number[][] = [];
    for (const id of ['memory', 'zone-0', 'zone-1', 'zone-2', 'zone-3', 'fragmentation', 'reclaim']) {
      plots.push((await subj(page, `incident-chart-${id}`).getAttribute('data-plot'))!.split(',').map(Number));
    }
    for (const i of [0, 1]) expect(Math.max(...plots.map((p) => p[i])) - Math.min(...plots.map((p) => p[i]))).toBeLessThanOrEqual(2);
    const api = await incidentReport({ client: cluster.client, prefix: cluster.prefix }, { host: INCIDENT.host, from: FROM, to: TO });
    expect(text).toContain(api.verdict.claims[1].text);
    expect(browser.errors).toEqual([]);
    await screenshot(page, 'host-memory-incident');
  });

  it('brushing a range on a chart opens that window (a link from the chart)', async () => {
    const chart = subj(page, 'incident-chart-memory').locator('canvas').first();
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction((from) => !decodeURIComponent(window.location.hash).includes(`from=${from}`), FROM);
    const hash = new URLSearchParams(decodeURIComponent(await page.evaluate(() => window.location.hash)).split('?')[1]);
    const from = Date.parse(hash.get('from')!);
    const to = Date.parse(hash.get('to')!);
    expect(from).toBeGreaterThan(Date.parse(FROM));
    expect(to).toBeLessThan(Date.parse(TO));
    expect(hash.get('view')).toBe('memory');
  });

  it('the window picker replays a typed window; a window without data says so', async () => {
    await page.goto(`${served.url}/#/host/${INCIDENT.host}?view=memory`);
    await subj(page, 'incident-hint').waitFor();
    await subj(page, 'incident-from').fill('2016-09-10T11:00:00Z');
    await subj(page, 'incident-to').fill('2016-09-10T12:00:00Z');
    await subj(page, 'incident-apply').click();
    await page.getByText('Not enough /proc/meminfo').waitFor();
    expect(await page.evaluate(() => window.location.hash)).toContain('from=2016-09-10T11%3A00%3A00.000Z');
  });
});
