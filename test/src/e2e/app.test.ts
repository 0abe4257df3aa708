import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { loadFleet } from '../fleet/load';
import { hostsFile, type SimHost } from '../fleet/simulator';
import { byKernelMajorMinor, containsWord, driftFromMajority, fileAt, fileLargerThan, missingPackage } from '../fleet/truth';
import { testCluster, type TestCluster } from '../support/cluster';
import { openBrowser, screenshot, startServe, subj, type Browser, type Served } from './browser';
import { currentIndex } from '@mitra/core';

/**
 * The Mitra app end to end: `mitra serve` (the real CLI) serving the
 * standalone bundle and the API on the real engine, a simulated fleet loaded
 * through the ingest pipeline, and Debian's headless Chromium clicking
 * through the screens. Host lists are checked against the simulator's ground
 * truth, never against what the API answered. Screenshots go to test/screenshots/.
 */

const FLEET = 40;
let cluster: TestCluster;
let served: Served;
let browser: Browser;
let page: Page;
const hosts: SimHost[] = [];

beforeAll(async () => {
  // The bundle under test is the one built from the current source.
  execFileSync(process.execPath, [resolve(__dirname, '..', '..', '..', 'kibana-plugin', 'scripts', 'build-standalone.js')], {
    stdio: 'pipe',
  });
  cluster = await testCluster('e2e-app');
  await cluster.setup();
  await loadFleet(cluster.client, cluster.prefix, { hosts: FLEET, days: 2, onHost: (h) => hosts.push(h) });
  await sendMeminfo('host-00000');
  served = await startServe(cluster.prefix);
  browser = await openBrowser();
  page = browser.page;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  await cluster?.cleanup();
});

/** Snapshots through the real pipeline, as an agent sends them: history (a change) and current. */
async function send(docs: Record<string, unknown>[]) {
  const operations = docs.flatMap((d) => [{ index: { _index: currentIndex(cluster.prefix) } }, d]);
  const res = await cluster.client.bulk({ pipeline: cluster.pipeline, operations, refresh: true });
  expect(res.errors).toBe(false);
  await cluster.refresh();
}

/** Three /proc/meminfo observations: page cache shrinking while anonymous memory grows. */
async function sendMeminfo(host: string) {
  const docs = [0, 1, 2].flatMap((i) => {
    const at = new Date(Date.now() - (3 - i) * 60_000).toISOString();
    const content = `MemTotal:       16000000 kB\nMemFree:         ${1000000 - i * 200000} kB\nCached:          ${6000000 - i * 2000000} kB\nAnonPages:       ${2000000 + i * 2500000} kB\n`;
    const doc = (target: string) => ({
      '@timestamp': at,
      host: { name: host },
      file: { path: '/proc/meminfo' },
      mitra: { content, target },
    });
    return [doc('history'), doc('current')];
  });
  await send(docs);
}

const goto = async (hash: string) => {
  await page.goto(`${served.url}/${hash}`);
};

/** The answer to one question (not a previous one still on screen). */
const summaryFor = (type: string, value: string, extra = '') =>
  page.locator(`[data-test-subj="fleet-summary"][data-query=${JSON.stringify(`${type}:${value}:${extra}`)}]`);

/** Host names in the results table of the answer to (type, value, extra). */
async function resultHosts(type: string, value: string, extra?: string): Promise<string[]> {
  await summaryFor(type, value, extra).waitFor();
  const names = await subj(page, 'result-host').allTextContents();
  return [...new Set(names)].sort();
}

async function ask(type: string, value: string, extra?: string, submitWithEnter = false) {
  await goto('#/fleet');
  await subj(page, 'question-type').selectOption(type);
  await subj(page, 'question-value').fill(value);
  if (extra !== undefined) await subj(page, 'question-extra').fill(extra);
  if (submitWithEnter) await subj(page, 'question-value').press('Enter');
  else await subj(page, 'question-submit').click();
  await summaryFor(type, value, extra).waitFor();
}

describe('the Mitra app in headless Chromium, against mitra serve on the real engine', () => {
  it('answers "which hosts run a 4.4 kernel" through the guided form', async () => {
    await ask('kernel', '4.4');
    const expected = byKernelMajorMinor(hosts, '4.4');
    expect(expected.length).toBeGreaterThan(0);
    expect(await resultHosts('kernel', '4.4')).toEqual(expected);
    expect(await subj(page, 'fleet-summary').textContent()).toMatch(new RegExp(`^${expected.length} hosts?, as of \\d{4}-\\d\\d-\\d\\d`));
    // The question is in the URL: a reload shows the same answer.
    expect(page.url()).toContain('#/fleet?type=kernel&value=4.4');
    await page.reload();
    expect(await resultHosts('kernel', '4.4')).toEqual(expected);
    expect(await subj(page, 'facet-kernel').textContent()).toContain(`4.4: ${expected.length}`);
    // The fleet at a glance, whatever the question: every host, kernels and OS.
    expect(await subj(page, 'overview-summary').textContent()).toMatch(new RegExp(`^Fleet: ${hosts.length} hosts, as of`));
    expect(await subj(page, 'overview-kernel').textContent()).toContain(`4.4: ${expected.length}`);
    await screenshot(page, 'fleet-kernel');
  });

  it('keeps the Search button where it was when the fleet overview and its charts arrive late', async () => {
    // The overview answers a second after the form is up: anything it pushed down would move under the pointer
    // (a click aimed at Search landed elsewhere, and the question never went out).
    const fresh = await page.context().newPage();
    await fresh.route('**/api/mitra/overview', async (route) => {
      await new Promise((r) => setTimeout(r, 1_000));
      await route.continue();
    });
    try {
      await fresh.goto(`${served.url}/#/fleet`);
      const search = subj(fresh, 'question-submit');
      await search.waitFor();
      const before = await search.boundingBox();
      await subj(fresh, 'overview-summary').waitFor();
      await subj(fresh, 'chart-overview-kernel').waitFor();
      expect(await search.boundingBox()).toEqual(before);
    } finally {
      await fresh.close();
    }
  });

  it('answers "which hosts do not have zsh" from a deep link, listing hosts without an inventory apart', async () => {
    await goto('#/fleet?type=missing_package&value=zsh');
    const truth = missingPackage(hosts, 'zsh');
    expect(await resultHosts('missing_package', 'zsh')).toEqual(truth.missing);
    expect(await subj(page, 'unknown-hosts').textContent()).toContain(truth.unknown.join(', '));
    await screenshot(page, 'fleet-missing-zsh');
  });

  it('answers "/etc/hosts larger than 4 KiB"', async () => {
    await ask('file_size', '/etc/hosts', '4k');
    const expected = fileLargerThan(hosts, '/etc/hosts', 4096);
    expect(await resultHosts('file_size', '/etc/hosts', '4k')).toEqual(expected);
    // The edge hosts: 4097 bytes is in, exactly 4096 is out.
    expect(expected).toContain('host-00005');
    expect(expected).not.toContain('host-00004');
  });

  it('answers the original Lucene query verbatim, submitted with the keyboard', async () => {
    await ask('lucene', 'filename:"/etc/fstab" AND content:ext4', undefined, true);
    const expected = hosts
      .filter((h) => containsWord(fileAt(h, '/etc/fstab'), 'ext4'))
      .map((h) => h.name)
      .sort();
    expect(await resultHosts('lucene', 'filename:"/etc/fstab" AND content:ext4')).toEqual(expected);
    expect(await subj(page, 'fleet-summary').textContent()).toMatch(new RegExp(`^${expected.length} matching files?`));
    await screenshot(page, 'fleet-lucene');
  });

  it('shows a bad query as an error callout, not a crash', async () => {
    await goto(`#/fleet?type=lucene&value=${encodeURIComponent('filename:(')}`);
    await subj(page, 'error-callout').waitFor();
    expect(await subj(page, 'error-callout').textContent()).toMatch(/does not parse/);
  });

  it("opens a host, views a file, and diffs two versions from the file's history", async () => {
    const host = hosts.find((h) => h.files.find((f) => f.path === '/etc/hosts')!.versions.length > 1)!;
    const versions = host.files.find((f) => f.path === '/etc/hosts')!.versions;
    await goto(`#/host/${host.name}`);
    await subj(page, 'host-files').waitFor();
    const paths = await subj(page, 'host-file').allTextContents();
    expect(paths.sort()).toEqual(host.files.map((f) => f.path).sort());
    await subj(page, 'host-file')
      .filter({ hasText: /^\/etc\/hosts$/ })
      .click();
    await subj(page, 'file-content').waitFor();
    expect((await subj(page, 'file-content').textContent())!.trimEnd()).toBe(versions[versions.length - 1].content!.trimEnd());
    await subj(page, 'file-history').waitFor();
    expect(await subj(page, 'version-from').count()).toBe(versions.length);
    // Newest first: the last row is the oldest version.
    await subj(page, 'version-from').last().click();
    await subj(page, 'version-to').first().click();
    await subj(page, 'diff-view').waitFor();
    const diff = await subj(page, 'diff-view').innerText();
    const added = versions[1].content!.split('\n').find((l) => l && !versions[0].content!.split('\n').includes(l))!;
    expect(diff).toContain(`+${added}`);
    expect(page.url()).toMatch(/from=[0-9a-f]{64}&to=[0-9a-f]{64}/);
    await screenshot(page, 'host-diff');
  });

  it('shows a missing file with its state, and the memory series chart', async () => {
    await goto('#/host/host-00008?path=/etc/resolv.conf');
    await subj(page, 'file-state').waitFor();
    expect(await subj(page, 'file-state').textContent()).toMatch(/missing on host-00008/);
    await goto('#/host/host-00000?view=memory');
    await subj(page, 'chart-series').locator('canvas').first().waitFor();
    expect(await subj(page, 'memory-summary').textContent()).toBe(
      'Page cache (Cached): 3 observations · Anonymous (AnonPages): 3 observations',
    );
    await screenshot(page, 'host-memory');
  });

  it('compares /etc/resolv.conf across the fleet: majority first, deviating groups diffed against it', async () => {
    await goto('#/compare?path=/etc/resolv.conf');
    await subj(page, 'compare-groups').waitFor();
    const truth = driftFromMajority(hosts, '/etc/resolv.conf');
    const majorityHosts = hosts.filter((h) => fileAt(h, '/etc/resolv.conf') === truth.majority).length;
    const rows = page.locator('[data-test-subj="compare-groups"] tbody tr');
    expect(await rows.first().textContent()).toContain('majority');
    expect(await rows.first().textContent()).toContain(String(majorityHosts));
    const variants = new Set(hosts.map((h) => fileAt(h, '/etc/resolv.conf')).filter((c) => c !== undefined));
    expect(await rows.count()).toBe(variants.size);
    await subj(page, 'compare-group').nth(1).click();
    await subj(page, 'group-title').waitFor();
    await subj(page, 'diff-view').waitFor();
    expect(await subj(page, 'diff-view').innerText()).toMatch(/^-nameserver|^\+nameserver|^-search/m);
    await screenshot(page, 'compare');
  });

  it('saves a search and an alert rule from the current question, and the rule fires after a planted change', async () => {
    await ask('file_size', '/etc/hosts', '4k');
    const before = fileLargerThan(hosts, '/etc/hosts', 4096);
    await subj(page, 'save-search').click();
    await subj(page, 'save-name').fill('big-hosts-files');
    await subj(page, 'save-submit').click();
    await subj(page, 'save-done').waitFor();
    await subj(page, 'create-rule').click();
    await subj(page, 'save-name').fill('big-hosts-rule');
    // The threshold starts at the current count: the rule fires when one more host grows past 4 KiB.
    expect(await subj(page, 'rule-threshold').inputValue()).toBe(String(before.length));
    await subj(page, 'save-submit').click();
    await subj(page, 'save-done').waitFor();

    await goto('#/saved');
    await subj(page, 'saved-table').waitFor();
    const row = page.locator('[data-test-subj="saved-table"] tr', { hasText: 'big-hosts-files' });
    await row.locator('[data-test-subj="saved-run"]').click();
    await subj(page, 'action-outcome').waitFor();
    expect(await subj(page, 'action-outcome').textContent()).toBe(`big-hosts-files: ${before.length} matches`);
    await screenshot(page, 'saved-searches');

    await goto('#/saved?tab=rules');
    await subj(page, 'rules-table').waitFor();
    const ruleRow = page.locator('[data-test-subj="rules-table"] tr', { hasText: 'big-hosts-rule' });
    await ruleRow.locator('[data-test-subj="rule-eval"]').click();
    await subj(page, 'action-outcome').waitFor();
    expect(await subj(page, 'action-outcome').textContent()).toMatch(new RegExp(`^big-hosts-rule: ok, ${before.length} matches`));

    // Plant the change: a host under 4 KiB gets a 5000-byte /etc/hosts, as its agent would report it.
    const target = hosts.find((h) => !before.includes(h.name) && fileAt(h, '/etc/hosts'))!;
    const at = new Date().toISOString();
    const content = hostsFile(5000, 99);
    const doc = (t: string) => ({
      '@timestamp': at,
      host: { name: target.name },
      file: { path: '/etc/hosts', size: 5000 },
      mitra: { content, target: t, changed_at: at },
    });
    await send([doc('history'), doc('current')]);

    await page.reload();
    await subj(page, 'rules-table').waitFor();
    await page.locator('[data-test-subj="rules-table"] tr', { hasText: 'big-hosts-rule' }).locator('[data-test-subj="rule-eval"]').click();
    await page.locator('[data-test-subj="action-outcome"]', { hasText: 'fired' }).waitFor();
    const outcome = await subj(page, 'action-outcome').textContent();
    expect(outcome).toContain(`firing (fired), ${before.length + 1} matches`);
    expect(outcome).toContain(target.name);
    await subj(page, 'rule-status').filter({ hasText: 'firing' }).waitFor();
    await screenshot(page, 'alert-rules');

    await goto('#/saved?tab=history');
    await subj(page, 'alert-history').waitFor();
    expect(await page.locator('[data-test-subj="alert-history"] tbody tr').first().textContent()).toContain('firing');
    expect(await subj(page, 'event-hosts').first().textContent()).toContain(target.name);
    await screenshot(page, 'alert-history');
  });

  it('raised no uncaught exception in the page on any screen', () => {
    expect(browser.errors.filter((e) => e.startsWith('uncaught'))).toEqual([]);
  });
});
