// Bundles the plugin's server side for Kibana: server/index.ts with @mitra/core
// compiled in (from core's TypeScript sources, so unused parts tree-shake away)
// into <out>/server/index.js — CommonJS for Node, which is how Kibana's plugin
// loader requires `<plugin>/server`. What Kibana provides at runtime stays
// external: every `@kbn/*` package (`@kbn/config-schema`) and
// `@elastic/elasticsearch` (the request-scoped client comes from Kibana's copy;
// the plugin must not ship a second one).
//
//   node kibana-plugin/scripts/build-server.js --out <dir>
const { build } = require('esbuild');
const { mkdirSync, rmSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { parseArgs } = require('node:util');

const root = resolve(__dirname, '..');
/** Kibana's own packages: resolved from Kibana's node_modules when the plugin loads. */
const PROVIDED_BY_KIBANA = ['@kbn/*', '@elastic/elasticsearch'];
/** Kibana 9.2 runs on Node 22; node20 keeps the output loadable by this repo's Node too. */
const NODE_TARGET = 'node20';

async function buildServer(outDir) {
  const serverDir = join(resolve(outDir), 'server');
  rmSync(serverDir, { recursive: true, force: true });
  mkdirSync(serverDir, { recursive: true });
  const result = await build({
    entryPoints: [join(root, 'server', 'index.ts')],
    outfile: join(serverDir, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: [NODE_TARGET],
    external: PROVIDED_BY_KIBANA,
    alias: { '@mitra/core': resolve(root, '..', 'core', 'src', 'index.ts') },
    tsconfig: join(root, 'tsconfig.json'),
    sourcemap: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  return { file: join(serverDir, 'index.js'), metafile: result.metafile };
}

async function main() {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  if (!values.out) throw new Error('--out <dir> is required: the plugin folder to write server/index.js into');
  const { file, metafile } = await buildServer(values.out);
  const bytes = Object.values(metafile.outputs)[0].bytes;
  console.log(`wrote ${file} (${(bytes / 1024).toFixed(0)} KiB)`);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`build-server: ${e.message}`);
    process.exit(1);
  });
}

module.exports = { buildServer, PROVIDED_BY_KIBANA };
