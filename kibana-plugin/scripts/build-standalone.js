// Builds the standalone app (React, EUI and charts bundled in) into
// dist-standalone/, which `mitra serve` serves at `/`. Charts and the diff
// viewer are split into chunks loaded on first use, to keep the first load small.
const { build } = require('esbuild');
const { mkdirSync, rmSync, writeFileSync, readdirSync, statSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');
const { gzipSync } = require('node:zlib');

const root = resolve(__dirname, '..');
const out = join(root, 'dist-standalone');

const HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Mitra</title>
    <link rel="stylesheet" href="./index.css" />
  </head>
  <body>
    <div id="root"></div>
    <noscript>Mitra needs JavaScript.</noscript>
    <script type="module" src="./index.js"></script>
  </body>
</html>
`;

async function main() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: { index: join(root, 'standalone', 'index.tsx') },
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    sourcemap: false,
    target: ['es2020'],
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.woff': 'file', '.woff2': 'file', '.svg': 'dataurl' },
    chunkNames: 'chunks/[name]-[hash]',
    legalComments: 'none',
    logLevel: 'warning',
    tsconfig: join(root, 'tsconfig.json'),
  });
  writeFileSync(join(out, 'index.html'), HTML);
  const initial = ['index.js', 'index.css'].map((f) => gzipSync(readFileSync(join(out, f))).length).reduce((a, b) => a + b, 0);
  const files = readdirSync(join(out, 'chunks')).length;
  const total = readdirSync(out).filter((f) => statSync(join(out, f)).isFile()).length + files;
  console.log(`standalone app: ${out} (${total} files; initial load ${(initial / 1024).toFixed(0)} KiB gzip)`);
}

main().catch((e) => {
  console.error(`build-standalone: ${e.message}`);
  process.exit(1);
});
