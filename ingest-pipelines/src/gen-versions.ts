import { writeFileSync } from 'node:fs';
import { renderVersionsFile, VERSIONS_FILE } from './assets';

// `npm run versions -w ingest-pipelines`: rewrites assets/versions.json after an asset changed.
writeFileSync(VERSIONS_FILE, renderVersionsFile());
console.log(`wrote ${VERSIONS_FILE}`);
