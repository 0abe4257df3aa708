#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript compiled to dist/ by `npm install` (prepare) or `npm run build`.
'use strict';
try {
  require.resolve('../dist/main.js');
} catch {
  console.error('mitra: the CLI is not built yet: run `npm install` (or `npm run build`) at the repository root');
  process.exit(2);
}
// A reader that stops early (mitra search ... | head) closes the pipe: stop quietly, as cat or grep do, not with a stack trace.
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(0);
});
const argv = process.argv.slice(2);
// The agent runs on every host: its entry loads neither the other commands nor the Elasticsearch client.
require(argv[0] === 'agent' ? '../dist/agent-main.js' : '../dist/main.js')
  .main(argv)
  .then((code) => {
    process.exitCode = code;
  });
