import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineOptions, FLAVORS, pluginFolder, startEngine } from '@mitra/engine';

/**
 * The opensearch-ism flavour's plugins come from a folder the developer names
 * (MITRA_OPENSEARCH_PLUGINS): no registry serves ISM and the repository does
 * not build it. A wrong or missing folder must stop the start with a line that
 * says what to set, before any Maven run or JVM, and a lookalike (a file where
 * a plugin folder should be, a folder without its descriptor) must not pass.
 */
const ISM = FLAVORS['opensearch-ism'];
const ENV = 'MITRA_OPENSEARCH_PLUGINS';
const saved = process.env[ENV];
let dir: string;

const plugin = (name: string) => {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'plugin-descriptor.properties'), `name=${name}\n`);
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mitra-plugins-'));
  delete process.env[ENV];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
afterAll(() => {
  if (saved === undefined) delete process.env[ENV];
  else process.env[ENV] = saved;
});

test('without the variable the flavour says which variable to set and to what', () => {
  expect(pluginFolder(ISM)).toEqual({
    missing: expect.stringContaining(`set ${ENV} to the plugins/ folder of an OpenSearch 2.19.1 distribution`),
  });
});

test('a folder that lacks ISM, or holds lookalikes of it, is named with what it lacks', () => {
  process.env[ENV] = dir;
  plugin('opensearch-job-scheduler');
  // A file where the plugin folder should be, then a folder without its descriptor.
  writeFileSync(join(dir, 'opensearch-index-management'), 'not a plugin');
  expect(pluginFolder(ISM)).toEqual({ missing: expect.stringMatching(/has no opensearch-index-management plugin folder/) });
  rmSync(join(dir, 'opensearch-index-management'));
  mkdirSync(join(dir, 'opensearch-index-management'));
  expect(pluginFolder(ISM)).toEqual({ missing: expect.stringMatching(/has no opensearch-index-management plugin folder/) });
});

test('a folder with both plugins is taken, as an absolute path', () => {
  plugin('opensearch-job-scheduler');
  plugin('opensearch-index-management');
  process.env[ENV] = join(dir, '.', '');
  expect(pluginFolder(ISM)).toEqual({ dir });
});

test('flavours without plugins need no folder', () => {
  expect(pluginFolder(FLAVORS.opensearch)).toBeUndefined();
  expect(pluginFolder(FLAVORS.es7)).toBeUndefined();
});

test('a start without the folder fails with that line, before any build or JVM', async () => {
  const said: string[] = [];
  const o = engineOptions({ flavor: 'opensearch-ism', port: 9239, dataDir: join(dir, 'node'), log: (line) => said.push(line) });
  await expect(startEngine(o)).rejects.toThrow(`${ISM.label} loads opensearch-job-scheduler and opensearch-index-management`);
  // Provisioning logs before Maven runs, and a launch opens the node's log and pid files.
  expect(said).toEqual([]);
  expect(existsSync(join(o.dataDir, 'engine.log'))).toBe(false);
  expect(existsSync(join(o.dataDir, 'engine.pid'))).toBe(false);
});
