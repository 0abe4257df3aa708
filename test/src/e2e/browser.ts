import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { MITRA_BIN } from '../support/cli';

/** Debian's Chromium (apt-get install chromium); no browser is downloaded. */
export const CHROMIUM = process.env.MITRA_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = resolve(__dirname, '..', '..', 'screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  page: Page;
  /** Uncaught exceptions and console errors in the page: a screen that crashed shows up here. */
  errors: string[];
  close(): Promise<void>;
}

/** A fresh headless Chromium with its own profile directory (--user-data-dir), removed on close. */
export async function openBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set MITRA_CHROMIUM)`);
  const profile = mkdtempSync(join(tmpdir(), 'mitra-chromium-'));
  // Playwright passes the profile as --user-data-dir itself.
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  return {
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface Served {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** `mitra serve` on a free port, as a user starts it; resolves once it prints its address. */
export function startServe(prefix: string, args: string[] = []): Promise<Served> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [MITRA_BIN, 'serve', '--port', '0', '--prefix', prefix, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`mitra serve did not start within 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d;
      const m = /mitra serve: (http:\/\/[\d.]+:\d+)\//.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolvePromise({
        url: m[1],
        child,
        output: () => out,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mitra serve exited with ${code}:\n${out}`));
    });
  });
}

/** A locator for EUI's test hook attribute. */
export const subj = (page: Page, name: string) => page.locator(`[data-test-subj="${name}"]`);
