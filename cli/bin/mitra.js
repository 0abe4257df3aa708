#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript compiled to dist/ by `npm install` (prepare) or `npm run build`.
'use strict';
try {
  require.resolve('../dist/main.js');
} catch {
  console.error('mitra: the CLI is not built yet: run `npm install` (or `npm run build`) at the repository root');
  process.exit(2);
}
const argv = process.argv.slice(2);
// The agent runs on every host: its entry loads neither the other commands nor the Elasticsearch client.
require(argv[0] === 'agent' ? '../dist/agent-main.js' : '../dist/main.js')
  .main(argv)
  .then((code) => {
    process.exitCode = code;
  });
