import { build, stop as stopEsbuild } from 'esbuild';
import { analyze, buildZip, readZip, runBuild, type ZipEntry } from './zip';

/**
 * The artifact Kibana installs: `npm run build:kibana` → kibana-plugin/build/mitra-<version>.zip,
 * read the way Kibana's installer reads it (src/cli/plugin/install/zip.ts, pack.ts, kibana.ts).
 */

/**
 * A string each library's own built code carries and that survives
 * minification; each one is first shown to be in a production build of its
 * library (so a missing hit means the library is missing, not the marker).
 */
const LIBRARIES: { name: string; marker: string; platform?: 'node' }[] = [
  { name: 'react', marker: '__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED' },
  { name: 'react-dom', marker: 'Minified React error #' },
  { name: '@elastic/eui', marker: 'euiBasicTable.noItemsMessage' },
  { name: '@elastic/charts', marker: 'echChart' },
  { name: '@emotion/react', marker: '__EMOTION_TYPE_PLEASE_DO_NOT_USE__' },
  { name: '@elastic/elasticsearch', marker: 'x-elastic-client-meta', platform: 'node' },
  { name: 'moment', marker: 'moment construction falls back to js Date()' },
  { name: 'lodash', marker: '__lodash_hash_undefined__' },
];
const FORBIDDEN_PATHS = /(^|\/)(node_modules|react|react-dom|@elastic|@emotion)(\/|$)/;

let entries: ZipEntry[];

beforeAll(async () => {
  entries = await readZip(buildZip());
}, 180_000);

describe('the Kibana plugin zip', () => {
  it('has the layout the installer expects: one plugin "mitra" under kibana/mitra/, for Kibana 9.2.4', () => {
    expect(analyze(entries)).toEqual([{ id: 'mitra', stripPrefix: 'kibana/mitra', kibanaVersion: '9.2.4' }]);
    // pack.ts: the id must be camelCase.
    expect('mitra').toMatch(/^[a-z]{1}([a-zA-Z0-9]{1,})$/);
    const names = entries.map((e) => e.name).sort();
    expect(names.every((n) => n.startsWith('kibana/mitra/'))).toBe(true);
    expect(names).toEqual(
      expect.arrayContaining([
        'kibana/mitra/kibana.json',
        'kibana/mitra/package.json',
        'kibana/mitra/server/index.js',
        'kibana/mitra/target/public/mitra.plugin.js',
      ]),
    );
    // Only the optimizer's file names: <id>.plugin.js and <id>.chunk.<id>.js.
    const publicFiles = names.filter((n) => n.startsWith('kibana/mitra/target/'));
    for (const n of publicFiles) expect(n).toMatch(/^kibana\/mitra\/target\/public\/mitra\.(plugin|chunk\.\d+)\.js$/);
    expect(publicFiles.length).toBeGreaterThan(1);
  });

  it('declares the plugin to Kibana: manifest with server and ui, alerting, features, taskManager and triggersActionsUi optional; no dependencies to install', () => {
    const json = (n: string) => JSON.parse(entries.find((e) => e.name === `kibana/mitra/${n}`)!.data.toString('utf8'));
    const manifest = json('kibana.json');
    expect(manifest).toMatchObject({ id: 'mitra', kibanaVersion: '9.2.4', server: true, ui: true, requiredPlugins: [] });
    expect([...manifest.optionalPlugins].sort()).toEqual(['alerting', 'features', 'taskManager', 'triggersActionsUi']);
    const pkg = json('package.json');
    expect(pkg).toMatchObject({ name: 'mitra', kibana: { version: '9.2.4' } });
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it("the browser bundle registers with Kibana's bundle loader and loads chunks from the public path Kibana sets", () => {
    const main = entries.find((e) => e.name.endsWith('mitra.plugin.js'))!.data.toString('utf8');
    expect(main).toContain('__kbnBundles__.define("plugin/mitra/public"');
    expect(main).toContain('window.__kbnPublicPath__.mitra');
    expect(main).toContain('mitra_bundle_jsonpfunction');
  });

  it('carries none of react, react-dom, EUI, charts, emotion, the Elasticsearch client, moment or lodash: not by file name, not by code', async () => {
    for (const e of entries) expect(e.name.replace(/^kibana\/mitra\//, '')).not.toMatch(FORBIDDEN_PATHS);
    for (const lib of LIBRARIES) {
      const built = await build({
        stdin: { contents: `module.exports = require(${JSON.stringify(lib.name)});`, resolveDir: __dirname },
        bundle: true,
        minify: true,
        write: false,
        platform: lib.platform ?? 'browser',
        define: { 'process.env.NODE_ENV': '"production"' },
        logLevel: 'silent',
      });
      expect({ lib: lib.name, markerInLibrary: built.outputFiles[0].text.includes(lib.marker) }).toEqual({
        lib: lib.name,
        markerInLibrary: true,
      });
      const carriers = entries.filter((e) => e.data.toString('utf8').includes(lib.marker)).map((e) => e.name);
      expect({ lib: lib.name, carriers }).toEqual({ lib: lib.name, carriers: [] });
    }
  }, 120_000);

  it("takes React, ReactDOM, EUI, charts and the render context from Kibana's shared deps", () => {
    const code = entries
      .filter((e) => e.name.includes('/target/public/'))
      .map((e) => e.data.toString('utf8'))
      .join('\n');
    const globals = [...new Set(code.match(/__kbnSharedDeps__\.[A-Za-z]+/g))].sort();
    expect(globals).toEqual([
      '__kbnSharedDeps__.ElasticCharts',
      '__kbnSharedDeps__.ElasticEui',
      '__kbnSharedDeps__.KbnReactKibanaContextRender',
      '__kbnSharedDeps__.React',
      '__kbnSharedDeps__.ReactDom',
    ]);
  });

  it('builds for another Kibana version on request, and refuses a version that is not X.Y.Z with a one-line reason', async () => {
    const other = await readZip(buildZip('9.2.1'));
    expect(analyze(other)).toEqual([{ id: 'mitra', stripPrefix: 'kibana/mitra', kibanaVersion: '9.2.1' }]);
    const bad = runBuild(['--kibana-version', '9.2']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim()).toBe('build-kibana: --kibana-version "9.2" is not a Kibana version: give X.Y.Z, e.g. 9.2.4');
  }, 180_000);
});

// esbuild's service process would keep the test runner alive after the run.
afterAll(() => stopEsbuild());
