#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript compiled to dist/ by `npm install` (prepare) or `npm run build`.
'use strict';
try {
  require.resolve('../dist/main.js');
} catch {
  console.error('mitra: the CLI is not built yet: run `npm install` (or `npm run build`) at the repository root');
  process.exit(2);
}
require('../dist/main.js')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
