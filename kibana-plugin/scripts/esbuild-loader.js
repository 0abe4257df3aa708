// webpack loader: TypeScript/TSX to modern JS with esbuild (types dropped,
// JSX to react/jsx-runtime calls). Kibana's optimizer uses babel here; the
// output module format is the same for webpack.
const { transform } = require('esbuild');

module.exports = function esbuildLoader(source) {
  const done = this.async();
  transform(source, {
    loader: this.resourcePath.endsWith('.tsx') ? 'tsx' : 'ts',
    jsx: 'automatic',
    format: 'esm',
    target: 'es2020',
    sourcefile: this.resourcePath,
  }).then((r) => done(null, r.code), done);
};
