import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..', '..');
/** The zip `npm run build:kibana` writes (default --kibana-version 9.2.4). */
export const PLUGIN_ZIP = join(REPO, 'kibana-plugin', 'build', 'mitra-9.2.4.zip');

/** What the server bundle is built from: a zip older than any of it is stale (built before a change) and is not used. */
const SERVER_SOURCES = ['kibana-plugin/server', 'kibana-plugin/common', 'kibana-plugin/kibana_api', 'core/src'].map((d) => join(REPO, d));

function newestSource(): number {
  let newest = 0;
  for (const dir of SERVER_SOURCES) {
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (e.isFile() && /\.tsx?$/.test(e.name)) newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs);
    }
  }
  return newest;
}

/** The built zip, when there is one newer than the sources. */
export const freshZip = (): boolean => existsSync(PLUGIN_ZIP) && statSync(PLUGIN_ZIP).mtimeMs >= newestSource();

export interface KibanaTree {
  /** The stand-in Kibana's root: node_modules/ with what Kibana provides, plugins/mitra/ with the plugin. */
  root: string;
  pluginDir: string;
  /** Where the server code came from: the unpacked zip, or build-server.js when no zip was built. */
  source: 'zip' | 'build-server.js';
  remove(): void;
}

/** The folder of an installed package (its package.json may not be exported). */
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/**
 * A directory laid out as an installed Kibana sees a plugin: the plugin in
 * `plugins/mitra/` (from the zip when it was built after the last source change, else straight from
 * build-server.js), and in `node_modules/` only what Kibana itself provides to
 * plugins: `@elastic/elasticsearch` (this repo's copy stands in for Kibana's)
 * and `@kbn/config-schema` (the stand-in next to this file). Node resolves the
 * bundle's external requires there, exactly as it would in Kibana.
 */
export function installPlugin(): KibanaTree {
  const root = mkdtempSync(join(tmpdir(), 'mitra-kibana-'));
  const pluginDir = join(root, 'plugins', 'mitra');
  let source: KibanaTree['source'];
  if (freshZip()) {
    const unpacked = join(root, 'unpacked');
    execFileSync('unzip', ['-q', PLUGIN_ZIP, '-d', unpacked]);
    mkdirSync(join(root, 'plugins'), { recursive: true });
    // The installer's layout: kibana/<plugin id>/… inside the zip.
    renameSync(join(unpacked, 'kibana', 'mitra'), pluginDir);
    source = 'zip';
  } else {
    execFileSync(process.execPath, [join(REPO, 'kibana-plugin', 'scripts', 'build-server.js'), '--out', pluginDir], { stdio: 'pipe' });
    source = 'build-server.js';
  }
  const modules = join(root, 'node_modules');
  mkdirSync(join(modules, '@elastic'), { recursive: true });
  mkdirSync(join(modules, '@kbn', 'config-schema'), { recursive: true });
  symlinkSync(packageDir('@elastic/elasticsearch'), join(modules, '@elastic', 'elasticsearch'), 'dir');
  const standin = join(__dirname, 'config-schema');
  writeFileSync(join(modules, '@kbn', 'config-schema', 'package.json'), JSON.stringify({ name: '@kbn/config-schema', main: 'index.js' }));
  writeFileSync(join(modules, '@kbn', 'config-schema', 'index.js'), `module.exports = require(${JSON.stringify(standin)});\n`);
  return { root, pluginDir, source, remove: () => rmSync(root, { recursive: true, force: true }) };
}
