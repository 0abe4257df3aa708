import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { build, stop as stopEsbuild } from 'esbuild';
import type { Page } from 'playwright-core';
import { openBrowser, screenshot, startServe, subj, type Browser, type Served } from '../e2e/browser';
import { loadFleet } from '../fleet/load';
import type { SimHost } from '../fleet/simulator';
import { byKernelMajorMinor } from '../fleet/truth';
import { testCluster, type TestCluster } from '../support/cluster';
import type { HarnessState } from './page/harness';
import { buildZip, unpack } from './zip';

/**
 * The public bundle from the unpacked zip, in headless Chromium, inside a
 * page that is Kibana as far as a plugin bundle can tell: the bootstrap's
 * bundle loader and public path (page/bootstrap.ts), Kibana's shared deps
 * under their global keys built from node_modules (page/shared_deps.ts), and
 * a core built from kibana-plugin/kibana_api/public.ts (page/harness.ts). The
 * API routes are the real core route table (`mitra serve`) on the real
 * engine with a simulated fleet; answers are checked against the simulator's
 * ground truth. Screenshots (light and dark) go to test/screenshots/.
 */

const FLEET = 12;
const PAGE_DIR = join(__dirname, 'page');
const NODE_MODULES = resolve(__dirname, '..', '..', '..', 'node_modules');
const BUNDLES = '/bundles/plugin/mitra/9.2.4/';

let cluster: TestCluster;
let served: Served;
let browser: Browser;
let page: Page;
let server: Server;
let origin: string;
let work: string;
let pluginDir: string;
const hosts: SimHost[] = [];
/** Bundle files the page fetched, in order. */
const bundleRequests: string[] = [];
const pageAssets: Record<string, string> = {};

/** Kibana's page for /app/mitra/*: bootstrap, shared deps, the plugin bundle from the zip, then core boots the plugin. */
const html = (darkMode: boolean) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Kibana</title>
<meta name="mitra-public-path" content="${BUNDLES}">
<link rel="stylesheet" href="/page/charts.css?${darkMode ? 'dark' : 'light'}">
</head><body><div id="app" data-test-subj="kibana-app-element"></div>
<script src="/page/bootstrap.js"></script>
<script src="/page/shared_deps.js"></script>
<script src="${BUNDLES}mitra.plugin.js"></script>
<script src="/page/harness.js"></script>
<script>window.__mitraBoot({ darkMode: ${darkMode} }).catch((e) => console.error('boot failed: ' + e.stack));</script>
</body></html>`;

let darkMode = false;

function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', origin);
  const send = (status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };
  if (url.pathname.startsWith('/api/mitra/')) return proxy(req, res);
  if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
  if (url.pathname === '/app/mitra' || url.pathname.startsWith('/app/mitra/')) return send(200, 'text/html', html(darkMode));
  if (url.pathname.startsWith('/page/')) {
    const asset = pageAssets[basename(url.pathname)];
    if (asset === undefined) return send(404, 'text/plain', 'no such page asset');
    return send(
      200,
      url.pathname.endsWith('.css') ? 'text/css' : 'text/javascript',
      url.pathname.endsWith('.css') ? chartsCss(url.search) : asset,
    );
  }
  if (url.pathname.startsWith(BUNDLES)) {
    // Only files of the unpacked zip's target/public, by plain file name.
    const name = url.pathname.slice(BUNDLES.length);
    bundleRequests.push(name);
    if (!/^[\w.-]+\.js$/.test(name)) return send(404, 'text/plain', 'not a bundle file');
    try {
      return send(200, 'text/javascript', readFileSync(join(pluginDir, 'target', 'public', name)));
    } catch {
      return send(404, 'text/plain', 'no such bundle file');
    }
  }
  send(404, 'text/plain', 'not found');
}

/** Kibana's shared-deps CSS carries charts' theme; the page takes it from node_modules. */
function chartsCss(search: string): string {
  return readFileSync(join(NODE_MODULES, '@elastic', 'charts', 'dist', `theme_only_${search === '?dark' ? 'dark' : 'light'}.css`), 'utf8');
}

/** /api/mitra/* to `mitra serve`: the real route table on the real engine. */
function proxy(req: IncomingMessage, res: ServerResponse) {
  const target = new URL(req.url ?? '/', served.url);
  const upstream = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', (e) => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`proxy: ${e.message}`);
  });
  req.pipe(upstream);
}

async function buildPage() {
  // The harness must be typed against the declared Kibana API: a member Kibana lacks fails here.
  execFileSync(process.execPath, [join(NODE_MODULES, 'typescript', 'bin', 'tsc'), '--noEmit', '-p', join(PAGE_DIR, 'tsconfig.json')], {
    stdio: 'pipe',
  });
  const result = await build({
    entryPoints: ['bootstrap.ts', 'shared_deps.ts', 'harness.ts'].map((f) => join(PAGE_DIR, f)),
    outdir: join(work, 'page'),
    bundle: true,
    write: false,
    format: 'iife',
    minify: true,
    target: ['es2020'],
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    tsconfig: join(PAGE_DIR, 'tsconfig.json'),
    logLevel: 'silent',
  });
  for (const f of result.outputFiles) pageAssets[basename(f.path)] = f.text;
  pageAssets['charts.css'] = '';
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mitra-kibana-zip-'));
  pluginDir = await unpack(buildZip(), join(work, 'plugins', 'mitra'));
  await buildPage();
  cluster = await testCluster('kibana-zip-browser');
  await cluster.setup();
  await loadFleet(cluster.client, cluster.prefix, { hosts: FLEET, days: 1, onHost: (h) => hosts.push(h) });
  await cluster.refresh();
  served = await startServe(cluster.prefix);
  server = createServer(handle);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await openBrowser();
  page = browser.page;
}, 300_000);

afterAll(async () => {
  // esbuild's service process would keep the test runner alive after the run.
  await stopEsbuild();
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  await served?.stop();
  await cluster?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

const harness = () => page.evaluate(() => window.__harness as Omit<HarnessState, 'unmount'>);

async function openFleetQuestion(dark: boolean) {
  darkMode = dark;
  browser.errors.length = 0;
  // The first load parses the whole shared-deps bundle (React, EUI, charts): give it room.
  await page.goto(`${origin}/app/mitra/fleet?type=kernel&value=4.4`, { timeout: 90_000 });
  const summary = page.locator('[data-test-subj="fleet-summary"][data-query="kernel:4.4:"]');
  await summary.waitFor();
  return summary;
}

describe('the plugin bundle from the zip, in a Kibana-shaped page in headless Chromium', () => {
  it('registers the app and "Mitra fleet query", mounts, answers the Fleet question from the engine, routes through the ScopedHistory, sets chrome, unmounts cleanly', async () => {
    const summary = await openFleetQuestion(false);
    const state = await harness();
    expect(state.apps).toEqual(['mitra']);
    expect(state.ruleTypes).toEqual([
      {
        id: 'mitra.fleet-query',
        description: expect.stringContaining('Mitra fleet query'),
        requiresAppContext: false,
        hasForm: true,
        // Not valid until its params form has loaded the question catalog it validates against.
        validatesBeforeForm: false,
        validates: true,
      },
    ]);

    const expected = byKernelMajorMinor(hosts, '4.4');
    expect(expected.length).toBeGreaterThan(0);
    expect(await summary.textContent()).toMatch(new RegExp(`^${expected.length} hosts?, as of \\d{4}-\\d\\d-\\d\\d`));
    expect([...new Set(await subj(page, 'result-host').allTextContents())].sort()).toEqual(expected);

    // The app's code came in chunks, from the public path the bootstrap set for the plugin.
    expect(bundleRequests[0]).toBe('mitra.plugin.js');
    expect(bundleRequests.filter((n) => /^mitra\.chunk\.\d+\.js$/.test(n)).length).toBeGreaterThan(0);
    expect(state.breadcrumbs.at(-1)).toEqual(['Mitra', 'Fleet']);
    expect(await page.title()).toBe('Fleet - Mitra - Elastic');
    // Links are ScopedHistory hrefs under /app/mitra; a click pushes, no page load.
    const first = subj(page, 'result-host').first();
    const host = (await first.textContent())!;
    expect(await first.getAttribute('href')).toBe(`/app/mitra/host/${host}`);
    await page.evaluate(() => ((window as unknown as { marker: boolean }).marker = true));
    await first.click();
    await page.waitForURL(`${origin}/app/mitra/host/${host}`);
    await subj(page, 'tab-host').waitFor();
    expect(await page.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(true);
    expect((await harness()).breadcrumbs.at(-1)).toEqual(['Mitra', `Host ${host}`]);
    // Back goes through popstate into the history's listeners.
    await page.goBack();
    await summary.waitFor();
    await screenshot(page, 'kibana-plugin-fleet-light');

    const html = await page.evaluate(() => window.__harness!.unmount());
    expect(html).toBe('');
    expect(await page.locator('#app').innerHTML()).toBe('');
    expect(browser.errors).toEqual([]);
  });

  it("follows Kibana's dark theme through the render context", async () => {
    await openFleetQuestion(true);
    // EUI's Borealis dark page background, from the EuiProvider the render context sets up.
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = background.match(/\d+/g)!.map(Number);
    expect(r + g + b).toBeLessThan(3 * 80);
    await screenshot(page, 'kibana-plugin-fleet-dark');
    expect(await page.evaluate(() => window.__harness!.unmount())).toBe('');
    expect(browser.errors).toEqual([]);
  });
});
