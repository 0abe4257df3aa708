// Builds the Kibana plugin zip: build/mitra-<kibana version>.zip, laid out as
// Kibana's plugin installer reads it (src/cli/plugin/install/zip.ts: a
// kibana/<folder>/kibana.json per plugin) and as plugin-helpers writes it
// (packages/kbn-plugin-helpers/src/tasks/create_archive.ts: build/kibana/<id>
// zipped under "kibana/", named <id>-<kibanaVersion>.zip):
//   kibana/mitra/kibana.json            kibanaVersion = --kibana-version
//   kibana/mitra/package.json           no dependencies: Kibana provides them
//   kibana/mitra/server/index.js        the server, @mitra/core compiled in
//   kibana/mitra/target/public/mitra.plugin.js + mitra.chunk.<id>.js
// The browser bundle is built by webpack the way Kibana's optimizer builds
// one (packages/kbn-optimizer/src/worker/webpack.config.ts): same file names,
// chunk-loading global, entry registration and shared-deps externals.
//
// usage: node scripts/build-kibana.js [--kibana-version 9.2.4]
const { execFileSync } = require('node:child_process');
const {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  createWriteStream,
} = require('node:fs');
const { tmpdir } = require('node:os');
const { join, relative, resolve, sep } = require('node:path');
const { parseArgs } = require('node:util');
const webpack = require('webpack');
const yazl = require('yazl');
const externals = require('./kibana-externals');

const DEFAULT_KIBANA_VERSION = '9.2.4';
const root = resolve(__dirname, '..');
const PLUGIN_ID = 'mitra';

function options() {
  const { values } = parseArgs({ options: { 'kibana-version': { type: 'string', default: DEFAULT_KIBANA_VERSION } } });
  const version = values['kibana-version'];
  // Kibana compares kibanaVersion to its own version exactly (src/cli/plugin/install/kibana.ts): a bare X.Y.Z.
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`--kibana-version "${version}" is not a Kibana version: give X.Y.Z, e.g. ${DEFAULT_KIBANA_VERSION}`);
  }
  return { kibanaVersion: version };
}

function writeManifests(stage, kibanaVersion) {
  const manifest = JSON.parse(readFileSync(join(root, 'kibana.json'), 'utf8'));
  writeFileSync(join(stage, 'kibana.json'), `${JSON.stringify({ ...manifest, kibanaVersion }, null, 2)}\n`);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  // Production dependencies: none. React, EUI, charts and emotion come from
  // Kibana's shared deps; @elastic/elasticsearch from Kibana's server; @mitra/core is compiled in.
  const shipped = {
    name: PLUGIN_ID,
    version: manifest.version,
    description: pkg.description,
    private: true,
    license: 'Apache-2.0',
    kibana: { version: kibanaVersion },
  };
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(shipped, null, 2)}\n`);
}

/**
 * The server bundle: the server side's own build script when this tree has
 * it (scripts/build-server.js --out <dir>), else esbuild here with the same
 * contract (CommonJS, @kbn/* and @elastic/elasticsearch left to Kibana).
 */
async function buildServer(stage) {
  const script = join(__dirname, 'build-server.js');
  if (existsSync(script)) {
    execFileSync(process.execPath, [script, '--out', stage], { stdio: 'inherit' });
  } else {
    const { build } = require('esbuild');
    await build({
      entryPoints: [join(root, 'server', 'index.ts')],
      outfile: join(stage, 'server', 'index.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['@kbn/*', '@elastic/elasticsearch'],
      logLevel: 'warning',
      legalComments: 'none',
    });
  }
  if (!existsSync(join(stage, 'server', 'index.js'))) throw new Error(`the server build wrote no ${join(stage, 'server', 'index.js')}`);
}

/** Source folders the browser bundle may contain; anything else (node_modules, core) means a copy slipped in. */
const BROWSER_SOURCES = ['public', 'common', 'kibana_api', 'scripts'].map((d) => join(root, d) + sep);

function webpackConfig(outDir) {
  return {
    mode: 'production',
    context: root,
    target: ['web', 'es2020'],
    entry: { [PLUGIN_ID]: join(__dirname, 'kibana-entry.js') },
    output: {
      path: outDir,
      filename: `${PLUGIN_ID}.plugin.js`,
      chunkFilename: `${PLUGIN_ID}.chunk.[id].js`,
      chunkLoadingGlobal: `${PLUGIN_ID}_bundle_jsonpfunction`,
      chunkLoading: 'jsonp',
      clean: true,
    },
    devtool: false,
    externals,
    externalsType: 'var',
    resolve: {
      extensions: ['.ts', '.tsx', '.js'],
      mainFields: ['browser', 'main'],
      alias: { 'react/jsx-runtime$': join(__dirname, 'jsx-runtime.js') },
    },
    module: {
      rules: [{ test: /\.tsx?$/, exclude: /node_modules/, use: join(__dirname, 'esbuild-loader.js') }],
    },
    // As Kibana's distributable config: the entry is reached through
    // require.resolve, so export usage must not prune it.
    optimization: { moduleIds: 'deterministic', chunkIds: 'deterministic', usedExports: false, sideEffects: false },
    performance: { hints: false },
  };
}

function buildPublic(stage) {
  const outDir = join(stage, 'target', 'public');
  return new Promise((done, fail) => {
    webpack(webpackConfig(outDir), (err, stats) => {
      if (err) return fail(err);
      const info = stats.toJson({ all: false, errors: true, modules: true, nestedModules: true, assets: true });
      if (stats.hasErrors()) return fail(new Error(info.errors.map((e) => e.message).join('\n')));
      const bundled = flatten(info.modules)
        .map((m) => m.nameForCondition)
        .filter((p) => p && !BROWSER_SOURCES.some((d) => p.startsWith(d)));
      if (bundled.length) {
        return fail(
          new Error(
            `the browser bundle would carry its own copy of: ${[...new Set(bundled)].join(', ')} — take it from Kibana's shared deps (scripts/kibana-externals.js)`,
          ),
        );
      }
      done(info.assets.map((a) => ({ name: a.name, size: a.size })));
    });
  });
}

function flatten(modules = []) {
  return modules.flatMap((m) => [m, ...flatten(m.modules)]);
}

function listFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

function zip(stageRoot, zipPath) {
  return new Promise((done, fail) => {
    const archive = new yazl.ZipFile();
    // A fixed time keeps the zip identical from one build to the next.
    const mtime = new Date('2000-01-01T00:00:00Z');
    for (const file of listFiles(stageRoot).sort()) {
      archive.addFile(file, relative(join(stageRoot, '..'), file).split(sep).join('/'), { mtime, mode: 0o100644 });
    }
    archive.outputStream.pipe(createWriteStream(zipPath)).on('close', done).on('error', fail);
    archive.end();
  });
}

async function main() {
  const { kibanaVersion } = options();
  const buildDir = join(root, 'build');
  // Staged as plugin-helpers stages (<dir>/kibana/<id>), but in a temp folder
  // of its own, outside the repository, and the zip moved into place when
  // complete: two builds at once (parallel test files) never see each other's halves.
  mkdirSync(buildDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'mitra-kibana-build-'));
  const stageRoot = join(work, 'kibana');
  const stage = join(stageRoot, PLUGIN_ID);
  const zipPath = join(buildDir, `${PLUGIN_ID}-${kibanaVersion}.zip`);
  const partial = `${zipPath}.${process.pid}.partial`;
  let assets;
  try {
    mkdirSync(stage, { recursive: true });
    writeManifests(stage, kibanaVersion);
    await buildServer(stage);
    assets = await buildPublic(stage);
    await zip(stageRoot, partial);
    renameSync(partial, zipPath);
  } finally {
    // plugin-helpers deletes the staged folder once zipped; so does this build, also when it fails.
    rmSync(work, { recursive: true, force: true });
    rmSync(partial, { force: true });
  }
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(
    `kibana plugin: ${zipPath} (${kib(statSync(zipPath).size)}); browser bundle: ${assets.map((a) => `${a.name} ${kib(a.size)}`).join(', ')}`,
  );
}

main().catch((e) => {
  console.error(`build-kibana: ${e.message}`);
  process.exit(1);
});
